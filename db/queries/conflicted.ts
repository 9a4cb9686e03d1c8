/**
 * The 冲突 flag (docs/exchange-format.md §2): after an exchange import a record "carries a visible
 * 冲突 flag in every list and on its detail page until a person resolves it". A record is flagged
 * while a field of its own, or of a part shown on its page (a task's stages, progress entries,
 * extension requests, close-outs and evidence; a unit's leaders and handovers…), has more than one
 * head in `field_conflicts`.
 *
 * Cheap on a million-problem ledger: conflicts are few (each one waits for a person), so the ids
 * of the flagged records of a table are one small uncorrelated subquery over `field_conflicts`
 * (by its entity index), joined to each part's row by primary key. SQLite evaluates an
 * `id IN (subquery)` once per statement into a temporary index, so the page query adds one probe
 * per row, whatever the ledger's size.
 */
import type { ServiceContext } from '../core/context.js';

/** A part of a record: its table, the expression of the record's id (part row alias `c`), and a join or condition it needs. */
interface Part {
  table: string;
  owner: string;
  join?: string;
  where?: string;
}

const evidenceOf = (ownerType: string): Part => ({ table: 'evidence', owner: 'c.owner_id', where: `c.owner_type = '${ownerType}'` });

/** Tables whose records carry the flag (the records the screens list or open). */
export const FLAGGED_TABLES = [
  'rounds', 'units', 'inspections', 'problems', 'tasks', 'clues', 'suggestions', 'petitions', 'supervision_activities',
  'supervision_programmes', 'reports', 'evaluations', 'escalation_notices', 'accountability',
] as const;
export type FlaggedTable = (typeof FLAGGED_TABLES)[number];

/** What each flagged table shows on its page besides its own fields. */
const PARTS: Record<FlaggedTable, Part[]> = {
  rounds: [{ table: 'teams', owner: 'c.round_id' }],
  units: [{ table: 'unit_leaders', owner: 'c.unit_id' }, { table: 'handovers', owner: 'c.unit_id' }],
  inspections: [{ table: 'feedbacks', owner: 'c.inspection_id' }],
  problems: [evidenceOf('problem')],
  tasks: [
    { table: 'task_stages', owner: 'c.task_id' },
    { table: 'extension_requests', owner: 'c.task_id' },
    { table: 'progress_entries', owner: 'c.task_id' },
    { table: 'closeouts', owner: 'c.task_id' },
    evidenceOf('task'),
    // A progress entry's files are shown with the entry, on the task's page.
    { table: 'evidence', owner: 'pe.task_id', join: 'JOIN progress_entries pe ON pe.id = c.owner_id', where: "c.owner_type = 'progress'" },
  ],
  clues: [{ table: 'clue_dispositions', owner: 'c.clue_id' }, evidenceOf('clue')],
  suggestions: [],
  petitions: [],
  supervision_activities: [{ table: 'activity_problems', owner: 'c.activity_id' }, evidenceOf('activity')],
  supervision_programmes: [{ table: 'programme_stages', owner: 'c.programme_id' }, { table: 'programme_measures', owner: 'c.programme_id' }],
  reports: [evidenceOf('report')],
  evaluations: [],
  escalation_notices: [],
  accountability: [{ table: 'accountability_links', owner: 'c.accountability_id' }],
};

function partsOf(table: string): Part[] {
  const parts = (PARTS as Record<string, Part[] | undefined>)[table];
  if (!parts) throw new Error(`no 冲突 flag for table ${table}`);
  return parts;
}

/**
 * SELECT of the ids of `table`'s records that are flagged (one column, `id`; an id may repeat).
 * Table names come from the constant map above, never from a caller's input.
 */
export function conflictedIdsSql(table: string): string {
  const own = `SELECT fc.entity_id AS id FROM field_conflicts fc WHERE fc.entity = '${table}'`;
  const parts = partsOf(table).map((p) => `SELECT ${p.owner} FROM field_conflicts fc JOIN "${p.table}" c ON c.id = fc.entity_id ${p.join ?? ''}
    WHERE fc.entity = '${p.table}'${p.where ? ` AND ${p.where}` : ''}`);
  return [own, ...parts].join('\nUNION ALL ');
}

/** SQL boolean (0/1): the record whose id is `idExpr` (a column of `table`) is flagged. */
export function conflictedSql(table: string, idExpr: string): string {
  return `(${idExpr} IN (${conflictedIdsSql(table)}))`;
}

/** A WHERE clause for a 只看有冲突的 filter (true: flagged only; false: unflagged only; null: none). */
export function conflictedWhere(table: string, idExpr: string, flag: boolean | null): string | null {
  if (flag === null) return null;
  return flag ? conflictedSql(table, idExpr) : `NOT ${conflictedSql(table, idExpr)}`;
}

/** A listed record with its 冲突 flag. */
export type Flagged<T> = T & { conflicted: boolean };

/** The rows with `conflicted` set (one query for the whole set of rows). */
export function withConflicts<T extends { id: string }>(ctx: ServiceContext, table: string, rows: readonly T[]): Flagged<T>[] {
  if (rows.length === 0) return [];
  const flagged = new Set((ctx.ledger.prepare(`SELECT DISTINCT id FROM (${conflictedIdsSql(table)})`).all() as { id: string }[]).map((r) => r.id));
  return rows.map((r) => ({ ...r, conflicted: flagged.has(r.id) }));
}

export interface RecordConflict {
  /** The table of the record in conflict: the record itself or one of its parts. */
  entity: string;
  entityId: string;
  field: string;
  since: string;
  /** A part of the record (a progress entry of a task…), not the record itself. */
  part: boolean;
}

/** The record's open conflicts and those of its parts, oldest first. */
export function conflictsOfRecord(ctx: ServiceContext, table: string, id: string): RecordConflict[] {
  const own = 'SELECT fc.entity, fc.entity_id AS entityId, fc.field, fc.since, 0 AS part FROM field_conflicts fc WHERE fc.entity_id = ?';
  const parts = partsOf(table).map((p) => `SELECT fc.entity, fc.entity_id, fc.field, fc.since, 1 FROM field_conflicts fc
    JOIN "${p.table}" c ON c.id = fc.entity_id ${p.join ?? ''} WHERE fc.entity = '${p.table}'${p.where ? ` AND ${p.where}` : ''} AND ${p.owner} = ?`);
  const sql = `${[own, ...parts].join('\nUNION ALL ')}\nORDER BY since, entityId, field`;
  const rows = ctx.ledger.prepare(sql).all(...Array.from({ length: parts.length + 1 }, () => id)) as (Omit<RecordConflict, 'part'> & { part: number })[];
  return rows.map((r) => ({ ...r, part: r.part === 1 }));
}
