import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import { ESCALATION_LEVELS } from '../../db/domain/enums.js';
import type { Ledger } from '../../db/core/open.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import { openWithPassword } from '../../db/session/provision.js';
import { DEMO_PASSWORD, generateDemoLedger, tableDigests, type DemoSummary } from '../../db/seed/demo.js';

/**
 * The demo-ledger generator at a small size (120 problems; the default is 1,000). Three ledgers
 * are generated once for the file: two with the same seed, one with another.
 */

const PROBLEMS = 120;
let dir: string;
let summary: DemoSummary;
let ledger: Ledger;
let twin: Ledger;
let other: Ledger;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'demo-ledger-'));
  const encrypt = { kdf: TEST_KDF };
  summary = generateDemoLedger(join(dir, 'a.sqlite'), { problems: PROBLEMS, seed: 1, encrypt });
  generateDemoLedger(join(dir, 'b.sqlite'), { problems: PROBLEMS, seed: 1, encrypt });
  generateDemoLedger(join(dir, 'c.sqlite'), { problems: PROBLEMS, seed: 2, encrypt });
  const admin = { username: 'admin', password: DEMO_PASSWORD };
  ledger = openWithPassword(join(dir, 'a.sqlite'), admin);
  twin = openWithPassword(join(dir, 'b.sqlite'), admin);
  other = openWithPassword(join(dir, 'c.sqlite'), admin);
}, 120_000);

afterAll(() => {
  for (const l of [ledger, twin, other]) l?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const n = (sql: string, ...params: unknown[]) => (ledger.sqlite.prepare(sql).get(...params) as { n: number }).n;
const rows = <T>(sql: string, ...params: unknown[]) => ledger.sqlite.prepare(sql).all(...params) as T[];

describe('demo ledger: what it holds', () => {
  it('has one round with 15 teams and 35 units, each inspected by a team with its feedback and 文号', () => {
    expect(n('SELECT count(*) n FROM rounds')).toBe(1);
    expect(n('SELECT count(*) n FROM teams')).toBe(15);
    expect(n('SELECT count(*) n FROM units')).toBe(35);
    expect(n('SELECT count(*) n FROM inspections WHERE team_id IS NOT NULL')).toBe(35);
    expect(n("SELECT count(DISTINCT f.inspection_id) n FROM feedbacks f WHERE f.kind = 'collective' AND f.doc_number LIKE '某巡反〔____〕%号'")).toBe(35);
    expect(n('SELECT count(DISTINCT sector) n FROM units')).toBeGreaterThanOrEqual(4);
    const r = rows<{ m: string; e: string; f: string }>('SELECT mobilised_on m, entered_on e, feedback_on f FROM rounds')[0]!;
    expect(r.m < r.e && r.e < r.f && r.f < summary.today).toBe(true);
  });

  it('has the requested number of problems spread over units and categories, each with 1–3 live tasks', () => {
    expect(n('SELECT count(*) n FROM problems WHERE deleted_at IS NULL')).toBe(PROBLEMS);
    expect(summary.counts.problems).toBe(PROBLEMS);
    expect(n('SELECT count(DISTINCT unit_id) n FROM problems')).toBe(35);
    expect(n('SELECT count(DISTINCT category_id) n FROM problems')).toBeGreaterThanOrEqual(8);
    const perProblem = rows<{ c: number }>(`SELECT (SELECT count(*) FROM tasks t WHERE t.problem_id = p.id AND t.deleted_at IS NULL) c
      FROM problems p WHERE p.deleted_at IS NULL`).map((x) => x.c);
    expect(Math.min(...perProblem)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perProblem)).toBeLessThanOrEqual(3);
    expect(summary.counts.tasks).toBeGreaterThanOrEqual(PROBLEMS);
    expect(n("SELECT count(*) n FROM problems WHERE source = 'inspection_feedback'")).toBeGreaterThan(PROBLEMS / 2);
    expect(n("SELECT count(*) n FROM problems WHERE source <> 'inspection_feedback'")).toBeGreaterThan(0);
    expect(n('SELECT count(*) n FROM problems WHERE is_key = 1 AND lead_leader IS NOT NULL')).toBeGreaterThan(0);
    // Nothing disappears silently: a removed problem or dropped task says why.
    expect(n('SELECT count(*) n FROM problems WHERE deleted_at IS NOT NULL AND deleted_reason IS NULL')).toBe(0);
    expect(n('SELECT count(*) n FROM tasks WHERE deleted_at IS NOT NULL AND deleted_reason IS NULL')).toBe(0);
  });

  it('spreads tasks over every state, with overdue ones, returns, extensions and staged long-term goals', () => {
    for (const s of ['draft', 'in_progress', 'pending_review', 'closed']) expect(summary.tasksByStatus[s], s).toBeGreaterThan(0);
    expect(summary.tasksByStatus.closed).toBeGreaterThan(summary.tasksByStatus.in_progress!);
    expect(n("SELECT count(*) n FROM tasks WHERE deleted_at IS NULL AND status <> 'closed' AND current_deadline < ?", summary.today)).toBeGreaterThan(0);
    expect(n("SELECT count(*) n FROM closeouts WHERE decision = 'returned'")).toBeGreaterThan(0);
    expect(n('SELECT count(*) n FROM extension_requests')).toBeGreaterThan(0);
    expect(n("SELECT count(*) n FROM tasks WHERE current_deadline > deadline")).toBe(n("SELECT count(DISTINCT task_id) n FROM extension_requests WHERE status = 'approved'"));
    expect(n("SELECT count(*) n FROM tasks t WHERE term = 'long_term' AND NOT EXISTS (SELECT 1 FROM task_stages s WHERE s.task_id = t.id)")).toBe(0);
    expect(n('SELECT count(*) n FROM progress_entries p JOIN tasks t ON t.id = p.task_id WHERE p.entry_date > ?', summary.today)).toBe(0);
  });

  it('keeps every task status consistent with its close-outs, reviewed by someone other than the submitter', () => {
    const tasks = rows<{ id: string; status: string; closedAt: string | null }>('SELECT id, status, closed_at closedAt FROM tasks WHERE deleted_at IS NULL');
    for (const t of tasks) {
      const cos = rows<{ decision: string; submittedBy: string; reviewerId: string | null; superseded: string | null }>(
        'SELECT decision, submitted_by submittedBy, reviewer_id reviewerId, superseded_at superseded FROM closeouts WHERE task_id = ?', t.id);
      const accepted = cos.filter((c) => c.decision === 'accepted' && c.superseded === null);
      const pending = cos.filter((c) => c.decision === 'pending');
      if (t.status === 'closed') {
        expect(accepted, t.id).toHaveLength(1);
        expect(accepted[0]!.reviewerId).not.toBe(accepted[0]!.submittedBy);
        expect(t.closedAt).not.toBeNull();
      } else {
        expect(accepted, t.id).toHaveLength(0);
      }
      expect(pending, t.id).toHaveLength(t.status === 'pending_review' ? 1 : 0);
    }
    expect(n("SELECT count(*) n FROM closeouts WHERE decision <> 'pending' AND (reviewer_id IS NULL OR reviewer_id = submitted_by)")).toBe(0);
  });

  it('acts as the right user for each step', () => {
    const roles = (entity: string, action: string) => rows<{ role: string }>(
      'SELECT DISTINCT u.role FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.entity = ? AND a.action = ? ORDER BY u.role', entity, action,
    ).map((r) => r.role);
    expect(roles('problems', 'create')).toEqual(['entry']);
    expect(roles('progress_entries', 'create')).toEqual(['entry']);
    expect(roles('tasks', 'submit')).toEqual(['entry']);
    for (const r of roles('closeouts', 'accept')) expect(['reviewer', 'leader']).toContain(r);
    for (const r of roles('extension_requests', 'approve')) expect(['reviewer', 'leader']).toContain(r);
    expect(n('SELECT count(*) n FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.entity = ? AND u.can_view_clues = 0', 'clues')).toBe(0);
    expect(n('SELECT count(*) n FROM audit_log WHERE entity = ? ', 'clues')).toBeGreaterThan(0);
    const accounts = rows<{ role: string; c: number }>('SELECT role, count(*) c FROM users GROUP BY role');
    expect(Object.fromEntries(accounts.map((a) => [a.role, a.c]))).toMatchObject({ admin: 1, entry: 2, reviewer: 2, leader: 1, readonly: 1 });
    expect(summary.password).toBe(DEMO_PASSWORD);
  });

  it('records the supervising side: reports, clues in every way, suggestions, petitions, activities, a 4-stage programme', () => {
    for (const kind of ['plan', 'dlm', 'progress', 'review_opinion', 'disclosure']) {
      expect(n('SELECT count(*) n FROM reports WHERE kind = ?', kind), kind).toBeGreaterThan(0);
    }
    const ways = rows<{ way: string }>('SELECT DISTINCT way FROM clue_dispositions').map((r) => r.way).sort();
    expect(ways).toEqual(['case_filed', 'closed_out', 'preliminary_verification', 'shelved', 'talk_inquiry']);
    expect(n('SELECT count(*) n FROM clue_dispositions WHERE is_reactivation = 1')).toBe(1);
    expect(n("SELECT count(*) n FROM clues WHERE disposition = 'case_filed' AND outcome IS NOT NULL AND money_recovered_fen > 0")).toBeGreaterThan(0);
    expect(n("SELECT count(*) n FROM suggestions WHERE status <> 'pending'")).toBeGreaterThan(0);
    expect(n('SELECT count(*) n FROM petitions')).toBeGreaterThan(0);
    expect(n('SELECT count(*) n FROM activity_problems')).toBeGreaterThan(0);
    expect(rows<{ name: string }>('SELECT name FROM programme_stages ORDER BY seq').map((s) => s.name)).toEqual(['学习部署', '集中整改落实', '集中整改审核', '持续整改']);
    expect(n('SELECT count(*) n FROM programme_measures')).toBe(15);
  });

  it('rates units (a poor rating opens 二次整改), escalates laggards in ladder order and holds people to account', () => {
    expect(n("SELECT count(*) n FROM evaluations WHERE grade = 'poor' AND opens_second_round = 1")).toBeGreaterThanOrEqual(1);
    expect(n('SELECT count(*) n FROM inspections WHERE second_round_from IS NOT NULL')).toBeGreaterThanOrEqual(1);
    expect(n('SELECT count(*) n FROM tasks WHERE second_round = 1')).toBeGreaterThanOrEqual(1);
    const ladder: readonly string[] = ESCALATION_LEVELS.codes;
    const notices = rows<{ targetId: string; level: string }>('SELECT target_id targetId, level FROM escalation_notices ORDER BY issued_on, id');
    const byTarget = new Map<string, number[]>();
    for (const x of notices) byTarget.set(x.targetId, [...(byTarget.get(x.targetId) ?? []), ladder.indexOf(x.level)]);
    expect(Math.max(...[...byTarget.values()].map((l) => l.length))).toBe(4);
    for (const levels of byTarget.values()) expect(levels).toEqual(levels.map((_, k) => k));
    expect(n('SELECT count(*) n FROM accountability a WHERE EXISTS (SELECT 1 FROM accountability_links l WHERE l.accountability_id = a.id)')).toBeGreaterThan(0);
  });

  it('stores small valid PDF and PNG evidence files', () => {
    const blobs = rows<{ data: Buffer; mime: string }>('SELECT b.data, e.mime_type mime FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256');
    expect(blobs.length).toBeGreaterThan(PROBLEMS);
    for (const b of blobs) {
      if (b.mime === 'application/pdf') {
        expect(b.data.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
        expect(b.data.subarray(-6).toString('latin1')).toBe('%%EOF\n');
      } else {
        expect(b.mime).toBe('image/png');
        expect(b.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      }
      expect(b.data.length).toBeLessThan(2048);
    }
  });

  it('has an intact hash-chained audit trail covering every write', () => {
    const v = verifyAudit(ledger);
    expect(v.ok).toBe(true);
    expect(v.rows).toBe(n('SELECT count(*) n FROM audit_log'));
    expect(n('SELECT count(*) n FROM problems p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = p.id)')).toBe(0);
  });
});

describe('demo ledger: reproducible and anonymised', () => {
  it('gives the same ids and content for the same seed (password hashes aside)', () => {
    const a = tableDigests(ledger);
    const b = tableDigests(twin);
    expect(Object.keys(a).length).toBeGreaterThan(30);
    expect(b).toEqual(a);
    const ids = (l: Ledger) => l.sqlite.prepare('SELECT id FROM tasks ORDER BY id').all();
    expect(ids(twin)).toEqual(ids(ledger));
  });

  it('gives different content for a different seed', () => {
    const a = tableDigests(ledger);
    const c = tableDigests(other);
    expect(c.problems).not.toBe(a.problems);
    expect(c.tasks).not.toBe(a.tasks);
  });

  it('names no real organisation or person from the source texts', () => {
    // Real organisations and people named in /work/shared/seeds (中央巡视 news and the 答记者问).
    const real = [
      '中国国家铁路集团', '国家铁路局', '中国第一汽车集团', '东风汽车集团', '中国一重集团', '中国机械工业集团', '国家烟草专卖局',
      '国家体育总局', '科学技术部', '工业和信息化部', '国务院国有资产监督管理委员会', '习近平', '李希', '刘金国', '凌成兴',
    ];
    const seeds = '/work/shared/seeds';
    if (existsSync(seeds) && statSync(seeds).isDirectory()) {
      const text = readdirSync(seeds).map((f) => readFileSync(join(seeds, f), 'utf8')).join('\n');
      for (const name of real) expect(text, name).toContain(name);
    }
    const tables = rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'evidence_blobs')");
    const all: string[] = [];
    for (const t of tables) {
      for (const r of ledger.sqlite.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[]) {
        for (const v of Object.values(r)) if (typeof v === 'string') all.push(v);
      }
    }
    const text = all.join('\n');
    expect(text).toContain('某某');
    for (const name of real) expect(text.includes(name), name).toBe(false);
    for (const u of rows<{ name: string }>('SELECT name FROM units')) expect(u.name).toContain('某');
    const people = rows<{ p: string }>(`SELECT subject_name p FROM clues UNION ALL SELECT person_name FROM accountability
      UNION ALL SELECT name FROM unit_leaders UNION ALL SELECT leader_name FROM teams UNION ALL SELECT responsible_person FROM tasks`);
    for (const x of people) expect(x.p).toMatch(/^[\u4e00-\u9fff]某{1,2}$/);
  });

  it('refuses to overwrite an existing file', () => {
    const path = join(dir, 'existing.sqlite');
    writeFileSync(path, 'keep me');
    expect(() => generateDemoLedger(path, { problems: PROBLEMS })).toThrow(/已存在/);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});
