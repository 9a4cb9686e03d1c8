/**
 * Which records belong to one round (巡视轮次), and the rule that a round is finished.
 *
 * A round owns what hangs under it by reference, directly or through its inspections, problems and
 * tasks (the foreign-key paths of db/schema). The rules below put those records' ids into a
 * temporary table on the ledger's own connection (`temp.arc_scope`, never in the file), from which
 * the archive is copied, the purge deletes and the digests are taken. Every table of the schema is
 * classified here once (ROUND_TABLES, REFERENCE_TABLES, LEDGER_TABLES); test/engine/archive.test.ts
 * fails when a table is added without being classified.
 *
 * Reference rows (offices, users, categories, rule sets, units and their leader history, the
 * holiday calendar) are copied into an archive so it reads on its own, but they stay in the working
 * ledger: other rounds use them.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EvidenceOwner } from '../domain/enums.js';

type Db = Database.Database;

/** The key column of a round table: record ids, or the SHA-256 of an evidence file. */
export type KeyColumn = 'id' | 'sha256';

export interface RoundTable {
  table: string;
  key: KeyColumn;
  /**
   * Alternative conditions (OR'ed, each run as its own statement so each can use its index) that
   * put a row in the round; `@round` is the round id and `S(t)` the ids already found for table t.
   */
  rules: string[];
  /** The order of its rows in the digest, when the key is not unique (a file's pieces). */
  order?: string;
}

const S = (t: string) => `(SELECT id FROM temp.arc_scope WHERE tbl = '${t}')`;

/** Evidence (佐证材料) hangs on a record of one of these tables, named by its owner type. */
export const EVIDENCE_OWNER_TABLES: Readonly<Record<EvidenceOwner, string>> = {
  task: 'tasks',
  progress: 'progress_entries',
  problem: 'problems',
  report: 'reports',
  activity: 'supervision_activities',
  clue: 'clues',
};

/**
 * The round's tables, in the order their rows are found (a table's rules use only tables above it).
 * Problems are found through the round id, or through its inspections and feedback (restricted to
 * the inspected units first, so the unit index is used on a ledger of millions of problems).
 */
export const ROUND_TABLES: readonly RoundTable[] = [
  { table: 'rounds', key: 'id', rules: ['id = @round'] },
  { table: 'teams', key: 'id', rules: ['round_id = @round'] },
  { table: 'inspections', key: 'id', rules: ['round_id = @round'] },
  { table: 'feedbacks', key: 'id', rules: [`inspection_id IN ${S('inspections')}`] },
  {
    table: 'problems', key: 'id', rules: [
      'round_id = @round',
      `unit_id IN (SELECT unit_id FROM inspections WHERE id IN ${S('inspections')})
        AND (inspection_id IN ${S('inspections')} OR feedback_id IN ${S('feedbacks')})`,
    ],
  },
  { table: 'tasks', key: 'id', rules: ['round_id = @round', `problem_id IN ${S('problems')}`] },
  { table: 'task_stages', key: 'id', rules: [`task_id IN ${S('tasks')}`] },
  { table: 'extension_requests', key: 'id', rules: [`task_id IN ${S('tasks')}`] },
  { table: 'progress_entries', key: 'id', rules: [`task_id IN ${S('tasks')}`] },
  { table: 'closeouts', key: 'id', rules: [`task_id IN ${S('tasks')}`] },
  { table: 'clues', key: 'id', rules: ['round_id = @round'] },
  { table: 'clue_dispositions', key: 'id', rules: [`clue_id IN ${S('clues')}`] },
  { table: 'suggestions', key: 'id', rules: ['round_id = @round'] },
  { table: 'petitions', key: 'id', rules: ['round_id = @round'] },
  { table: 'supervision_activities', key: 'id', rules: ['round_id = @round'] },
  { table: 'activity_problems', key: 'id', rules: [`activity_id IN ${S('supervision_activities')}`, `problem_id IN ${S('problems')}`] },
  { table: 'supervision_programmes', key: 'id', rules: ['round_id = @round'] },
  { table: 'programme_stages', key: 'id', rules: [`programme_id IN ${S('supervision_programmes')}`] },
  { table: 'programme_measures', key: 'id', rules: [`stage_id IN ${S('programme_stages')}`, `programme_id IN ${S('supervision_programmes')}`] },
  { table: 'reports', key: 'id', rules: [`inspection_id IN ${S('inspections')}`] },
  { table: 'evaluations', key: 'id', rules: [`inspection_id IN ${S('inspections')}`, `target_type = 'task' AND target_id IN ${S('tasks')}`] },
  { table: 'escalation_notices', key: 'id', rules: [`target_type = 'task' AND target_id IN ${S('tasks')}`] },
  { table: 'accountability', key: 'id', rules: ['round_id = @round'] },
  {
    table: 'accountability_links', key: 'id',
    rules: [`accountability_id IN ${S('accountability')}`, `problem_id IN ${S('problems')}`, `task_id IN ${S('tasks')}`],
  },
  {
    table: 'evidence', key: 'id',
    rules: Object.entries(EVIDENCE_OWNER_TABLES).map(([owner, t]) => `owner_type = '${owner}' AND owner_id IN ${S(t)}`),
  },
  { table: 'evidence_blobs', key: 'sha256', rules: [`sha256 IN (SELECT sha256 FROM evidence WHERE id IN ${S('evidence')})`] },
  // A large file's pieces (db/core/blobs.ts) go with its evidence_blobs row: scoped by its SHA-256.
  { table: 'evidence_chunks', key: 'sha256', rules: [`sha256 IN ${S('evidence_blobs')}`], order: 'sha256, seq' },
];

/** Insert order (parents first): evidence files (and their pieces) before the evidence rows citing them. Deletes go in reverse. */
export const INSERT_ORDER: readonly RoundTable[] = (() => {
  const files = ROUND_TABLES.filter((t) => t.table === 'evidence_blobs' || t.table === 'evidence_chunks');
  const rest = ROUND_TABLES.filter((t) => !files.includes(t));
  const at = rest.findIndex((t) => t.table === 'evidence');
  return [...rest.slice(0, at), ...files, ...rest.slice(at)];
})();

/** Tables keyed by a file's SHA-256 (shared by content between rounds), not by record ids. */
export const FILE_TABLES: ReadonlySet<string> = new Set(['evidence_blobs', 'evidence_chunks']);

export const ROUND_TABLE_NAMES: ReadonlySet<string> = new Set(ROUND_TABLES.map((t) => t.table));

/**
 * Copied into an archive so it is self-contained, never purged. `users` lose their password hash
 * on the way (an archive opens with its own recovery key, never with a password).
 */
export const REFERENCE_TABLES = ['offices', 'users', 'clock_rule_sets', 'problem_categories', 'calendar_days', 'units', 'unit_leaders', 'handovers'] as const;

/**
 * Neither the round's nor copied: the ledger's own bookkeeping (audit_log is copied separately,
 * for the round's records only), rights, saved filters, the archives' own records, and the
 * office's exchange keys (private keys never leave the working ledger, not even into an archive).
 */
export const LEDGER_TABLES = [
  'meta', 'audit_log', 'clue_grants', 'saved_filters', 'round_archives', 'purged_records', 'office_keys', 'field_conflicts', 'proposals', 'exchange_packages',
] as const;

// ---------------------------------------------------------------------------------------------
// Finding the round's records

/** Fill temp.arc_scope with the round's records (ids per table); returns the count per table. */
export function collectScope(sqlite: Db, roundId: string): Record<string, number> {
  dropScope(sqlite);
  sqlite.exec('CREATE TEMP TABLE arc_scope (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID');
  const counts: Record<string, number> = {};
  for (const t of ROUND_TABLES) {
    for (const rule of t.rules) {
      sqlite.prepare(`INSERT OR IGNORE INTO temp.arc_scope (tbl, id) SELECT '${t.table}', "${t.key}" FROM main."${t.table}" WHERE ${rule}`)
        .run({ round: roundId });
    }
    counts[t.table] = (sqlite.prepare('SELECT count(*) AS n FROM temp.arc_scope WHERE tbl = ?').get(t.table) as { n: number }).n;
  }
  return counts;
}

export function dropScope(sqlite: Db): void {
  sqlite.exec('DROP TABLE IF EXISTS temp.arc_scope');
}

/** The SQL subquery of the scoped keys of `table` in the working ledger. */
export const scopeIds = (table: string) => S(table);

// ---------------------------------------------------------------------------------------------
// Is the round finished?

export interface OpenWork {
  problems: number;
  tasks: number;
  extensions: number;
  closeouts: number;
  clues: number;
  suggestions: number;
  petitions: number;
}

/**
 * A round is finished (办结) when nothing under it is still open: every live problem 已销号 (all its
 * tasks closed out), every live task 已销号 (long-term 长期坚持 tasks included: while one runs the
 * round is not finished), no extension request or close-out awaiting a decision, every live clue
 * concluded (办结日期 recorded: a 暂存待查 clue may still be re-activated), every transferred
 * suggestion answered, every petition handed over or concluded. Tombstoned records do not count.
 * Needs collectScope first.
 */
export function openWork(sqlite: Db): OpenWork {
  const n = (table: string, cond: string) =>
    (sqlite.prepare(`SELECT count(*) AS n FROM main."${table}" WHERE id IN ${S(table)} AND deleted_at IS NULL AND (${cond})`).get() as { n: number }).n;
  return {
    problems: n('problems', "status <> 'closed'"),
    tasks: n('tasks', "status <> 'closed'"),
    extensions: n('extension_requests', "status = 'pending'"),
    closeouts: n('closeouts', "decision = 'pending' AND superseded_at IS NULL"),
    clues: n('clues', 'concluded_on IS NULL'),
    suggestions: n('suggestions', "status = 'pending'"),
    petitions: n('petitions', "status = 'received'"),
  };
}

/** The zh-CN reason a round is not finished, or null when it is. */
export function openWorkMessage(w: OpenWork): string | null {
  const parts: string[] = [];
  if (w.problems) parts.push(`${w.problems}个问题未销号`);
  if (w.tasks) parts.push(`${w.tasks}项整改任务未销号`);
  if (w.extensions) parts.push(`${w.extensions}项延期申请待审批`);
  if (w.closeouts) parts.push(`${w.closeouts}项销号申请待审核`);
  if (w.clues) parts.push(`${w.clues}条问题线索未办结`);
  if (w.suggestions) parts.push(`${w.suggestions}条移交建议待回复`);
  if (w.petitions) parts.push(`${w.petitions}件信访事项未移交或办结`);
  return parts.length === 0 ? null : `该轮次尚未办结，不能归档：还有${parts.join('、')}。`;
}

// ---------------------------------------------------------------------------------------------
// Digests

/** Columns of a table as stored (SQL names, in table order). */
export function columnsOf(sqlite: Db, table: string, schema = 'main'): string[] {
  return (sqlite.prepare(`PRAGMA ${schema}.table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);
}

/** One stored value, self-delimiting and typed (an integer never hashes like the same text). */
export function encodeValue(h: ReturnType<typeof createHash>, v: unknown): void {
  if (v === null || v === undefined) h.update('n;');
  else if (typeof v === 'bigint') h.update(`i${v.toString()};`);
  else if (typeof v === 'number') h.update(`r${Object.is(v, -0) ? '-0' : String(v)};`);
  else if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    h.update(`s${b.length}:`).update(b).update(';');
  } else if (Buffer.isBuffer(v)) h.update(`b${v.length}:`).update(v).update(';');
  else throw new Error(`unexpected stored value ${typeof v}`);
}

/**
 * SHA-256 over the round's records exactly as stored: per table (INSERT_ORDER), its column names in
 * code-point order, then each row in key order, every value typed (integers read as integers, never
 * rounded through a double). `ids(table)` is the SQL subquery of the table's scoped keys. The same
 * records give the same digest in the working ledger and in an archive.
 */
export function scopeDigest(sqlite: Db, ids: (table: string) => string): { digest: string; counts: Record<string, number> } {
  const h = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const t of INSERT_ORDER) {
    const cols = columnsOf(sqlite, t.table).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    h.update(`T${t.table}|${cols.join(',')}\n`);
    const stmt = sqlite.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM main."${t.table}" WHERE "${t.key}" IN ${ids(t.table)} ORDER BY ${t.order ?? `"${t.key}"`}`)
      .raw(true).safeIntegers(true);
    let n = 0;
    for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
      for (const v of row) encodeValue(h, v);
      h.update('\n');
      n++;
    }
    counts[t.table] = n;
  }
  return { digest: h.digest('hex'), counts };
}
