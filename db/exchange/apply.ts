/**
 * Applying received changes (EXCHANGE.md 3, 4, 5, 6, 8): field by field through the per-field
 * clocks (db/exchange/clocks.ts), ownership (db/exchange/ownership.ts) deciding between a value
 * and a proposal, conflicts kept with every head.
 *
 * `planChanges` reads only: it validates every record (table, fields, value types, references,
 * ownership of creations) before anything is written, and says what would happen, record by record
 * and field by field (the preview). `applyChanges` plans again inside one transaction and writes:
 * a failure anywhere rolls everything back. Applying the same changes twice changes nothing the
 * second time (every version is then dominated by, or equal to, what the ledger holds).
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendAudit } from '../core/audit.js';
import { decodeHlc, receiveHlc } from '../core/hlc.js';
import { rowHasher, stamp as newStamp, storedHash } from '../core/write.js';
import { DomainError } from '../domain/errors.js';
import type { OfficeKind } from '../domain/enums.js';
import { refreshProblemRollups } from '../services/problems.js';
import { SEED_OFFICE } from '../services/reference-data.js';
import { dominatedBy, receive, shown, stampOf, type Clock, type Version } from './clocks.js';
import { BASE, TOMBSTONE, clockOf, readFieldClocks, type FieldClocks } from './field-clocks.js';
import { EVIDENCE_PARENT, type FieldHead, type OfficeRef, type RecordChange } from './changes.js';
import { mayCreate, mayDelete, mayWrite, type RowHint } from './ownership.js';
import { exchangeTables, type ExchangeTable } from './tables.js';
import { checkShape } from './shape.js';
import { deriveTaskState, taskOf } from './derive.js';
import { rollupsDue } from './rollups.js';

/**
 * `refused`: a record the package may not bring: created by an office whose kind may not create such
 * records, or depending on such a record. Refused records are listed (and reported in the receipt),
 * the rest of the package applies.
 */
export type Outcome = 'new' | 'changed' | 'conflict' | 'proposal' | 'deleted' | 'restored' | 'refused';

/** One line of the preview: a new record, or one field's change. */
export interface PreviewItem {
  outcome: Outcome;
  table: string;
  id: string;
  field: string | null;
  from: unknown;
  to: unknown;
  /** The office whose stamp made the incoming version, and when. */
  byOffice: string;
  at: string;
}

export interface ImportPreview {
  counts: Record<Outcome, number> & { records: number; unchanged: number };
  /** The first PREVIEW_CAP items (counts are exact). */
  items: PreviewItem[];
  /** Records a delete would remove (tombstones), for the threshold confirmation. */
  deletions: number;
}

const PREVIEW_CAP = 10_000;
const fail = (reason: string, message: string) => new DomainError('CORRUPT', message, { reason });

const officeOfStamp = (s: string): string => decodeHlc(s).officeId;
const asVersion = (h: FieldHead): Version => ({ value: h.v, clock: h.c, stamp: stampOf(h.c) });
const wallIso = (s: string) => new Date(decodeHlc(s).wall).toISOString();

type Op =
  | { type: 'insert'; t: ExchangeTable; change: RecordChange }
  | { type: 'update'; t: ExchangeTable; id: string; set: Record<string, unknown>; clocks: FieldClocks; conflicts: Record<string, Version[] | null>; before: Record<string, unknown> }
  | { type: 'proposal'; t: ExchangeTable; id: string; field: string; version: Version; authorName: string | null; author?: string };

export interface Plan {
  preview: ImportPreview;
  ops: Op[];
  maxStampSeen: string;
  /** With blobs 'later': the files cited that this ledger lacks (the package must carry each). */
  filesDue: Set<string>;
}

export const MISSING_FILE = '交换包中的佐证材料缺少其文件。';

/** Kinds of the offices a package names (its own list first, then the partners this ledger knows). */
function kindResolver(ctx: ServiceContext, offices: readonly OfficeRef[]): (officeId: string) => OfficeKind | null {
  const given = new Map(offices.map((o) => [o.id, o.kind]));
  const local = ctx.ledger.prepare('SELECT kind FROM offices WHERE id = ?');
  return (id) => given.get(id) ?? (local.get(id) as { kind: OfficeKind } | undefined)?.kind ?? null;
}

/**
 * Plan the import of `changes` (read-only). `blobs`: the SHA-256 of the files the package carries;
 * or 'later' when the records are planned before the files have streamed (the import): then every
 * cited file this ledger lacks is listed in `filesDue`, for the caller to check once they have.
 */
export function planChanges(ctx: ServiceContext, changes: readonly RecordChange[], offices: readonly OfficeRef[], blobs: ReadonlySet<string> | 'later' = new Set()): Plan {
  const tables = exchangeTables();
  const kindOf = kindResolver(ctx, offices);
  const inPackage = new Set(changes.map((c) => c.id));
  const byId = new Map(changes.map((c) => [c.id, c]));
  const hasBlob = ctx.ledger.prepare('SELECT 1 FROM evidence_blobs WHERE sha256 = ?');
  const filesDue = new Set<string>();
  /** Records found here already (most records of a package refer to the same few rounds and units). */
  const known = new Set<string>();
  const conflictsOf = ctx.ledger.prepare('SELECT field, heads FROM field_conflicts WHERE entity_id = ?');
  const pendingProposal = ctx.ledger.prepare('SELECT 1 FROM proposals WHERE entity_id = ? AND field = ? AND stamp = ?');
  const counts = { records: changes.length, unchanged: 0, new: 0, changed: 0, conflict: 0, proposal: 0, deleted: 0, restored: 0, refused: 0 };
  const items: PreviewItem[] = [];
  const ops: Op[] = [];
  let maxStampSeen = '';
  const note = (i: PreviewItem) => {
    counts[i.outcome]++;
    if (items.length < PREVIEW_CAP) items.push(i);
  };
  const kindOrFail = (officeId: string): OfficeKind | 'seed' => {
    if (officeId === SEED_OFFICE) return 'seed';
    const k = kindOf(officeId);
    if (!k) throw fail('package_office', '交换包中的修改来自未知单位，且交换包未说明其单位类型。');
    return k;
  };

  // Every record's form first: nothing below meets a malformed one.
  for (const c of changes) checkShape(tables.get(c.table), c);
  /** The package's records this ledger holds already (the others are new: no lookup needed). */
  const present = new Set<string>();
  const refused = refusedRecords(ctx, changes, kindOrFail, byId, present);
  for (const c of changes) {
    const t = tables.get(c.table)!;
    const why = refused.get(c.id);
    if (why) {
      note({ outcome: 'refused', table: t.name, id: c.id, field: null, from: null, to: why, byOffice: c.origin, at: c.createdAt });
      continue;
    }
    for (const s of Object.values(c.clocks).flat()) if (s > maxStampSeen) maxStampSeen = s;
    // References: to a record here or in the same package (a creation's initial values too).
    for (const f of [...t.fields, ...t.initial]) {
      const v = Object.hasOwn(c.row, f.key) ? c.row[f.key] : c.initial?.[f.key];
      if (f.references === 'evidence_blobs') {
        // EXCHANGE.md 9: a cited file is here already or in the package (whose bytes the container checked).
        if (typeof v === 'string' && (blobs === 'later' || !blobs.has(v)) && !hasBlob.get(v)) {
          if (blobs !== 'later') throw fail('package_reference', MISSING_FILE);
          filesDue.add(v);
        }
      } else if (f.references && typeof v === 'string' && !inPackage.has(v) && !known.has(v)) {
        const hit = ctx.ledger.prepare(`SELECT 1 FROM "${f.references}" WHERE id = ?`).get(v);
        if (!hit) throw fail('package_reference', `交换包中的${t.name}记录引用了不存在的记录（${f.key}）。`);
        known.add(v);
      }
    }
    // Proposals travelling with the record: kept (once each) whatever their state; whether one is
    // still open is decided by the field's clock (db/services/conflicts.ts).
    for (const p of c.proposals ?? []) {
      const stampP = stampOf(p.c);
      if (pendingProposal.get(c.id, p.field, stampP)) continue;
      ops.push({ type: 'proposal', t, id: c.id, field: p.field, version: { value: p.v, clock: p.c, stamp: stampP }, authorName: p.name, author: p.office });
      note({ outcome: 'proposal', table: t.name, id: c.id, field: p.field, from: null, to: p.v, byOffice: p.office, at: wallIso(stampP) });
    }
    const local = present.has(c.id) ? ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(c.id) as Record<string, unknown> | undefined : undefined;
    const hint: RowHint = t.name === 'evidence' ? { ...c.row, parent: evidenceParent(ctx, c, byId) } : c.row;
    if (!local) {
      ops.push({ type: 'insert', t, change: c });
      note({ outcome: 'new', table: t.name, id: c.id, field: null, from: null, to: null, byOffice: c.origin, at: c.createdAt });
      continue;
    }
    const localClocks = readFieldClocks(local.field_clocks as string | null, local.hlc as string);
    const localConflicts = new Map((conflictsOf.all(c.id) as { field: string; heads: string }[]).map((r) => [r.field, (JSON.parse(r.heads) as FieldHead[]).map(asVersion)]));
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    const clocks: Record<string, Clock> = { ...localClocks };
    const conflicts: Record<string, Version[] | null> = {};
    let touched = false;
    const fieldKeys: { key: string; localValue: unknown; incoming: unknown; cols: string[] }[] = [
      ...t.fields.map((f) => ({ key: f.key, localValue: local[f.name] ?? null, incoming: c.row[f.key], cols: [f.key] })),
      {
        key: TOMBSTONE, cols: ['deletedAt', 'deletedBy', 'deletedReason'], incoming: c.deleted,
        localValue: local.deleted_at ? { at: local.deleted_at, by: local.deleted_by ?? null, reason: local.deleted_reason ?? null } : null,
      },
    ];
    for (const fk of fieldKeys) {
      const start: Version[] = localConflicts.get(fk.key) ?? [{ value: fk.localValue, clock: clockOf(localClocks, fk.key === TOMBSTONE ? 'deletedAt' : fk.key), stamp: '' }];
      for (const v of start) if (!v.stamp) v.stamp = stampOf(v.clock);
      let heads: readonly Version[] = start;
      const incoming = c.heads?.[fk.key]?.map(asVersion) ?? [{ value: fk.incoming, clock: clockOf(c.clocks, fk.key === TOMBSTONE ? 'deletedAt' : fk.key), stamp: '' }];
      for (const inV of incoming) {
        if (!inV.stamp) inV.stamp = stampOf(inV.clock);
        if (heads.some((h) => dominatedBy(inV.clock, h.clock))) continue;
        const author = officeOfStamp(inV.stamp);
        const kind = kindOrFail(author);
        const allowed = kind === 'seed' || (fk.key === TOMBSTONE ? mayDelete(kind, t.name, hint) : mayWrite(kind, t.name, fk.key, hint));
        if (!allowed) {
          if (!pendingProposal.get(c.id, fk.key, inV.stamp)) {
            ops.push({ type: 'proposal', t, id: c.id, field: fk.key, version: inV, authorName: offices.find((x) => x.id === author)?.name ?? null });
            note({ outcome: 'proposal', table: t.name, id: c.id, field: fk.key, from: fk.localValue, to: inV.value, byOffice: author, at: wallIso(inV.stamp) });
          }
          continue;
        }
        heads = receive(heads, inV);
      }
      if (heads === start) continue;
      const top = shown(heads)!;
      touched = true;
      clocks[fk.key] = top.clock;
      conflicts[fk.key] = heads.length > 1 ? [...heads] : null;
      const outcome: Outcome = heads.length > 1 ? 'conflict'
        : fk.key === TOMBSTONE ? (top.value ? 'deleted' : 'restored') : 'changed';
      if (JSON.stringify(top.value) !== JSON.stringify(fk.localValue)) {
        if (fk.key === TOMBSTONE) {
          const d = top.value as RecordChange['deleted'];
          Object.assign(set, { deletedAt: d?.at ?? null, deletedBy: d?.by ?? null, deletedReason: d?.reason ?? null });
          before.deleted = fk.localValue;
        } else {
          set[fk.key] = top.value;
          before[fk.key] = fk.localValue;
        }
      }
      note({ outcome, table: t.name, id: c.id, field: fk.key, from: fk.localValue, to: top.value, byOffice: officeOfStamp(top.stamp), at: wallIso(top.stamp) });
    }
    if (touched) {
      if (!Object.hasOwn(clocks, BASE)) clocks[BASE] = [local.hlc as string];
      ops.push({ type: 'update', t, id: c.id, set, clocks, conflicts, before });
    } else {
      counts.unchanged++;
    }
  }
  return { preview: { counts, items, deletions: counts.deleted }, ops, maxStampSeen, filesDue };
}

/**
 * The records of a package that may not be created here (EXCHANGE.md 4): new records whose origin
 * office's kind may not create them, then, until nothing changes, records that refer to a refused
 * one (a task of a refused problem, evidence of a refused task). Id → zh-CN reason.
 */
function refusedRecords(
  ctx: ServiceContext, changes: readonly RecordChange[], kindOf: (officeId: string) => OfficeKind | 'seed', byId: ReadonlyMap<string, RecordChange>,
  present: Set<string>,
): Map<string, string> {
  const tables = exchangeTables();
  const out = new Map<string, string>();
  for (const c of changes) {
    const t = tables.get(c.table);
    if (!t) continue;
    if (ctx.ledger.prepare(`SELECT 1 FROM "${t.name}" WHERE id = ?`).get(c.id)) {
      present.add(c.id);
      continue;
    }
    const kind = kindOf(c.origin);
    const hint: RowHint = t.name === 'evidence' && byId.has(c.row.ownerId as string) ? { ...c.row, parent: byId.get(c.row.ownerId as string)!.row } : c.row;
    if (kind !== 'seed' && !mayCreate(kind, t.name, hint)) out.set(c.id, '新建此类记录的单位无权新建');
  }
  for (let grew = out.size > 0; grew;) {
    grew = false;
    for (const c of changes) {
      const t = tables.get(c.table);
      if (!t || out.has(c.id)) continue;
      const refs = [...t.fields, ...t.initial].filter((f) => f.references).map((f) => (Object.hasOwn(c.row, f.key) ? c.row[f.key] : c.initial?.[f.key]));
      if (t.name === 'evidence') refs.push(c.row.ownerId);
      if (refs.some((v) => typeof v === 'string' && out.has(v))) {
        out.set(c.id, '所依附的记录未被接受');
        grew = true;
      }
    }
  }
  return out;
}

/** The record an evidence change cites, as an ownership hint: from the package, or this ledger. */
function evidenceParent(ctx: ServiceContext, c: RecordChange, byId: ReadonlyMap<string, RecordChange>): RowHint {
  const table = EVIDENCE_PARENT[c.row.ownerType as string];
  const id = c.row.ownerId as string;
  const inPkg = byId.get(id);
  if (inPkg && inPkg.table === table) return inPkg.row;
  const t = table ? exchangeTables().get(table) : undefined;
  const raw = t ? ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined : undefined;
  if (!t || !raw) throw fail('package_reference', '交换包中的佐证材料所属的记录不存在。');
  const row: Record<string, unknown> = {};
  for (const f of t.fields) row[f.key] = raw[f.name] ?? null;
  return row;
}

/** Plan and write in one transaction; returns the preview of what was applied. */
export function applyChanges(ctx: ServiceContext, changes: readonly RecordChange[], offices: readonly OfficeRef[], o: { packageId?: string; blobs?: ReadonlySet<string> } = {}): ImportPreview {
  return inTransaction(ctx, () => applyPlan(ctx, planChanges(ctx, changes, offices, o.blobs), o));
}

/**
 * Write a plan. Only valid against the ledger state it was planned on: call it in the same
 * transaction as planChanges, or with nothing written in between (the import holds the ledger).
 */
export function applyPlan(ctx: ServiceContext, plan: Plan, o: { packageId?: string } = {}): ImportPreview {
  return inTransaction(ctx, () => {
    // Later local writes must carry stamps above everything received (HLC receive rule).
    if (plan.maxStampSeen) {
      const st = ctx.ledger.state;
      st.hlc = receiveHlc(st.hlc, decodeHlc(plan.maxStampSeen), ctx.clock.now());
    }
    ctx.ledger.sqlite.pragma('defer_foreign_keys = ON');
    const problems = new Set<string>();
    const touchedTasks = new Set<string>();
    const created: { table: string; change: RecordChange }[] = [];
    for (const op of plan.ops) {
      if (op.type === 'insert') {
        insertReceived(ctx, op.t, op.change, o.packageId);
        if (op.t.name === 'problems' || op.t.name === 'tasks') created.push({ table: op.t.name, change: op.change });
      } else if (op.type === 'update') updateReceived(ctx, op, o.packageId);
      else addProposal(ctx, op, o.packageId);
      const id = op.type === 'insert' ? op.change.id : op.id;
      if (op.t.name === 'problems') problems.add(id);
      if (op.type === 'proposal') continue;
      // A task created by this package with none of its close-outs, extensions or progress in it
      // has nothing here to derive from (deriveTaskState would change nothing): only its problem's
      // roll-up is due.
      if (op.type === 'insert' && op.t.name === 'tasks') {
        problems.add(op.change.row.problemId as string);
        continue;
      }
      const task = taskOf(op.t.name, id, () => (op.type === 'insert' ? op.change.row.taskId : (ctx.ledger.prepare(`SELECT task_id AS t FROM "${op.t.name}" WHERE id = ?`).get(id) as { t: string } | undefined)?.t));
      if (task) touchedTasks.add(task);
    }
    for (const task of touchedTasks) {
      deriveTaskState(ctx, task);
      const p = ctx.ledger.prepare('SELECT problem_id AS p FROM tasks WHERE id = ?').get(task) as { p: string } | undefined;
      if (p) problems.add(p.p);
    }
    // Derived columns are the receiver's own work (never exchanged).
    refreshProblemRollups(ctx, rollupsDue(created, touchedTasks, problems));
    return plan.preview;
  });
}

const SYNC_INSERT_COLUMNS = ['id', 'origin_office_id', 'created_at', 'updated_at', 'version', 'hlc', 'field_clocks', 'deleted_at', 'deleted_by', 'deleted_reason'];

interface InsertShape {
  sql: string;
  init: ExchangeTable['initial'];
  /** The stored row's content hash from the values bound, when they are every column (else null: read back). */
  hash: ((values: readonly unknown[]) => string) | null;
}
const insertShapes = new WeakMap<ExchangeTable, Map<string, InsertShape>>();

/**
 * The INSERT for a received record of `t` with these initial columns, made once per shape. When
 * the record brings every initial column, every column but created_by/updated_by (null, no
 * default) is bound, with values of the column's type (checkShape), so the stored row is exactly
 * the values bound and its content hash is computed from them without reading it back.
 */
function insertShape(t: ExchangeTable, c: RecordChange): InsertShape {
  const init = t.initial.filter((f) => c.initial && Object.hasOwn(c.initial, f.key));
  const key = init.map((f) => f.key).join(',');
  let byKey = insertShapes.get(t);
  if (!byKey) insertShapes.set(t, (byKey = new Map()));
  let shape = byKey.get(key);
  if (!shape) {
    const cols = [...SYNC_INSERT_COLUMNS, ...t.fields.map((f) => f.name), ...init.map((f) => f.name)];
    shape = {
      sql: `INSERT INTO "${t.name}" (${cols.map((x) => `"${x}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      init, hash: init.length === t.initial.length ? rowHasher(t.table, cols) : null,
    };
    byKey.set(key, shape);
  }
  return shape;
}

function insertReceived(ctx: ServiceContext, t: ExchangeTable, c: RecordChange, packageId: string | undefined): void {
  const s = newStamp(ctx);
  const shape = insertShape(t, c);
  const values: unknown[] = [
    c.id, c.origin, c.createdAt, s.at, s.version, stampOf(Object.values(c.clocks).flat()), JSON.stringify(c.clocks),
    c.deleted?.at ?? null, c.deleted?.by ?? null, c.deleted?.reason ?? null,
  ];
  for (const f of t.fields) values.push(c.row[f.key]);
  for (const f of shape.init) values.push(c.initial[f.key]);
  ctx.ledger.prepare(shape.sql).run(...values);
  if (c.heads) for (const [field, heads] of Object.entries(c.heads)) writeConflict(ctx, t.name, c.id, field, heads.map(asVersion), s.at);
  // The values are the record's own (its content hash is in the entry, later changes keep their
  // before-values) and the signed package's, whose digest the package_imported event names: the
  // entry names the package instead of copying every field (half the bytes an import writes).
  appendAudit(ctx, {
    action: 'received', entity: t.name, entityId: c.id, before: null, after: packageId ? { package: packageId } : { ...c.row },
    rowHash: shape.hash ? shape.hash(values) : storedHash(ctx, t.table, c.id),
  }, s);
}

function updateReceived(ctx: ServiceContext, op: Extract<Op, { type: 'update' }>, packageId: string | undefined): void {
  const s = newStamp(ctx);
  const t = op.t;
  const colOf = (k: string) => (k === 'deletedAt' ? 'deleted_at' : k === 'deletedBy' ? 'deleted_by' : k === 'deletedReason' ? 'deleted_reason' : t.byKey.get(k)!.name);
  const keys = Object.keys(op.set);
  const sql = `UPDATE "${t.name}" SET ${[...keys.map((k) => `"${colOf(k)}" = ?`), '"updated_at" = ?', '"version" = ?', '"hlc" = ?', '"field_clocks" = ?'].join(', ')} WHERE id = ?`;
  ctx.ledger.prepare(sql).run(...keys.map((k) => op.set[k]), s.at, s.version, s.hlc, JSON.stringify(op.clocks), op.id);
  for (const [field, heads] of Object.entries(op.conflicts)) {
    if (heads) writeConflict(ctx, t.name, op.id, field, heads, s.at);
    else ctx.ledger.prepare('DELETE FROM field_conflicts WHERE entity_id = ? AND field = ?').run(op.id, field);
  }
  appendAudit(ctx, {
    action: 'received', entity: t.name, entityId: op.id, before: op.before, after: { ...op.set, ...(packageId ? { package: packageId } : {}) },
    rowHash: storedHash(ctx, t.table, op.id),
  }, s);
}

function writeConflict(ctx: ServiceContext, entity: string, id: string, field: string, heads: readonly Version[], at: string): void {
  const json = JSON.stringify(heads.map((h) => ({ v: h.value, c: h.clock })));
  ctx.ledger.prepare(`INSERT INTO field_conflicts (entity_id, field, entity, heads, since) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (entity_id, field) DO UPDATE SET heads = excluded.heads`).run(id, field, entity, json, at);
}

function addProposal(ctx: ServiceContext, op: Extract<Op, { type: 'proposal' }>, packageId: string | undefined): void {
  // Its own ledger version, so it travels on to other partners ("since N").
  ctx.ledger.state.version += 1;
  ctx.ledger.prepare(`INSERT OR IGNORE INTO proposals (id, entity, entity_id, field, value, clock, stamp, author_office_id, author_name, package_id, received_at, status, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`).run(
    ctx.ids.next(), op.t.name, op.id, op.field, JSON.stringify(op.version.value), JSON.stringify(op.version.clock), op.version.stamp,
    op.author ?? officeOfStamp(op.version.stamp), op.authorName, packageId ?? null, new Date(ctx.clock.now()).toISOString(), ctx.ledger.state.version,
  );
}

