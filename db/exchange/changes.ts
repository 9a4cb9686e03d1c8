/**
 * What travels (EXCHANGE.md 2): per record, its exchanged fields with each field's clock, the
 * tombstone as one field, the other heads of any field in conflict (so a conflict reaches every
 * replica, not only its shown value) and the offices whose stamps appear (their kinds decide
 * ownership at the receiver). A record is sent whole-field-wise; the receiver's merge skips every
 * field version it already holds or has superseded, so sending a field again is harmless.
 *
 * Not yet carried: evidence records and their files (the package container streams files by
 * SHA-256; wiring them in comes with the package writer), derived fields (never: the receiver
 * recomputes them).
 */
import type { ServiceContext } from '../core/context.js';
import type { Ledger } from '../core/open.js';
import type { OfficeKind } from '../domain/enums.js';
import { decodeHlc } from '../core/hlc.js';
import type { Clock } from './clocks.js';
import { readFieldClocks } from './field-clocks.js';
import { mayReceive } from './ownership.js';
import { SEED_OFFICE } from '../services/reference-data.js';
import { exchangeTables, type ExchangeTable } from './tables.js';

export interface FieldHead {
  v: unknown;
  c: Clock;
}

export interface RecordChange {
  table: string;
  id: string;
  origin: string;
  createdAt: string;
  /** Exchanged fields by TS key, as SQLite stores them (booleans 0/1). */
  row: Record<string, unknown>;
  /** The derived columns' values: used only if the receiver creates the record (its initial state). */
  initial: Record<string, unknown>;
  /** The tombstone (`deleted` field): null when live. */
  deleted: { at: string; by: string | null; reason: string | null } | null;
  /** `_` and one entry per field that changed since creation (db/exchange/field-clocks.ts). */
  clocks: Record<string, Clock>;
  /** Fields in conflict: every head, the shown one included. */
  heads?: Record<string, FieldHead[]>;
  /** Proposals (提议修改) of the record's fields, made here or received: they travel with it. */
  proposals?: ProposalEntry[];
}

export interface ProposalEntry {
  field: string;
  v: unknown;
  c: Clock;
  office: string;
  name: string | null;
}

export interface OfficeRef {
  id: string;
  name: string;
  kind: OfficeKind;
}

/** Tables in the order a receiver can insert them (referenced before referring). */
const ORDER = [
  'clock_rule_sets', 'problem_categories', 'rounds', 'teams', 'units', 'unit_leaders', 'handovers', 'inspections', 'feedbacks',
  'problems', 'tasks', 'task_stages', 'extension_requests', 'progress_entries', 'closeouts',
  'clues', 'clue_dispositions', 'suggestions', 'petitions', 'supervision_activities', 'activity_problems',
  'supervision_programmes', 'programme_stages', 'programme_measures', 'reports', 'evaluations', 'escalation_notices',
  'accountability', 'accountability_links', 'evidence',
];

/** The table an evidence record cites, by its owner type (db/domain/enums.ts EVIDENCE_OWNERS). */
export const EVIDENCE_PARENT: Readonly<Record<string, string>> = {
  task: 'tasks', progress: 'progress_entries', problem: 'problems', report: 'reports', activity: 'supervision_activities', clue: 'clues',
};

/** Exchanged tables in insertion order (any not listed above last, so a new table still travels). */
export function tablesInOrder(): ExchangeTable[] {
  const all = exchangeTables();
  const named = ORDER.filter((n) => all.has(n)).map((n) => all.get(n)!);
  return [...named, ...[...all.values()].filter((t) => !ORDER.includes(t.name))];
}

/**
 * What ownership decides a row by (TS keys): its own exchanged fields, and for evidence the record
 * it cites (a report's kind, a clue) as `parent`.
 */
function hintOf(ctx: ChangeSource, t: ExchangeTable, raw: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of t.fields) row[f.key] = raw[f.name] ?? null;
  if (t.name !== 'evidence') return row;
  const parent = exchangeTables().get(EVIDENCE_PARENT[raw.owner_type as string] ?? '');
  const praw = parent ? ctx.ledger.prepare(`SELECT * FROM "${parent.name}" WHERE id = ?`).get(raw.owner_id) as Record<string, unknown> | undefined : undefined;
  if (parent && praw) row.parent = hintOf(ctx, parent, praw);
  return row;
}

export interface CollectOptions {
  /** Records whose ledger version is above this (0: everything). */
  sinceVersion: number;
  recipientKind: OfficeKind;
  includeClues: boolean;
  /**
   * A partial scope (db/exchange/scope.ts): the ids, per table, the package starts from; a table
   * not named sends nothing of its own. Parents outside it still come with the closure below.
   * Absent or null: every record.
   */
  only?: ReadonlyMap<string, ReadonlySet<string>> | null;
  /**
   * Only these tables, and no parents by the closure: what a package will carry of them, read
   * before the package streams (the export reads the evidence first, to start reading its files).
   */
  tables?: ReadonlySet<string>;
  /** The ledger version to stop at (default: the ledger's version now). */
  untilVersion?: number;
}

/** Rows read per statement while streaming (a package of 100,000 records never sits in memory). */
const BATCH = 1000;

export interface ChangeStream {
  /**
   * The records to send: table by table in insertion order, in batches, then the parents the
   * closure under references adds. Consume it once, synchronously between batches or not: each
   * batch is one statement, so other calls may run between them.
   */
  records: Generator<RecordChange>;
  /** The offices the records' stamps and proposals name; complete once `records` is consumed. */
  officeIds: Set<string>;
  /** The ledger version the package covers: records changed later wait for the next package. */
  untilVersion: number;
  /** What it was asked for, the version included: the same stream can be read on another connection (db/exchange/record-batches.ts). */
  options: StreamOptions;
  /**
   * The SHA-256 of each file the evidence among `records` cites, each once, found by a pass over
   * the evidence alone (same filters, same version): for reading the files while the records stream.
   */
  citedFiles(): string[];
}

/** Collect options with the version fixed. */
export type StreamOptions = CollectOptions & { untilVersion: number };

/** What the stream reads through: the ledger's own connection, or a worker's read-only one on the same file. */
export interface ChangeSource {
  ledger: Pick<Ledger, 'prepare'>;
}

/**
 * Every record to send, and the offices its stamps name. A package is closed under references: a
 * record whose parent (a task's problem, a problem's inspection…) did not change since
 * `sinceVersion` still brings the parent along, so a package applies even when an earlier one was
 * lost (the receiver skips what it already holds). Records changed after the stream began (above
 * `untilVersion`) are left for the next package; parents the closure adds come as they are then.
 */
export function streamChanges(ctx: ServiceContext, o: CollectOptions): ChangeStream {
  return streamFrom(ctx, { ...o, untilVersion: o.untilVersion ?? ctx.ledger.state.version });
}

/** streamChanges through any connection to the ledger, at a version fixed by the caller. */
export function streamFrom(ctx: ChangeSource, o: StreamOptions): ChangeStream {
  const officeIds = new Set<string>();
  const taken = new Set<string>();
  const { untilVersion } = o;
  // The few records with conflicts or proposals, known up front: no query per record for them.
  const conflicted = new Set((ctx.ledger.prepare('SELECT DISTINCT entity_id AS id FROM field_conflicts').all() as { id: string }[]).map((r) => r.id));
  const proposed = new Set((ctx.ledger.prepare('SELECT DISTINCT entity_id AS id FROM proposals').all() as { id: string }[]).map((r) => r.id));
  const conflictsOf = ctx.ledger.prepare('SELECT field, heads FROM field_conflicts WHERE entity_id = ?');
  const proposalsOf = ctx.ledger.prepare('SELECT field, value, clock, author_office_id AS office, author_name AS name FROM proposals WHERE entity_id = ? ORDER BY stamp');
  const tables = tablesInOrder();
  const byName = new Map(tables.map((t) => [t.name, t]));
  /** Parents still to bring (table, id), if nothing sent them by the end of the main pass. */
  const wanted: [ExchangeTable, string][] = [];
  const add = (t: ExchangeTable, raw: Record<string, unknown>): RecordChange | null => {
    const id = raw.id as string;
    if (taken.has(id)) return null;
    // Seeded reference data never changed since: every ledger has it already, identically.
    if (raw.origin_office_id === SEED_OFFICE && raw.field_clocks === null && !proposed.has(id)) return null;
    const row: Record<string, unknown> = {};
    for (const f of t.fields) row[f.key] = raw[f.name] ?? null;
    if (!mayReceive(o.recipientKind, t.name, { includeClues: o.includeClues, row: t.name === 'evidence' ? hintOf(ctx, t, raw) : row })) return null;
    const initial: Record<string, unknown> = {};
    for (const f of t.initial) initial[f.key] = raw[f.name] ?? null;
    const clocks = readFieldClocks(raw.field_clocks as string | null, raw.hlc as string);
    for (const c of Object.values(clocks)) for (const s of c) officeIds.add(decodeHlc(s).officeId);
    const change: RecordChange = {
      table: t.name, id, origin: raw.origin_office_id as string, createdAt: raw.created_at as string, row, initial,
      deleted: raw.deleted_at ? { at: raw.deleted_at as string, by: (raw.deleted_by as string | null) ?? null, reason: (raw.deleted_reason as string | null) ?? null } : null,
      clocks: { ...clocks },
    };
    officeIds.add(change.origin);
    if (conflicted.has(id)) {
      for (const c of conflictsOf.all(id) as { field: string; heads: string }[]) {
        change.heads ??= {};
        change.heads[c.field] = JSON.parse(c.heads) as FieldHead[];
      }
    }
    if (proposed.has(id)) {
      for (const p of proposalsOf.all(id) as { field: string; value: string; clock: string; office: string; name: string | null }[]) {
        (change.proposals ??= []).push({ field: p.field, v: JSON.parse(p.value) as unknown, c: JSON.parse(p.clock) as Clock, office: p.office, name: p.name });
        officeIds.add(p.office);
      }
    }
    taken.add(id);
    // What it refers to, for the closure (parents last; the receiver defers its reference checks to the commit).
    if (t.name === 'evidence') {
      const parent = byName.get(EVIDENCE_PARENT[row.ownerType as string] ?? '');
      if (parent && typeof row.ownerId === 'string') wanted.push([parent, row.ownerId]);
    }
    for (const f of t.refs) {
      const ref = byName.get(f.references!);
      const to = (row[f.key] ?? initial[f.key]) as unknown;
      if (ref && typeof to === 'string' && !taken.has(to)) wanted.push([ref, to]);
    }
    return change;
  };
  function* records(): Generator<RecordChange> {
    for (const t of tables) {
      if (o.tables && !o.tables.has(t.name)) continue;
      const only = o.only ? o.only.get(t.name) : undefined;
      if (o.only && !only?.size) continue;
      // By rowid: each batch resumes where the last ended, with no sort (versions may repeat in scale data).
      const sql = `SELECT rowid AS _rowid, * FROM "${t.name}" WHERE rowid > ? AND version > ? AND version <= ?${only ? ' AND id IN (SELECT value FROM json_each(?))' : ''} ORDER BY rowid LIMIT ${BATCH}`;
      const onlyJson = only ? JSON.stringify([...only]) : null;
      for (let after = 0; ;) {
        const args: unknown[] = [after, o.sinceVersion, untilVersion];
        if (onlyJson !== null) args.push(onlyJson);
        const rows = ctx.ledger.prepare(sql).all(...args) as Record<string, unknown>[];
        for (const raw of rows) {
          const c = add(t, raw);
          if (c) yield c;
        }
        if (rows.length < BATCH) break;
        after = rows.at(-1)!._rowid as number;
      }
      // Records unchanged themselves but with a proposal made or received since.
      const withProposals = ctx.ledger.prepare(`SELECT DISTINCT t.* FROM proposals p JOIN "${t.name}" t ON t.id = p.entity_id WHERE p.entity = ? AND p.version > ?`).all(t.name, o.sinceVersion) as Record<string, unknown>[];
      for (const raw of withProposals) {
        if (only && !only.has(raw.id as string)) continue;
        const c = add(t, raw);
        if (c) yield c;
      }
    }
    if (o.tables) return;
    for (let next = wanted.pop(); next; next = wanted.pop()) {
      const [t, id] = next;
      if (taken.has(id)) continue;
      const raw = ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
      const c = raw ? add(t, raw) : null;
      if (c) yield c;
    }
  }
  const citedFiles = () => {
    const files = new Set<string>();
    for (const c of streamFrom(ctx, { ...o, tables: EVIDENCE_ONLY }).records) {
      if (typeof c.row.sha256 === 'string') files.add(c.row.sha256);
    }
    return [...files];
  };
  return { records: records(), officeIds, untilVersion, options: o, citedFiles };
}

const EVIDENCE_ONLY: ReadonlySet<string> = new Set(['evidence']);

/** streamChanges gathered into an array (tests, small packages). */
export function collectChanges(ctx: ServiceContext, o: CollectOptions): { changes: RecordChange[]; officeIds: Set<string>; untilVersion: number } {
  const s = streamChanges(ctx, o);
  const changes = [...s.records];
  return { changes, officeIds: s.officeIds, untilVersion: s.untilVersion };
}
