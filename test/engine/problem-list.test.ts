import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ServiceContext } from '../../db/core/context.js';
import { makeRng, pick } from '../../db/seed/vocabulary.js';
import { countProblems, explainProblemList, listProblems, type ProblemListRow } from '../../db/queries/problem-list.js';
import { countTasks, explainTaskList, listTasks, type TaskListRow } from '../../db/queries/task-list.js';
import { problems, tasks } from '../../db/schema/index.js';
import { softDelete } from '../../db/core/write.js';
import { expectError } from '../helpers/expect.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

/**
 * A small ledger (3 units × 2 rounds, ~240 problems, ~180 tasks) with deliberately few distinct
 * deadlines, sequence numbers and update times, so that ties on the sort key are everywhere and
 * pagination must break them by id. Problem status/deadline are set directly (read-side test).
 */
const TODAY = '2024-03-01';
const DEADLINES = [null, '2024-01-31', '2024-02-29', '2024-03-01', '2024-03-31', '2024-06-30'];
const WORDS = [
  '违规发放津贴补贴问题仍有发生', '公车私用问题屡禁不止', '招投标管理不规范', '“四风”问题突出', '选人用人不够规范',
  '基层党组织建设比较薄弱', '落实巡视整改要求走过场',
];
const MEASURE_WORDS = ['开展专项治理', '健全制度机制', '追缴违规款项', '公车集中管理', '严肃追责问责'];
const DEPTS = ['财务部', '审计部', '党委办公室'];

let t: TestLedger;
let reader: ServiceContext;
const ids: { units: string[]; rounds: string[]; cats: Record<string, string>; deletedProblems: string[]; deletedTasks: string[] } = {
  units: [], rounds: [], cats: {}, deletedProblems: [], deletedTasks: [],
};

beforeAll(() => {
  t = makeTestLedger({ today: TODAY });
  const admin = t.as(t.users.admin);
  const rng = makeRng(11);
  ids.cats = {
    top: categoryId(admin, '履行全面从严治党责任'),
    leafA: categoryId(admin, '违反中央八项规定精神'),
    leafB: categoryId(admin, '廉洁风险'),
    other: categoryId(admin, '基层党组织建设'),
  };
  const catList = [ids.cats.top!, ids.cats.leafA!, ids.cats.leafB!, ids.cats.other!];
  for (let r = 0; r < 2; r++) ids.rounds.push(fxRound(admin, { name: `某省委第${r + 1}轮巡视` }).id);
  for (let u = 0; u < 3; u++) ids.units.push(fxUnit(admin, { name: `某某集团有限公司（${'ABC'[u]}）` }).id);
  const inspections = ids.rounds.flatMap((roundId) => ids.units.map((unitId) => ({
    roundId, unitId, inspectionId: fxInspection(admin, { roundId, unitId }).inspection.id,
  })));
  let n = 0;
  for (const insp of inspections) {
    for (let k = 1; k <= 40; k++) {
      n++;
      if (n % 10 === 0) t.clock.advance(1000); // updatedAt: a few distinct values, many ties
      const status = pick(rng, ['open', 'open', 'pending_review', 'closed'] as const);
      const deadline = status === 'closed' ? null : pick(rng, DEADLINES);
      let description = `${pick(rng, WORDS)}，${pick(rng, WORDS)}。`;
      if (n === 17) description = '津贴补贴发放比例超过10%的问题。';
      if (n === 33) description = '系统账号a_b长期共用。';
      const p = fxProblem(admin, {
        unitId: insp.unitId, roundId: insp.roundId, inspectionId: insp.inspectionId, seq: (k % 7) + 1,
        categoryId: pick(rng, catList), description, status, deadline, isKey: rng() < 0.2,
        leadLeader: null, source: pick(rng, ['inspection_feedback', 'petition', 'personnel_check'] as const),
        taskCount: 0, closedTaskCount: 0,
      });
      if (k <= 15) {
        for (let s = 1; s <= 2; s++) {
          const dl = pick(rng, DEADLINES.slice(1)) as string;
          const extended = rng() < 0.2;
          const task = fxTask(admin, {
            problemId: p.id, unitId: insp.unitId, roundId: insp.roundId, seq: s, deadline: dl,
            currentDeadline: extended ? '2024-09-30' : dl,
            status: pick(rng, ['draft', 'in_progress', 'in_progress', 'pending_review', 'closed'] as const),
            term: pick(rng, ['immediate', 'concentrated', 'long_term'] as const),
            measures: `${pick(rng, MEASURE_WORDS)}，${pick(rng, MEASURE_WORDS)}。`,
            responsibleDepartment: pick(rng, DEPTS), responsibleLeader: pick(rng, ['张某某', '李某']),
          });
          if (n % 23 === 0 && s === 1) ids.deletedTasks.push(softDelete(admin, tasks, task, '重复录入').id);
        }
      }
      if (n % 31 === 0) ids.deletedProblems.push(softDelete(admin, problems, p, '录入错误').id);
    }
  }
  reader = t.as(t.users.readonly);
});
afterAll(() => t.close());

type Input = Record<string, unknown>;

/** Walk every page with a small limit; returns all ids in order. */
function walk(list: (ctx: ServiceContext, raw: unknown) => { rows: { id: string }[]; nextCursor: string | null }, input: Input, limit = 7): string[] {
  const out: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = list(reader, { ...input, limit, cursor });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    out.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return out;
    expect(page.rows.length).toBe(limit);
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not terminate');
}

/** The straightforward SQL: every matching live problem, NULL deadlines last, ties by id. */
function refProblems(where = '1', params: unknown[] = [], orderBy = 'deadline IS NULL, deadline, id'): string[] {
  return (t.ledger.sqlite.prepare(`SELECT id FROM problems WHERE deleted_at IS NULL AND (${where}) ORDER BY ${orderBy}`)
    .all(...params) as { id: string }[]).map((r) => r.id);
}

describe('problem list: keyset pagination', () => {
  const cases: [string, Input, string][] = [
    ['deadline ascending', { sort: 'deadline', order: 'asc' }, 'deadline IS NULL, deadline, id'],
    ['deadline descending', { sort: 'deadline', order: 'desc' }, 'deadline IS NULL, deadline DESC, id DESC'],
    ['seq ascending', { sort: 'seq', order: 'asc' }, 'seq, id'],
    ['seq descending', { sort: 'seq', order: 'desc' }, 'seq DESC, id DESC'],
    ['updatedAt ascending', { sort: 'updatedAt', order: 'asc' }, 'updated_at, id'],
    ['updatedAt descending', { sort: 'updatedAt', order: 'desc' }, 'updated_at DESC, id DESC'],
  ];
  it.each(cases)('walks every live problem exactly once sorted by %s, with no duplicates or gaps', (_name, input, orderBy) => {
    const got = walk(listProblems, input);
    const expected = refProblems('1', [], orderBy);
    expect(expected.length).toBeGreaterThan(200);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(expected);
  });

  it('sorts by deadline ascending by default and puts undated problems last', () => {
    const rows = walk(listProblems, {}, 50);
    expect(rows).toEqual(refProblems());
    const all = listProblems(reader, { limit: 200 }).rows;
    const firstNull = all.findIndex((r) => r.deadline === null);
    expect(firstNull).toBeGreaterThan(0);
    expect(all.slice(firstNull).every((r) => r.deadline === null)).toBe(true);
  });

  it('gives the same pages whatever the page size', () => {
    expect(walk(listProblems, { unitId: ids.units[1] }, 3)).toEqual(walk(listProblems, { unitId: ids.units[1] }, 200));
  });

  it('defaults to 50 rows a page and refuses page sizes outside 1–200', () => {
    expect(listProblems(reader, {}).rows).toHaveLength(50);
    expectError(() => listProblems(reader, { limit: 0 }), 'VALIDATION', 'limit');
    expectError(() => listProblems(reader, { limit: 201 }), 'VALIDATION', 'limit');
    expect(listProblems(reader, { limit: 200 }).rows).toHaveLength(200);
  });
});

describe('problem list: filters', () => {
  const cases: [string, () => Input, () => [string, unknown[]]][] = [
    ['unit', () => ({ unitId: ids.units[0] }), () => ['unit_id = ?', [ids.units[0]]]],
    ['round', () => ({ roundId: ids.rounds[1] }), () => ['round_id = ?', [ids.rounds[1]]]],
    ['status open', () => ({ status: 'open' }), () => ["status = 'open'", []]],
    ['status pending_review', () => ({ status: 'pending_review' }), () => ["status = 'pending_review'", []]],
    ['status closed', () => ({ status: 'closed' }), () => ["status = 'closed'", []]],
    ['overdue', () => ({ overdue: true }), () => ["status <> 'closed' AND deadline < ?", [TODAY]]],
    ['not overdue', () => ({ overdue: false }), () => ["NOT (status <> 'closed' AND coalesce(deadline < ?, 0))", [TODAY]]],
    ['a leaf category', () => ({ categoryId: ids.cats.leafA }), () => ['category_id = ?', [ids.cats.leafA]]],
    ['a top category with its sub-categories', () => ({ categoryId: ids.cats.top }),
      () => ['category_id IN (?, ?, ?)', [ids.cats.top, ids.cats.leafA, ids.cats.leafB]]],
    ['key problems', () => ({ isKey: true }), () => ['is_key = 1', []]],
    ['other than key problems', () => ({ isKey: false }), () => ['is_key = 0', []]],
    ['source', () => ({ source: 'petition' }), () => ["source = 'petition'", []]],
    ['a department among its tasks', () => ({ responsibleDepartment: '审计部' }),
      () => ["EXISTS (SELECT 1 FROM tasks t WHERE t.problem_id = problems.id AND t.deleted_at IS NULL AND t.responsible_department = '审计部')", []]],
    ['a leader among its tasks + open', () => ({ responsibleLeader: '李某', status: 'open' }),
      () => ["status = 'open' AND id IN (SELECT problem_id FROM tasks WHERE deleted_at IS NULL AND responsible_leader = '李某')", []]],
    ['unit + open + overdue (the red list of a unit)', () => ({ unitId: ids.units[2], status: 'open', overdue: true }),
      () => ["unit_id = ? AND status = 'open' AND deadline < ?", [ids.units[2], TODAY]]],
    ['round + pending + not key', () => ({ roundId: ids.rounds[0], status: 'pending_review', isKey: false }),
      () => ["round_id = ? AND status = 'pending_review' AND is_key = 0", [ids.rounds[0]]]],
  ];
  it.each(cases)('filters by %s, same rows as the plain SQL, and counts them', (_name, input, ref) => {
    const [where, params] = ref();
    const expected = refProblems(where, params);
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(listProblems, input())).toEqual(expected);
    expect(countProblems(reader, input()).total).toBe(expected.length);
    expect(listProblems(reader, { ...input(), withTotal: true }).total).toBe(expected.length);
  });

  it('never returns soft-deleted problems, even when every filter matches them', () => {
    expect(ids.deletedProblems.length).toBeGreaterThan(3);
    const all = new Set(walk(listProblems, {}, 100));
    for (const id of ids.deletedProblems) expect(all.has(id)).toBe(false);
    const live = (t.ledger.sqlite.prepare('SELECT count(*) AS n FROM problems WHERE deleted_at IS NULL').get() as { n: number }).n;
    expect(countProblems(reader, {}).total).toBe(live);
    const deleted = t.ledger.sqlite.prepare('SELECT unit_id, description FROM problems WHERE id = ?').get(ids.deletedProblems[0]) as
      { unit_id: string; description: string };
    const hits = walk(listProblems, { unitId: deleted.unit_id, q: deleted.description.slice(0, 6) }, 50);
    expect(hits).not.toContain(ids.deletedProblems[0]);
  });

  it('returns unit and category names, task counts and an overdue flag against the clock', () => {
    const rows = walk(listProblems, { unitId: ids.units[0] }, 200);
    const page = listProblems(reader, { unitId: ids.units[0], limit: 200 }).rows;
    expect(page.map((r) => r.id)).toEqual(rows);
    const r = page.find((x) => x.status === 'open' && x.deadline !== null && x.deadline < TODAY)!;
    expect(r).toMatchObject({ unitName: '某某集团有限公司（A）', overdue: true, taskCount: 0 });
    expect(typeof r.categoryName).toBe('string');
    expect(typeof r.isKey).toBe('boolean');
    expect(page.filter((x) => x.overdue).every((x) => x.status !== 'closed' && x.deadline! < TODAY)).toBe(true);
    // A later "today" makes more problems overdue: the flag follows the injected clock.
    const later: ServiceContext = { ...reader, clock: fixedClock('2024-12-31') };
    const laterRows = listProblems(later, { unitId: ids.units[0], limit: 200 }).rows;
    const count = (rs: ProblemListRow[]) => rs.filter((x) => x.overdue).length;
    expect(count(laterRows)).toBeGreaterThan(count(page));
    expect(countProblems(later, { overdue: true }).total).toBe(refProblems("status <> 'closed' AND deadline < '2024-12-31'").length);
  });

  it('rejects filters of the wrong kind with the field named', () => {
    expectError(() => listProblems(reader, { unitId: 'nope' }), 'VALIDATION', 'unitId');
    expectError(() => listProblems(reader, { status: 'done' }), 'VALIDATION', 'status');
    expectError(() => listProblems(reader, { overdue: 'yes' }), 'VALIDATION', 'overdue');
    expectError(() => listProblems(reader, { sort: 'description' }), 'VALIDATION', 'sort');
    expectError(() => listProblems(reader, { order: 'up' }), 'VALIDATION', 'order');
    expectError(() => listProblems(reader, { source: 'rumour' }), 'VALIDATION', 'source');
  });
});

describe('problem list: search', () => {
  const likeRef = (term: string) => refProblems("instr(description, ?) > 0", [term]);

  it('finds 3+ character terms through the trigram index', () => {
    const expected = likeRef('招投标');
    expect(expected.length).toBeGreaterThan(5);
    expect(walk(listProblems, { q: '招投标' })).toEqual(expected);
  });

  it('finds 1–2 character terms that the trigram index silently misses', () => {
    const fts = t.ledger.sqlite.prepare("SELECT count(*) AS n FROM problems_fts WHERE problems_fts MATCH '\"公车\"'").get() as { n: number };
    expect(fts.n).toBe(0);
    const expected = likeRef('公车');
    expect(expected.length).toBeGreaterThan(5);
    expect(walk(listProblems, { q: '公车' })).toEqual(expected);
    expect(walk(listProblems, { q: '风' })).toEqual(likeRef('风'));
  });

  it('searches a single unit by scanning its own rows, with the same results as the index', () => {
    const unitId = ids.units[2]!;
    const expected = refProblems('unit_id = ? AND instr(description, ?) > 0', [unitId, '招投标']);
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(listProblems, { unitId, q: '招投标' })).toEqual(expected);
    const fromIndex = new Set(walk(listProblems, { q: '招投标' }));
    expect(expected.every((id) => fromIndex.has(id))).toBe(true);
    const plan = explainProblemList(reader, { unitId, q: '招投标' });
    expect(plan.some((d) => d.includes('problems_unit_deadline_idx (unit_id=?'))).toBe(true);
    expect(plan.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
    expect(plan.some((d) => d.includes('problems_fts'))).toBe(false);
    expect(explainProblemList(reader, { q: '招投标' }).some((d) => d.includes('problems_fts'))).toBe(true);
  });

  it('requires every blank-separated term, short or long', () => {
    const expected = refProblems("instr(description, '公车') > 0 AND instr(description, '招投标') > 0");
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(listProblems, { q: '  公车   招投标 ' })).toEqual(expected);
  });

  it('treats % and _ in the search as plain characters', () => {
    expect(walk(listProblems, { q: '%' })).toEqual(likeRef('%'));
    expect(likeRef('%')).toHaveLength(1);
    expect(walk(listProblems, { q: '0%' })).toHaveLength(1);
    expect(walk(listProblems, { q: '_' })).toEqual(likeRef('_'));
    expect(likeRef('_')).toHaveLength(1);
    expect(walk(listProblems, { q: 'a_b' })).toHaveLength(1);
  });

  it('treats FTS5 syntax in the search as plain text', () => {
    expect(walk(listProblems, { q: '"四风" OR x' })).toEqual([]);
    expect(walk(listProblems, { q: 'description:招投标' })).toEqual([]);
    expect(walk(listProblems, { q: 'NEAR(招投标' })).toEqual([]);
  });
});

describe('problem list: cursors, rights and plans', () => {
  it('refuses a cursor that is not one of its own with VALIDATION on cursor', () => {
    const next = listProblems(reader, { limit: 5 }).nextCursor!;
    expect(next).toBeTruthy();
    expectError(() => listProblems(reader, { cursor: 'not-a-cursor!' }), 'VALIDATION', 'cursor');
    expectError(() => listProblems(reader, { cursor: Buffer.from('{"s":"deadline"').toString('base64url') }), 'VALIDATION', 'cursor');
    const tampered = JSON.parse(Buffer.from(next, 'base64url').toString());
    tampered.id = "x' OR 1=1 --";
    expectError(() => listProblems(reader, { cursor: Buffer.from(JSON.stringify(tampered)).toString('base64url') }), 'VALIDATION', 'cursor');
    expectError(() => listProblems(reader, { cursor: next, sort: 'seq' }), 'VALIDATION', 'cursor');
    expectError(() => listProblems(reader, { cursor: next, order: 'desc' }), 'VALIDATION', 'cursor');
    expectError(() => listProblems(reader, { cursor: 42 }), 'VALIDATION', 'cursor');
  });

  it('lets a read-only user read and refuses when nobody is logged in', () => {
    expect(listProblems(t.as(t.users.readonly), { limit: 1 }).rows).toHaveLength(1);
    expectError(() => listProblems(t.as(null), {}), 'FORBIDDEN');
    expectError(() => countProblems(t.as(null), {}), 'FORBIDDEN');
    expectError(() => listTasks(t.as(null), {}), 'FORBIDDEN');
  });

  it('answers a unit\'s open overdue list from the (unit_id, status, deadline) index without scanning problems', () => {
    const plan = explainProblemList(reader, { unitId: ids.units[0], status: 'open', overdue: true, sort: 'deadline' });
    expect(plan.some((d) => /SEARCH pr USING INDEX problems_unit_status_deadline_idx \(unit_id=\? AND status=\? AND deadline/.test(d))).toBe(true);
    expect(plan.some((d) => /SCAN pr\b|SCAN problems\b/.test(d))).toBe(false);
    const next = listProblems(reader, { unitId: ids.units[0], status: 'open', limit: 2 }).nextCursor!;
    const page2 = explainProblemList(reader, { unitId: ids.units[0], status: 'open', limit: 2, cursor: next });
    expect(page2.some((d) => d.includes('problems_unit_status_deadline_idx'))).toBe(true);
    expect(page2.some((d) => /SCAN pr\b/.test(d))).toBe(false);
  });

  it('answers a round\'s list by status from the (round_id, status, deadline) index', () => {
    const plan = explainProblemList(reader, { roundId: ids.rounds[0], status: 'pending_review' });
    expect(plan.some((d) => d.includes('problems_round_idx (round_id=? AND status=?'))).toBe(true);
    expect(plan.some((d) => /SCAN pr\b/.test(d))).toBe(false);
  });
});

describe('task list', () => {
  function refTasks(where = '1', params: unknown[] = [], orderBy = 'current_deadline, id'): string[] {
    return (t.ledger.sqlite.prepare(`SELECT t.id FROM tasks t JOIN problems p ON p.id = t.problem_id
      WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND (${where}) ORDER BY ${orderBy.replace(/\b(current_deadline|updated_at|id)\b/g, 't.$1')}`)
      .all(...params) as { id: string }[]).map((r) => r.id);
  }

  it.each([
    ['current deadline ascending', { sort: 'currentDeadline', order: 'asc' }, 'current_deadline, id'],
    ['current deadline descending', { sort: 'currentDeadline', order: 'desc' }, 'current_deadline DESC, id DESC'],
    ['updatedAt descending', { sort: 'updatedAt', order: 'desc' }, 'updated_at DESC, id DESC'],
  ] as [string, Input, string][])('walks every live task exactly once sorted by %s', (_n, input, orderBy) => {
    const expected = refTasks('1', [], orderBy);
    expect(expected.length).toBeGreaterThan(100);
    expect(walk(listTasks, input)).toEqual(expected);
  });

  const cases: [string, () => Input, () => [string, unknown[]]][] = [
    ['unit', () => ({ unitId: ids.units[1] }), () => ['t.unit_id = ?', [ids.units[1]]]],
    ['round', () => ({ roundId: ids.rounds[0] }), () => ['t.round_id = ?', [ids.rounds[0]]]],
    ['status', () => ({ status: 'pending_review' }), () => ["t.status = 'pending_review'", []]],
    ['term', () => ({ term: 'long_term' }), () => ["t.term = 'long_term'", []]],
    ['responsible department', () => ({ responsibleDepartment: '审计部' }), () => ["t.responsible_department = '审计部'", []]],
    ['responsible leader', () => ({ responsibleLeader: '李某' }), () => ["t.responsible_leader = '李某'", []]],
    ['the problem\'s top category with its sub-categories', () => ({ categoryId: ids.cats.top }),
      () => ['p.category_id IN (?, ?, ?)', [ids.cats.top, ids.cats.leafA, ids.cats.leafB]]],
    ['key problems + department', () => ({ isKey: true, responsibleDepartment: '审计部' }), () => ["p.is_key = 1 AND t.responsible_department = '审计部'", []]],
    ['other than key problems', () => ({ isKey: false }), () => ['p.is_key = 0', []]],
    ['unfinished and due by a day', () => ({ dueBy: '2024-07-31' }), () => ["t.status <> 'closed' AND t.current_deadline <= '2024-07-31'", []]],
    ['unit + due by a day', () => ({ unitId: ids.units[0], dueBy: '2024-07-31' }), () => ["t.unit_id = ? AND t.status <> 'closed' AND t.current_deadline <= '2024-07-31'", [ids.units[0]]]],
    ['overdue on the current deadline', () => ({ overdue: true }), () => ["t.status <> 'closed' AND t.current_deadline < ?", [TODAY]]],
    ['unit + in progress + overdue', () => ({ unitId: ids.units[0], status: 'in_progress', overdue: true }),
      () => ["t.unit_id = ? AND t.status = 'in_progress' AND t.current_deadline < ?", [ids.units[0], TODAY]]],
    ['a short search term', () => ({ q: '公车' }), () => ["instr(t.measures, '公车') > 0", []]],
    ['a long search term', () => ({ q: '追缴违规' }), () => ["instr(t.measures, '追缴违规') > 0", []]],
    ['a long search term within a unit', () => ({ unitId: ids.units[1], q: '健全制度' }),
      () => ["t.unit_id = ? AND instr(t.measures, '健全制度') > 0", [ids.units[1]]]],
  ];
  it.each(cases)('filters by %s, same rows as the plain SQL', (_n, input, ref) => {
    const [where, params] = ref();
    const expected = refTasks(where, params);
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(listTasks, input())).toEqual(expected);
    expect(countTasks(reader, input()).total).toBe(expected.length);
  });

  it('filters by problem, hides dropped tasks and tasks of deleted problems, and flags extensions', () => {
    const p = t.ledger.sqlite.prepare('SELECT problem_id AS id FROM tasks WHERE id = ?').get(ids.deletedTasks[0]) as { id: string };
    const rows = listTasks(reader, { problemId: p.id }).rows;
    expect(rows.map((r) => r.id)).toEqual(refTasks('t.problem_id = ?', [p.id]));
    expect(rows.map((r) => r.id)).not.toContain(ids.deletedTasks[0]);
    const all: TaskListRow[] = [];
    let cursor: string | null = null;
    do {
      const page: ReturnType<typeof listTasks> = listTasks(reader, { limit: 200, cursor });
      all.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor);
    const deletedProblems = new Set(ids.deletedProblems);
    expect(all.some((r) => deletedProblems.has(r.problemId))).toBe(false);
    expect(all.some((r) => r.extended && r.currentDeadline === '2024-09-30' && r.deadline !== r.currentDeadline)).toBe(true);
    expect(all.every((r) => r.overdue === (r.status !== 'closed' && r.currentDeadline < TODAY))).toBe(true);
    expect(all.every((r) => typeof r.unitName === 'string' && typeof r.problemSeq === 'number')).toBe(true);
  });

  it('answers a unit\'s overdue tasks by status from the (unit_id, status, current_deadline) index', () => {
    const plan = explainTaskList(reader, { unitId: ids.units[0], status: 'in_progress', overdue: true });
    expect(plan.some((d) => d.includes('tasks_unit_status_idx (unit_id=? AND status=? AND current_deadline<?)'))).toBe(true);
    expect(plan.some((d) => /SCAN t\b/.test(d))).toBe(false);
  });
});

describe('lists at an aggregating office\'s scale: the indexes of migration 0013', () => {
  const origin = () => (t.ledger.sqlite.prepare('SELECT origin_office_id AS o FROM problems LIMIT 1').get() as { o: string }).o;

  it('a 来源单位 filter reads its own index, by deadline and by last change, for problems and tasks', () => {
    const o = origin();
    expect(explainProblemList(reader, { originOfficeId: o }).some((d) => d.includes('problems_origin_idx (origin_office_id=?'))).toBe(true);
    expect(explainProblemList(reader, { originOfficeId: o, sort: 'updatedAt' }).some((d) => d.includes('problems_origin_updated_idx (origin_office_id=?'))).toBe(true);
    expect(explainTaskList(reader, { originOfficeId: o }).some((d) => d.includes('tasks_origin_idx (origin_office_id=?'))).toBe(true);
    expect(explainTaskList(reader, { originOfficeId: o, sort: 'updatedAt' }).some((d) => d.includes('tasks_origin_updated_idx (origin_office_id=?'))).toBe(true);
    for (const plan of [explainProblemList(reader, { originOfficeId: o, sort: 'updatedAt' }), explainTaskList(reader, { originOfficeId: o, sort: 'updatedAt' })]) {
      expect(plan.some((d) => /SCAN (pr|t)\b/.test(d) || d.includes('TEMP B-TREE FOR ORDER BY'))).toBe(false);
    }
    // Filtered by origin, the lists give the same rows as unfiltered (every record here is this office's).
    expect(countProblems(reader, { originOfficeId: o }).total).toBe(countProblems(reader, {}).total);
    expect(countTasks(reader, { originOfficeId: o }).total).toBe(countTasks(reader, {}).total);
    expect(countTasks(reader, { originOfficeId: '0191abbd-5e00-7000-8864-2d172c4bd5e9' }).total).toBe(0);
  });

  it('a status across every round (待审核, overdue) reads tasks_status_idx, not every task', () => {
    expect(explainTaskList(reader, { status: 'pending_review' }).some((d) => d.includes('tasks_status_idx (status=?'))).toBe(true);
    expect(explainTaskList(reader, { overdue: true }).some((d) => d.includes('tasks_status_idx (status=? AND current_deadline<?)'))).toBe(true);
    // A unit's or a round's still read their own.
    expect(explainTaskList(reader, { unitId: ids.units[0], status: 'pending_review' }).some((d) => d.includes('tasks_unit_status_idx'))).toBe(true);
  });

  it('the task list by last change walks tasks_updated_idx, with no sort of the whole table', () => {
    const plan = explainTaskList(reader, { sort: 'updatedAt' });
    expect(plan.some((d) => d.includes('tasks_updated_idx'))).toBe(true);
    expect(plan.some((d) => d.includes('TEMP B-TREE FOR ORDER BY') && !d.includes('pg'))).toBe(false);
  });

  it('"its problem is not deleted" is asked of the deleted problems (one list per query), unless the problem is filtered too', () => {
    const plain = explainTaskList(reader, {});
    expect(plain.some((d) => d.includes('problems_deleted_idx'))).toBe(true);
    expect(plain.some((d) => d.includes('CORRELATED'))).toBe(false);
    // With a filter on the problem's category, the problem row is read (EXISTS); the deleted are hidden either way.
    expect(explainTaskList(reader, { categoryId: ids.cats.other }).some((d) => d.includes('problems_deleted_idx'))).toBe(false);
    const deleted = new Set(ids.deletedProblems);
    // Some deleted problem still has live tasks (as after a package tombstoned the problem alone).
    expect((t.ledger.sqlite.prepare('SELECT count(*) AS n FROM tasks WHERE deleted_at IS NULL AND problem_id IN (SELECT id FROM problems WHERE deleted_at IS NOT NULL)').get() as { n: number }).n).toBeGreaterThan(0);
    for (const a of [{}, { categoryId: ids.cats.other }]) {
      const rows = listTasks(reader, { ...a, limit: 200 }).rows;
      expect(rows.length).toBeLessThan(200); // one page holds them all
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => deleted.has(r.problemId))).toBe(false);
      expect(countTasks(reader, a).total).toBe(rows.length);
    }
  });
});
