/**
 * 台账校验: is this ledger what the app last wrote? Run in the background after log-in (and on
 * request). Four checks, one verdict:
 *
 * 1. SQLite's own consistency check (`PRAGMA quick_check`) on files small enough to read whole in
 *    a moment; it takes minutes on a multi-gigabyte ledger (199 s on the 4 GB million-problem bench
 *    file), so larger files skip it here and a full check is run on request.
 * 2. The audit chain (db/core/audit.ts): names the first audit row edited, removed or replaced.
 * 3. The anchor in the key file (db/core/anchor.ts): the newest audit rows cut off, a chain
 *    rewritten and re-hashed, or an older copy of the file put back.
 * 4. Every record against its last audited state (verifyRecords): each audited write stores the
 *    content hash of the record as it then stood (audit_log.row_hash, db/core/write.ts rowHash); a
 *    record whose current hash differs was changed outside the app, a record with no audit entry
 *    was added outside it, an audited record that is gone was deleted outside it (unless a round's
 *    purge removed it: purged_records, itself checked against its audited digest). A problem's
 *    roll-up columns (status, deadline, task counts), which are not audited, are checked against
 *    its tasks; evidence files against their SHA-256.
 *
 * Everything streams (one row at a time, no table held in memory) and is written as a generator
 * that yields every few hundred rows, so the same code runs to completion at once (verifyLedger:
 * tests, a worker thread) or in slices between other work on the event loop
 * (verifyLedgerInSlices: the host, on a connection of its own, see there).
 */
import { statSync } from 'node:fs';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/index.js';
import { AuditChainCheck, type AuditVerdict, type StoredAudit } from './audit.js';
import { checkAnchor, type AnchorVerdict } from './anchor.js';
import { checkPurgeLists } from '../archive/purge.js';
import type { Anchor } from './keystore.js';
import type { Ledger } from './open.js';
import { rowHasher, type SyncTable } from './write.js';
import { blobIntact } from './blobs.js';

// ---------------------------------------------------------------------------------------------
// Verdicts

export type VerifyPhase = 'integrity' | 'audit' | 'records';

/** Work done and the (estimated) work in all, in rows and pages; `done` never exceeds `total`. */
export interface VerifyProgress {
  phase: VerifyPhase;
  done: number;
  total: number;
}
export type OnProgress = (p: VerifyProgress) => void;

export type RecordProblemKind =
  /** Its current content is not the one its last audit entry recorded. */
  | 'changed'
  /** It has no audit entry at all (and is not bulk-generated scale data). */
  | 'unaudited'
  /** Its audit entries say it exists; it does not. */
  | 'missing'
  /** A problem's status, deadline or task counts disagree with its tasks. */
  | 'derived'
  /** An evidence file's bytes do not match their SHA-256. */
  | 'blob'
  /** The list of records removed by a round's purge (purged_records) does not match its audited digest. */
  | 'purge_list';

export interface RecordProblem {
  kind: RecordProblemKind;
  table: string;
  /** zh-CN name of the table's records (问题线索, 整改任务…). */
  label: string;
  id: string;
  /** The audit row the record was compared with (changed, missing). */
  auditSeq?: number;
  /** zh-CN, one sentence naming the record. */
  message: string;
}

export interface RecordsVerdict {
  ok: boolean;
  /** Records whose content matches their last audited state. */
  checked: number;
  /**
   * Records that cannot be compared: written before content hashes were kept (legacy), or bulk
   * scale data written outside the audited path (bulk: version ≤ meta 'bulk_version').
   */
  unverifiable: { legacy: number; bulk: number };
  /** Evidence files whose bytes match their hash. */
  blobsChecked: number;
  /** How many problems were found in all. */
  problems: number;
  first: RecordProblem | null;
  /** The first few (at most SAMPLE_LIMIT), in the order found. */
  sample: RecordProblem[];
}

export interface IntegrityVerdict {
  checked: 'quick' | 'skipped';
  ok: boolean;
  /** SQLite's messages (at most 20). */
  errors: string[];
}

/** The anchor part: absent (plaintext ledger, no key file), or checkAnchor's verdict. */
export type AnchorPart = AnchorVerdict | { ok: true; seq: 0; skipped: true };

export interface LedgerVerdict {
  /** True when nothing shows tampering or damage (there may still be warnings, see `warnings`). */
  ok: boolean;
  /**
   * ok: nothing found; warning: something to look into that need not be tampering (audit rows
   * written after the last anchor, e.g. the app was stopped mid-call); tampered: the audit trail,
   * the anchor or a record shows a change made outside the app; corrupt: SQLite's own check failed.
   */
  severity: 'ok' | 'warning' | 'tampered' | 'corrupt';
  /** zh-CN: what the user is told, naming the first bad audit row, the missing tail or the changed record. */
  message: string;
  /** zh-CN: one line per finding, then the counts. */
  details: string[];
  /** Warnings (zh-CN), also in details. */
  warnings: string[];
  integrity: IntegrityVerdict;
  audit: AuditVerdict;
  anchor: AnchorPart;
  records: RecordsVerdict;
  /** Wall time in all, and per phase (ms; in slices this includes the time given to other work). */
  ms: number;
  phaseMs: Record<VerifyPhase, number>;
}

export interface VerifyOptions {
  /** From the key file; without them (plaintext ledger) the anchor is not checked. */
  ledgerId?: string;
  anchorKey?: Buffer;
  /** The anchor as read from the key file when the ledger was opened (before it was moved on). */
  anchor?: Anchor | null;
  /**
   * The audit head when the ledger was opened (ledger.state.lastAuditSeq right after opening,
   * before the log-in's own audit rows): rows after the anchor up to it are reported as a warning.
   */
  openedAtSeq?: number;
  /** 'auto' (default): quick_check on files up to QUICK_CHECK_MAX_BYTES, else skipped. */
  integrity?: 'auto' | 'quick' | 'skip';
}

/**
 * Files larger than this skip quick_check at start-up: it reads every page in one statement that
 * cannot be cut into slices (0.2–0.6 s for the 88 MB of a 20,000-problem ledger here, 199 s for the
 * 4 GB million-problem bench file).
 */
export const QUICK_CHECK_MAX_BYTES = 128 * 1024 * 1024;
export const SAMPLE_LIMIT = 20;
/** Rows between yields (a yield costs one time check; slices are cut by time, not rows). */
const STEP = 256;

// ---------------------------------------------------------------------------------------------
// Tables

/** zh-CN names of the records in each table, for messages. */
export const TABLE_LABELS: Readonly<Record<string, string>> = {
  offices: '单位', users: '用户', clue_grants: '问题线索查看权限', clock_rule_sets: '时限规则', rounds: '巡视轮次',
  teams: '巡视组', units: '被巡视单位', inspections: '巡视对象', unit_leaders: '单位主要负责人', handovers: '整改责任交接',
  feedbacks: '反馈意见', problem_categories: '问题类别', problems: '问题', tasks: '整改任务', task_stages: '阶段目标',
  extension_requests: '延期申请', progress_entries: '整改进展', evidence: '佐证材料', evidence_blobs: '佐证材料文件', evidence_chunks: '佐证材料文件',
  closeouts: '销号申请', clues: '问题线索', clue_dispositions: '线索处置', suggestions: '移交建议', petitions: '信访件',
  supervision_activities: '监督举措', activity_problems: '监督举措所涉问题', supervision_programmes: '监督方案',
  programme_stages: '监督方案阶段', programme_measures: '监督方案措施', reports: '报告', evaluations: '整改评估',
  escalation_notices: '督办文书', accountability: '问责', accountability_links: '问责所涉问题', calendar_days: '节假日安排',
  saved_filters: '保存的筛选条件', settings: '设置', round_archives: '轮次归档', purged_records: '轮次清理清单',
};

export function tableLabel(table: string): string {
  return TABLE_LABELS[table] ?? table;
}

let replicated: SyncTable[] | null = null;

/** The tables write.ts writes: every table of the schema with the sync columns (id, version, hlc…). */
export function replicatedTables(): SyncTable[] {
  if (!replicated) {
    replicated = (Object.values(schema) as unknown[]).filter((t): t is SyncTable => {
      if (!is(t, SQLiteTable)) return false;
      const cols = getTableColumns(t);
      return ['id', 'originOfficeId', 'version', 'hlc'].every((k) => k in cols);
    });
  }
  return replicated;
}

// ---------------------------------------------------------------------------------------------
// The work, as generators that yield every STEP rows

class Tally {
  phase: VerifyPhase = 'integrity';
  done = 0;
  constructor(public total: number) {}
  progress(): VerifyProgress {
    return { phase: this.phase, done: Math.min(this.done, this.total), total: this.total };
  }
}

class Findings {
  problems = 0;
  first: RecordProblem | null = null;
  sample: RecordProblem[] = [];
  add(p: RecordProblem): void {
    this.problems++;
    this.first ??= p;
    if (this.sample.length < SAMPLE_LIMIT) this.sample.push(p);
  }
}

function problemMessage(kind: RecordProblemKind, label: string, id: string, seq?: number): string {
  switch (kind) {
    case 'changed':
      return `${label}（编号 ${id}）的当前内容与最后一次审计记录（第${seq}条）不一致：该记录在本程序之外被改动过。`;
    case 'unaudited':
      return `${label}（编号 ${id}）没有任何审计记录：该记录是在本程序之外添加的。`;
    case 'missing':
      return `${label}（编号 ${id}）在审计记录（第${seq}条）中存在，但台账中已找不到：该记录在本程序之外被删除。`;
    case 'derived':
      return `${label}（编号 ${id}）的状态、整改时限或任务数与其整改任务不一致：该记录在本程序之外被改动过。`;
    case 'blob':
      return `${label}（SHA-256 ${id.slice(0, 12)}…）的内容与其哈希不一致：文件内容被改动或已损坏。`;
    case 'purge_list':
      return `${label}与清理记录不符：清单在本程序之外被改动过。`;
  }
}

function fileBytes(ledger: Ledger): number | null {
  if (ledger.path === ':memory:' || ledger.path === '') return null;
  let n = 0;
  for (const s of ['', '-wal']) {
    try {
      n += statSync(ledger.path + s).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return n;
}

function maxRowid(ledger: Ledger, table: string): number {
  return (ledger.sqlite.prepare(`SELECT coalesce(max(rowid), 0) AS n FROM "${table}"`).get() as { n: number }).n;
}

function* integrityStep(ledger: Ledger, mode: 'quick' | 'skip', t: Tally, pages: number): Generator<void, IntegrityVerdict> {
  t.phase = 'integrity';
  if (mode === 'skip') return { checked: 'skipped', ok: true, errors: [] };
  yield;
  const rows = ledger.sqlite.pragma('quick_check(20)', { simple: false }) as Array<{ quick_check: string }>;
  t.done += pages;
  const errors = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
  return { checked: 'quick', ok: errors.length === 0, errors };
}

/** The chain, and whether each record an audit row vouches for (row_hash) still exists. */
function* auditStep(ledger: Ledger, t: Tally, found: Findings): Generator<void, AuditVerdict> {
  t.phase = 'audit';
  const check = new AuditChainCheck();
  const exists = new Map<string, ReturnType<Ledger['sqlite']['prepare']>>();
  for (const tb of replicatedTables()) {
    const name = getTableName(tb);
    exists.set(name, ledger.sqlite.prepare(`SELECT 1 FROM "${name}" WHERE id = ?`).pluck());
  }
  // A record removed by a round's purge (db/archive/purge.ts) is listed in purged_records; that
  // list is checked against its audited digest in recordsStep.
  const purged = hasTable(ledger, 'purged_records')
    ? ledger.sqlite.prepare('SELECT 1 FROM purged_records WHERE entity_id = ? AND entity = ?').pluck()
    : null;
  // Missing records are reported once each: the audit rows of one record are many.
  let lastMissing = '';
  const it = ledger.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<StoredAudit>;
  let n = 0;
  for (const r of it) {
    // After the first broken row the chain is not trusted, but the records it names still are worth
    // looking up: keep going for those, without re-checking the chain.
    check.next(r);
    if (r.row_hash) {
      const stmt = exists.get(r.entity);
      const key = `${r.entity}/${r.entity_id}`;
      if (stmt && key !== lastMissing && stmt.get(r.entity_id) === undefined && purged?.get(r.entity_id, r.entity) === undefined) {
        lastMissing = key;
        const label = tableLabel(r.entity);
        found.add({ kind: 'missing', table: r.entity, label, id: r.entity_id, auditSeq: r.seq, message: problemMessage('missing', label, r.entity_id, r.seq) });
      }
    }
    if (++n === STEP) {
      t.done += n;
      n = 0;
      yield;
    }
  }
  t.done += n;
  return check.verdict();
}

function* recordsStep(ledger: Ledger, t: Tally, found: Findings, out: RecordsVerdict): Generator<void, void> {
  t.phase = 'records';
  const bulkRow = ledger.sqlite.prepare("SELECT value FROM meta WHERE key = 'bulk_version'").get() as { value: string } | undefined;
  const bulkVersion = bulkRow ? Number(bulkRow.value) : null;
  // The index on entity_id (rowid = seq inside it) walks one record's entries newest first.
  const lastHash = ledger.sqlite.prepare(`SELECT seq, row_hash FROM audit_log
    WHERE entity_id = ? AND entity = ? AND row_hash IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  const anyAudit = ledger.sqlite.prepare('SELECT 1 FROM audit_log WHERE entity_id = ? AND entity = ? LIMIT 1').pluck();
  // The roll-up of one problem, exactly as db/services/problems.ts refreshProblemRollup computes it.
  const rollup = ledger.sqlite.prepare(`SELECT count(*) AS n,
      coalesce(sum(status = 'closed'), 0) AS closed,
      coalesce(sum(status = 'pending_review'), 0) AS pending,
      min(CASE WHEN status <> 'closed' THEN current_deadline END) AS next_deadline
    FROM tasks WHERE problem_id = ? AND deleted_at IS NULL`);

  for (const table of replicatedTables()) {
    const name = getTableName(table);
    const label = tableLabel(name);
    const stmt = ledger.sqlite.prepare(`SELECT * FROM "${name}"`).raw(true);
    const cols = stmt.columns().map((c) => c.name);
    const hash = rowHasher(table, cols);
    const idAt = cols.indexOf('id');
    const versionAt = cols.indexOf('version');
    const derived = name === 'problems'
      ? { status: cols.indexOf('status'), deadline: cols.indexOf('deadline'), count: cols.indexOf('task_count'), closed: cols.indexOf('closed_task_count') }
      : null;
    let n = 0;
    for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
      const id = row[idAt] as string;
      const last = lastHash.get(id, name) as { seq: number; row_hash: string } | undefined;
      if (last) {
        if (hash(row) === last.row_hash) out.checked++;
        else found.add({ kind: 'changed', table: name, label, id, auditSeq: last.seq, message: problemMessage('changed', label, id, last.seq) });
      } else if (anyAudit.get(id, name) !== undefined) {
        out.unverifiable.legacy++;
      } else if (bulkVersion !== null && (row[versionAt] as number) <= bulkVersion) {
        out.unverifiable.bulk++;
      } else {
        found.add({ kind: 'unaudited', table: name, label, id, message: problemMessage('unaudited', label, id) });
      }
      if (derived) {
        const r = rollup.get(id) as { n: number; closed: number; pending: number; next_deadline: string | null };
        const status = r.n > 0 && r.closed === r.n ? 'closed' : r.pending > 0 && r.pending + r.closed === r.n ? 'pending_review' : 'open';
        if (row[derived.status] !== status || row[derived.deadline] !== r.next_deadline || row[derived.count] !== r.n || row[derived.closed] !== r.closed) {
          found.add({ kind: 'derived', table: name, label, id, message: problemMessage('derived', label, id) });
        }
      }
      if (++n === STEP) {
        t.done += n;
        n = 0;
        yield;
      }
    }
    t.done += n;
  }

  // Evidence files: content-addressed, so their name is their check.
  const blobs = ledger.sqlite.prepare('SELECT sha256 FROM evidence_blobs');
  let n = 0;
  for (const b of blobs.iterate() as IterableIterator<{ sha256: string }>) {
    if (blobIntact(ledger.sqlite, b.sha256)) out.blobsChecked++;
    else found.add({ kind: 'blob', table: 'evidence_blobs', label: tableLabel('evidence_blobs'), id: b.sha256, message: problemMessage('blob', tableLabel('evidence_blobs'), b.sha256) });
    if (++n === 16) {
      t.done += n;
      n = 0;
      yield;
    }
  }
  t.done += n;

  // The purge lists against the digests in their (audited) round_archives rows.
  if (hasTable(ledger, 'round_archives') && hasTable(ledger, 'purged_records')) {
    const label = tableLabel('purged_records');
    for (const message of checkPurgeLists({ ledger })) found.add({ kind: 'purge_list', table: 'purged_records', label, id: '', message });
  }
}

function hasTable(ledger: Ledger, name: string): boolean {
  return ledger.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function emptyRecords(): RecordsVerdict {
  return { ok: true, checked: 0, unverifiable: { legacy: 0, bulk: 0 }, blobsChecked: 0, problems: 0, first: null, sample: [] };
}

function finishRecords(out: RecordsVerdict, found: Findings): RecordsVerdict {
  return { ...out, ok: found.problems === 0, problems: found.problems, first: found.first, sample: found.sample };
}

function estimateRecords(ledger: Ledger): number {
  let n = maxRowid(ledger, 'evidence_blobs');
  for (const tb of replicatedTables()) n += maxRowid(ledger, getTableName(tb));
  return n;
}

function* recordsOnly(ledger: Ledger, t: Tally): Generator<void, RecordsVerdict> {
  const found = new Findings();
  const out = emptyRecords();
  yield* recordsStep(ledger, t, found, out);
  return finishRecords(out, found);
}

function* ledgerSteps(ledger: Ledger, opts: VerifyOptions, tally: (total: number) => Tally): Generator<void, LedgerVerdict> {
  const started = Date.now();
  const bytes = fileBytes(ledger);
  const mode = opts.integrity === 'skip' ? 'skip'
    : opts.integrity === 'quick' || bytes === null || bytes <= QUICK_CHECK_MAX_BYTES ? 'quick' : 'skip';
  const pages = mode === 'quick' ? (ledger.sqlite.pragma('page_count', { simple: true }) as number) : 0;
  const auditRows = (ledger.sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
  const t = tally(pages + auditRows + estimateRecords(ledger));

  const t0 = Date.now();
  const integrity = yield* integrityStep(ledger, mode, t, pages);
  const t1 = Date.now();
  const found = new Findings();
  const audit = yield* auditStep(ledger, t, found);
  const t2 = Date.now();
  const anchor: AnchorPart = opts.ledgerId !== undefined && opts.anchorKey !== undefined && opts.anchor !== undefined
    ? checkAnchor(ledger, opts.ledgerId, opts.anchorKey, opts.anchor, opts.openedAtSeq ?? opts.anchor?.seq ?? 0)
    : { ok: true, seq: 0, skipped: true };
  const out = emptyRecords();
  yield* recordsStep(ledger, t, found, out);
  const records = finishRecords(out, found);
  const t3 = Date.now();
  return summarise({ integrity, audit, anchor, records, ms: t3 - started, phaseMs: { integrity: t1 - t0, audit: t2 - t1, records: t3 - t2 } });
}

// ---------------------------------------------------------------------------------------------
// The verdict in words

function auditMessage(a: Extract<AuditVerdict, { ok: false }>): string {
  switch (a.problem) {
    case 'hash_mismatch':
      return `第${a.brokenAtSeq}条审计记录的内容与其哈希不符：这条审计记录在本程序之外被改动过。`;
    case 'chain_broken':
      return `第${a.brokenAtSeq}条审计记录与前一条不衔接：它之前的审计记录被删除、替换或伪造过。`;
    case 'gap':
      return a.brokenAtSeq > a.expectedSeq + 1
        ? `审计记录在第${a.brokenAtSeq}条之前中断：第${a.expectedSeq}至${a.brokenAtSeq - 1}条审计记录缺失（被删除）。`
        : `审计记录在第${a.brokenAtSeq}条之前中断：第${a.expectedSeq}条审计记录缺失（被删除）。`;
  }
}

function summarise(v: Omit<LedgerVerdict, 'ok' | 'severity' | 'message' | 'details' | 'warnings'>): LedgerVerdict {
  const details: string[] = [];
  const warnings: string[] = [];
  let severity: LedgerVerdict['severity'] = 'ok';
  const raise = (s: LedgerVerdict['severity']) => {
    const order = ['ok', 'warning', 'tampered', 'corrupt'];
    if (order.indexOf(s) > order.indexOf(severity)) severity = s;
  };
  if (!v.integrity.ok) {
    raise('corrupt');
    details.push(`台账文件结构检查未通过（${v.integrity.errors[0] ?? '未知错误'}）：文件已损坏，请从备份恢复。`);
  }
  if (!v.audit.ok) {
    raise('tampered');
    details.push(auditMessage(v.audit));
  }
  if (!v.anchor.ok) {
    raise('tampered');
    details.push(v.anchor.message);
  } else if ('unanchored' in v.anchor && v.anchor.unanchored) {
    const a = v.anchor;
    const w = a.seq === 0
      ? `钥匙文件中没有审计锚点，台账中的${a.unanchored}条审计记录无法与之核对（新转换的台账属正常；否则钥匙文件可能被替换或改动过）。`
      : `第${a.seq + 1}至${a.seq + a.unanchored}条审计记录是在钥匙文件最后一次锚定之后写入的：可能是程序上次异常退出，也可能是有人在程序之外追加了记录，请核对这些记录。`;
    raise('warning');
    warnings.push(w);
    details.push(w);
  }
  if (!v.records.ok) {
    raise('tampered');
    for (const p of v.records.sample.slice(0, 5)) details.push(p.message);
    if (v.records.problems > 5) details.push(`……共发现${v.records.problems}处记录与审计记录不一致。`);
  }
  const r = v.records;
  details.push(`已核对${r.checked}条记录与其最后一次审计记录一致${r.blobsChecked ? `，${r.blobsChecked}个佐证材料文件与其哈希一致` : ''}；审计记录${v.audit.rows}条。`);
  if (r.unverifiable.legacy || r.unverifiable.bulk) {
    const parts: string[] = [];
    if (r.unverifiable.legacy) parts.push(`${r.unverifiable.legacy}条写入于启用内容校验之前`);
    if (r.unverifiable.bulk) parts.push(`${r.unverifiable.bulk}条为批量生成的测试数据`);
    details.push(`另有记录无法与审计记录比对：${parts.join('，')}。`);
  }
  if (v.integrity.checked === 'skipped') details.push('台账文件较大，启动时未做文件结构检查，可在“检查台账”中进行。');

  let message: string;
  if (severity === 'ok') message = '台账校验通过：审计记录完整，所有可核对的记录与审计记录一致。';
  else if (severity === 'warning') message = `台账校验发现需要核对的情况：${warnings[0]}`;
  else if (severity === 'corrupt') message = details[0]!;
  else {
    // The first finding in the order above: the first bad audit row, the missing tail or rewritten
    // head, then the first record changed outside the app.
    const first = !v.audit.ok ? auditMessage(v.audit) : !v.anchor.ok ? v.anchor.message : v.records.first!.message;
    const more = details.filter((d) => d !== first && !d.startsWith('已核对') && !d.startsWith('另有') && !d.startsWith('台账文件较大')).length;
    message = `台账可能在本程序之外被改动过。${first}${more > 0 ? `另有${more}项问题，详见校验结果。` : ''}`;
  }
  return { ...v, ok: severity === 'ok' || severity === 'warning', severity, message, details, warnings };
}

// ---------------------------------------------------------------------------------------------
// Running it

function runAll<R>(gen: Generator<void, R>, t: () => Tally | null, onProgress?: OnProgress, everyMs = 100): R {
  let last = 0;
  for (;;) {
    const r = gen.next();
    const tally = t();
    if (r.done) {
      if (tally && onProgress) onProgress({ ...tally.progress(), done: tally.total });
      return r.value;
    }
    if (tally && onProgress) {
      const now = Date.now();
      if (now - last >= everyMs) {
        last = now;
        onProgress(tally.progress());
      }
    }
  }
}

/** In one read transaction (a consistent snapshot even while another connection writes). */
function* inReadTransaction<R>(ledger: Ledger, inner: Generator<void, R>): Generator<void, R> {
  const own = !ledger.sqlite.inTransaction;
  if (own) ledger.sqlite.prepare('BEGIN').run();
  try {
    return yield* inner;
  } finally {
    if (own && ledger.sqlite.inTransaction) ledger.sqlite.prepare('COMMIT').run();
  }
}

/**
 * Every record against its last audited state (see the file's comment), streaming. Synchronous:
 * on a large ledger call it from verifyLedgerInSlices or a worker.
 */
export function verifyRecords(ledger: Ledger, onProgress?: OnProgress): RecordsVerdict {
  const t = new Tally(estimateRecords(ledger));
  t.phase = 'records';
  return runAll(inReadTransaction(ledger, recordsOnly(ledger, t)), () => t, onProgress);
}

/** All four checks, synchronously (tests; a worker thread with its own connection). */
export function verifyLedger(ledger: Ledger, opts: VerifyOptions = {}, onProgress?: OnProgress): LedgerVerdict {
  let t: Tally | null = null;
  return runAll(inReadTransaction(ledger, ledgerSteps(ledger, opts, (total) => (t = new Tally(total)))), () => t, onProgress);
}

export interface SliceOptions {
  /** Longest stretch of work before giving the event loop back (ms). */
  sliceMs?: number;
  /**
   * Rest between slices (ms; default 0). The host rests twice as long as it works, so a check of a
   * million-record ledger takes a third of one core and each user call waits at most one slice.
   */
  pauseMs?: number;
  /**
   * Give way to the user: no slice starts until `quietMs` have passed since `lastActivity()` (a
   * Date.now() time), so the calls of one click (a list, its count, its figures) never wait for
   * the check, which goes on between clicks.
   */
  quietMs?: number;
  lastActivity?: () => number;
  signal?: AbortSignal;
}

/**
 * All four checks in slices of about `sliceMs` on the event loop, for the host after log-in.
 *
 * Give it a connection of its own: `openLedger(path, { key, readonly: true })`, closed afterwards.
 * It holds one read transaction for the whole run (a consistent snapshot while the host's own
 * connection goes on writing: WAL readers never block the writer) and keeps its cursors open
 * between slices, which a connection that also writes could not do. Rejects with the signal's
 * reason when aborted (log-out, quit).
 */
function quietWait(so: SliceOptions): number {
  if (!so.quietMs || !so.lastActivity) return 0;
  return so.lastActivity() + so.quietMs - Date.now();
}

export async function verifyLedgerInSlices(ledger: Ledger, opts: VerifyOptions = {}, onProgress?: OnProgress, so: SliceOptions = {}): Promise<LedgerVerdict> {
  const sliceMs = so.sliceMs ?? 15;
  let t: Tally | null = null;
  const gen = inReadTransaction(ledger, ledgerSteps(ledger, opts, (total) => (t = new Tally(total))));
  let lastReport = 0;
  try {
    for (;;) {
      for (let wait = quietWait(so); wait > 0; wait = quietWait(so)) {
        await new Promise<void>((resolve) => setTimeout(resolve, wait));
        if (so.signal?.aborted) throw so.signal.reason ?? new Error('aborted');
      }
      const until = Date.now() + sliceMs;
      let r = gen.next();
      while (!r.done && Date.now() < until) r = gen.next();
      const tally = t as Tally | null;
      if (r.done) {
        if (tally && onProgress) onProgress({ ...tally.progress(), done: tally.total });
        return r.value;
      }
      if (tally && onProgress && Date.now() - lastReport >= 100) {
        lastReport = Date.now();
        onProgress(tally.progress());
      }
      await new Promise<void>((resolve) => (so.pauseMs ? setTimeout(resolve, so.pauseMs) : setImmediate(resolve)));
      if (so.signal?.aborted) throw so.signal.reason ?? new Error('aborted');
    }
  } finally {
    // Closes the open cursors and ends the read transaction (generator finally blocks).
    gen.return(undefined as never);
  }
}
