/**
 * Applying received changes (EXCHANGE.md 3, 4, 5, 6, 8): field by field through the per-field
 * clocks (db/exchange/clocks.ts), ownership (db/exchange/ownership.ts) deciding between a value
 * and a proposal, conflicts kept with every head.
 *
 * Two passes, so that a package of any size is never held whole: PackageIndex checks every record
 * (table, fields, value types) as it streams and then the package as a whole (references, cited
 * files, ownership of creations) before anything is written, keeping a few facts per record;
 * Planner then plans the records batch by batch (what would happen, record by record and field by
 * field: the preview) and PlanWriter writes each batch inside the caller's one transaction: a
 * failure anywhere rolls everything back. planChanges/applyChanges do the same for records in
 * memory. Applying the same changes twice changes nothing the second time (every version is then
 * dominated by, or equal to, what the ledger holds).
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendAudit } from '../core/audit.js';
import { decodeHlc, receiveHlc } from '../core/hlc.js';
import { rowHasher, stamp as newStamp, storedHash, textStoredAsBound } from '../core/write.js';
import { DomainError } from '../domain/errors.js';
import type { OfficeKind } from '../domain/enums.js';
import { refreshProblemRollups } from '../services/problems.js';
import { SEED_OFFICE } from '../services/reference-data.js';
import { dominatedBy, receive, shown, stampOf, type Clock, type Version } from './clocks.js';
import { BASE, TOMBSTONE, clockOf, readFieldClocks, type FieldClocks } from './field-clocks.js';
import { EVIDENCE_PARENT, type FieldHead, type OfficeRef, type RecordChange } from './changes.js';
import { hintColumn, mayCreate, mayDelete, mayWrite, type RowHint } from './ownership.js';
import { exchangeTables, type ExchangeTable } from './tables.js';
import { checkShape } from './shape.js';
import { deriveTaskState, taskOf } from './derive.js';
import { RollupTally } from './rollups.js';

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
/** The file read by the import's second pass is not the one its first pass checked. */
export const PACKAGE_CHANGED = '交换包文件在导入过程中发生了变化，未导入任何内容。请重新复制该交换包后再导入。';

/** Kinds of the offices a package names (its own list first, then the partners this ledger knows). */
function kindResolver(ctx: ServiceContext, offices: readonly OfficeRef[]): (officeId: string) => OfficeKind | null {
  const given = new Map(offices.map((o) => [o.id, o.kind]));
  const local = ctx.ledger.prepare('SELECT kind FROM offices WHERE id = ?');
  return (id) => given.get(id) ?? (local.get(id) as { kind: OfficeKind } | undefined)?.kind ?? null;
}

/** What the first pass keeps of one record: enough to decide the package as a whole, not the record's values. */
interface Indexed {
  /** The same string as the key (references to the record point at it: one copy of each id). */
  id: string;
  table: ExchangeTable;
  origin: string;
  /** Held here already (else the package creates it). */
  present: boolean;
  /** The records of the package it refers to (evidence: its owner too), for refusals that follow a refused record. */
  refs: string[] | null;
  /** Evidence: the file it cites. */
  file: string | null;
  /** Evidence: the record it belongs to. */
  owner: string | null;
  /** The value its table's ownership is decided by per row (db/exchange/ownership.ts hintColumn), if any. */
  hint: RowHint | null;
}

const compactHint = (t: ExchangeTable, row: Record<string, unknown>): RowHint | null => {
  const col = hintColumn(t.name);
  return col ? { [col]: row[col] } : null;
};

/**
 * The first pass over a package's records (EXCHANGE.md 6: everything checked before the first
 * write): each record's form as it streams, then, once all are in, the package as a whole —
 * references to records here or in the package, the files evidence cites, which records the
 * package may not create (ownership) and why. It keeps a few facts per record, never the records:
 * the second pass (Planner) reads them again batch by batch.
 */
export class PackageIndex {
  readonly entries = new Map<string, Indexed>();
  private readonly tables = exchangeTables();
  /** Records found here already (most records of a package refer to the same few rounds and units). */
  private readonly known = new Set<string>();
  /** References to nothing indexed so far nor held here: [record, field key, id], checked at the end. */
  private readonly forward: [Indexed, string, string][] = [];
  /** One copy of each office id. */
  private readonly origins = new Map<string, string>();

  constructor(private readonly ctx: ServiceContext) {}

  add(c: RecordChange): void {
    const t = checkShape(this.tables.get(c.table), c);
    if (this.entries.has(c.id)) throw fail('package_record', `交换包中的${t.name}记录重复出现（${c.id.slice(0, 40)}）。`);
    let origin = this.origins.get(c.origin);
    if (origin === undefined) this.origins.set(c.origin, (origin = c.origin));
    const e: Indexed = { id: c.id, table: t, origin, present: !!this.ctx.ledger.prepare(`SELECT 1 FROM "${t.name}" WHERE id = ?`).get(c.id), refs: null, file: null, owner: null, hint: compactHint(t, c.row) };
    const refer = (key: string, id: string, table: string) => {
      const target = this.entries.get(id);
      if (target) (e.refs ??= []).push(target.id);
      else if (!this.known.has(id)) {
        if (this.ctx.ledger.prepare(`SELECT 1 FROM "${table}" WHERE id = ?`).get(id)) this.known.add(id);
        else this.forward.push([e, key, id]);
      }
    };
    for (const f of t.refs) {
      const v = Object.hasOwn(c.row, f.key) ? c.row[f.key] : c.initial?.[f.key];
      if (typeof v !== 'string' || f.references === null) continue;
      if (f.references === 'evidence_blobs') e.file = v;
      else refer(f.key, v, f.references);
    }
    if (t.name === 'evidence' && typeof c.row.ownerId === 'string') {
      const owner = this.entries.get(c.row.ownerId);
      e.owner = owner ? owner.id : c.row.ownerId;
      if (owner) (e.refs ??= []).push(owner.id);
    }
    this.entries.set(e.id, e);
  }

  /** Lets the facts go once every record has been planned (the files of a package stream after them). */
  release(): void {
    this.entries.clear();
    this.known.clear();
  }

  /**
   * The package as a whole, once every record is in. `blobs`: the SHA-256 of the files the package
   * carries, or 'later' when the records are checked before the files have streamed (the import):
   * then every cited file this ledger lacks is listed in `filesDue`, for the caller to check once they have.
   */
  check(offices: readonly OfficeRef[], blobs: ReadonlySet<string> | 'later'): Checked {
    const { ctx, entries } = this;
    const kindOf = kindResolver(ctx, offices);
    const kindOrFail = (officeId: string): OfficeKind | 'seed' => {
      if (officeId === SEED_OFFICE) return 'seed';
      const k = kindOf(officeId);
      if (!k) throw fail('package_office', '交换包中的修改来自未知单位，且交换包未说明其单位类型。');
      return k;
    };
    // A reference to a record later in the package (a well-formed package names the referenced
    // first): now that every record is in, it must be one of them.
    const dangling: [Indexed, string][] = [];
    for (const [e, key, id] of this.forward) {
      const target = entries.get(id);
      if (target) (e.refs ??= []).push(target.id);
      else dangling.push([e, key]);
    }
    this.forward.length = 0;
    const refused = this.refused(kindOrFail);
    // A refused record is listed with its reason, whatever it refers to.
    for (const [e, key] of dangling) {
      if (!refused.has(e.id)) throw fail('package_reference', `交换包中的${e.table.name}记录引用了不存在的记录（${key}）。`);
    }
    // The references were for the checks above: planning needs none of them.
    for (const e of entries.values()) e.refs = null;
    this.known.clear();
    const hasBlob = ctx.ledger.prepare('SELECT 1 FROM evidence_blobs WHERE sha256 = ?');
    const filesDue = new Set<string>();
    for (const [id, e] of entries) {
      if (e.table.name !== 'evidence' || refused.has(id)) continue;
      // EXCHANGE.md 9: a cited file is here already or in the package (whose bytes the container checked).
      if (e.file !== null && (blobs === 'later' || !blobs.has(e.file)) && !hasBlob.get(e.file)) {
        if (blobs !== 'later') throw fail('package_reference', MISSING_FILE);
        filesDue.add(e.file);
      }
      this.parentHint(e);
    }
    return { index: this, refused, kindOrFail, filesDue };
  }

  /** The record an evidence record cites, as an ownership hint: from the package, or this ledger. */
  parentHint(e: Indexed): RowHint {
    const table = e.hint ? EVIDENCE_PARENT[e.hint.ownerType as string] : undefined;
    const inPkg = e.owner === null ? undefined : this.entries.get(e.owner);
    if (inPkg && inPkg.table.name === table) return inPkg.hint ?? {};
    const t = table ? this.tables.get(table) : undefined;
    const raw = t && e.owner !== null ? this.ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(e.owner) as Record<string, unknown> | undefined : undefined;
    if (!t || !raw) throw fail('package_reference', '交换包中的佐证材料所属的记录不存在。');
    const row: Record<string, unknown> = {};
    for (const f of t.fields) row[f.key] = raw[f.name] ?? null;
    return row;
  }

  /**
   * The records of a package that may not be created here (EXCHANGE.md 4): new records whose origin
   * office's kind may not create them, then, until nothing changes, records that refer to a refused
   * one (a task of a refused problem, evidence of a refused task). Id → zh-CN reason.
   */
  private refused(kindOf: (officeId: string) => OfficeKind | 'seed'): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, e] of this.entries) {
      if (e.present) continue;
      const kind = kindOf(e.origin);
      if (kind === 'seed') continue;
      const parent = e.owner === null ? undefined : this.entries.get(e.owner);
      const hint: RowHint = { ...e.hint, ...(parent ? { parent: parent.hint ?? {} } : {}) };
      if (!mayCreate(kind, e.table.name, hint)) out.set(id, '新建此类记录的单位无权新建');
    }
    for (let grew = out.size > 0; grew;) {
      grew = false;
      for (const [id, e] of this.entries) {
        if (out.has(id)) continue;
        if (e.refs?.some((ref) => out.has(ref))) {
          out.set(id, '所依附的记录未被接受');
          grew = true;
        }
      }
    }
    return out;
  }
}

/** A package's records checked as a whole (PackageIndex.check): what planning each batch needs. */
export interface Checked {
  index: PackageIndex;
  refused: ReadonlyMap<string, string>;
  kindOrFail: (officeId: string) => OfficeKind | 'seed';
  filesDue: Set<string>;
}

/**
 * The second pass: plans the records batch by batch (read-only), against the facts of the first
 * (`checked`) and the ledger as it was before the import (each record's plan reads only that
 * record's own rows, so batches written before do not change it). Accumulates the preview.
 */
export class Planner {
  private readonly counts: ImportPreview['counts'];
  private readonly items: PreviewItem[] = [];
  private readonly conflictsOf;
  private readonly pendingProposal;

  constructor(private readonly ctx: ServiceContext, private readonly checked: Checked, private readonly offices: readonly OfficeRef[]) {
    this.counts = { records: checked.index.entries.size, unchanged: 0, new: 0, changed: 0, conflict: 0, proposal: 0, deleted: 0, restored: 0, refused: 0 };
    this.conflictsOf = ctx.ledger.prepare('SELECT field, heads FROM field_conflicts WHERE entity_id = ?');
    this.pendingProposal = ctx.ledger.prepare('SELECT 1 FROM proposals WHERE entity_id = ? AND field = ? AND stamp = ?');
  }

  get preview(): ImportPreview {
    return { counts: this.counts, items: this.items, deletions: this.counts.deleted };
  }

  private note(i: PreviewItem): void {
    this.counts[i.outcome]++;
    if (this.items.length < PREVIEW_CAP) this.items.push(i);
  }

  /**
   * The operations for one batch of records. Each must be the record the first pass indexed (same
   * id and table, checked again in form): a package file changed between the passes is refused.
   */
  plan(batch: readonly RecordChange[]): Batch {
    const ops: Op[] = [];
    let maxStamp = '';
    for (const c of batch) {
      if (!this.planOne(c, ops)) continue;
      for (const clock of Object.values(c.clocks)) for (const s of clock) if (s > maxStamp) maxStamp = s;
    }
    return { ops, maxStamp };
  }

  /** False: the record is refused (listed, nothing to write). */
  private planOne(c: RecordChange, ops: Op[]): boolean {
    const { ctx, checked, offices } = this;
    const e = checked.index.entries.get(c.id);
    if (!e || e.table.name !== c.table) throw fail('package_changed', PACKAGE_CHANGED);
    const t = checkShape(e.table, c);
    const why = checked.refused.get(c.id);
    if (why) {
      this.note({ outcome: 'refused', table: t.name, id: c.id, field: null, from: null, to: why, byOffice: c.origin, at: c.createdAt });
      return false;
    }
    // Proposals travelling with the record: kept (once each) whatever their state; whether one is
    // still open is decided by the field's clock (db/services/conflicts.ts).
    for (const p of c.proposals ?? []) {
      const stampP = stampOf(p.c);
      if (this.pendingProposal.get(c.id, p.field, stampP)) continue;
      ops.push({ type: 'proposal', t, id: c.id, field: p.field, version: { value: p.v, clock: p.c, stamp: stampP }, authorName: p.name, author: p.office });
      this.note({ outcome: 'proposal', table: t.name, id: c.id, field: p.field, from: null, to: p.v, byOffice: p.office, at: wallIso(stampP) });
    }
    const local = e.present ? ctx.ledger.prepare(`SELECT * FROM "${t.name}" WHERE id = ?`).get(c.id) as Record<string, unknown> | undefined : undefined;
    if (!local) {
      ops.push({ type: 'insert', t, change: c });
      this.note({ outcome: 'new', table: t.name, id: c.id, field: null, from: null, to: null, byOffice: c.origin, at: c.createdAt });
      return true;
    }
    const hint: RowHint = t.name === 'evidence' ? { ...c.row, parent: checked.index.parentHint(e) } : c.row;
    const localClocks = readFieldClocks(local.field_clocks as string | null, local.hlc as string);
    const localConflicts = new Map((this.conflictsOf.all(c.id) as { field: string; heads: string }[]).map((r) => [r.field, (JSON.parse(r.heads) as FieldHead[]).map(asVersion)]));
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    const clocks: Record<string, Clock> = { ...localClocks };
    const conflicts: Record<string, Version[] | null> = {};
    let touched = false;
    const fieldKeys: { key: string; localValue: unknown; incoming: unknown }[] = [
      ...t.fields.map((f) => ({ key: f.key, localValue: local[f.name] ?? null, incoming: c.row[f.key] })),
      {
        key: TOMBSTONE, incoming: c.deleted,
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
        const kind = checked.kindOrFail(author);
        const allowed = kind === 'seed' || (fk.key === TOMBSTONE ? mayDelete(kind, t.name, hint) : mayWrite(kind, t.name, fk.key, hint));
        if (!allowed) {
          if (!this.pendingProposal.get(c.id, fk.key, inV.stamp)) {
            ops.push({ type: 'proposal', t, id: c.id, field: fk.key, version: inV, authorName: offices.find((x) => x.id === author)?.name ?? null });
            this.note({ outcome: 'proposal', table: t.name, id: c.id, field: fk.key, from: fk.localValue, to: inV.value, byOffice: author, at: wallIso(inV.stamp) });
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
      this.note({ outcome, table: t.name, id: c.id, field: fk.key, from: fk.localValue, to: top.value, byOffice: officeOfStamp(top.stamp), at: wallIso(top.stamp) });
    }
    if (touched) {
      if (!Object.hasOwn(clocks, BASE)) clocks[BASE] = [local.hlc as string];
      ops.push({ type: 'update', t, id: c.id, set, clocks, conflicts, before });
    } else {
      this.counts.unchanged++;
    }
    return true;
  }
}

/** One batch's operations, and the newest stamp its records carry (the writer's HLC receives it first). */
export interface Batch {
  ops: Op[];
  maxStamp: string;
}

/**
 * Plan the import of `changes` (read-only), all at once: the first pass (PackageIndex), then one
 * batch. `blobs`: as PackageIndex.check.
 */
export function planChanges(ctx: ServiceContext, changes: readonly RecordChange[], offices: readonly OfficeRef[], blobs: ReadonlySet<string> | 'later' = new Set()): Plan {
  const index = new PackageIndex(ctx);
  for (const c of changes) index.add(c);
  const checked = index.check(offices, blobs);
  const planner = new Planner(ctx, checked, offices);
  const { ops, maxStamp } = planner.plan(changes);
  return { preview: planner.preview, ops, maxStampSeen: maxStamp, filesDue: checked.filesDue };
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
    const w = new PlanWriter(ctx, o.packageId);
    w.write({ ops: plan.ops, maxStamp: plan.maxStampSeen });
    w.finish();
    return plan.preview;
  });
}

/**
 * Writes planned operations, batch by batch, inside the caller's transaction, then the receiver's
 * own derivations once at the end (task states, problem roll-ups): between batches it keeps only
 * ids and the few values the roll-ups need.
 */
export class PlanWriter {
  private readonly problems = new Set<string>();
  private readonly touchedTasks = new Set<string>();
  private readonly tally = new RollupTally();

  constructor(private readonly ctx: ServiceContext, private readonly packageId: string | undefined) {
    ctx.ledger.sqlite.pragma('defer_foreign_keys = ON');
  }

  write({ ops, maxStamp }: Batch): void {
    const { ctx, packageId } = this;
    // Local writes from here on carry stamps above everything received so far (HLC receive rule).
    if (maxStamp) {
      const st = ctx.ledger.state;
      st.hlc = receiveHlc(st.hlc, decodeHlc(maxStamp), ctx.clock.now());
    }
    for (const op of ops) {
      if (op.type === 'insert') {
        insertReceived(ctx, op.t, op.change, packageId);
        if (op.t.name === 'problems') this.tally.problemCreated(op.change);
        if (op.t.name === 'tasks') this.tally.taskCreated(op.change);
      } else if (op.type === 'update') updateReceived(ctx, op, packageId);
      else addProposal(ctx, op, packageId);
      const id = op.type === 'insert' ? op.change.id : op.id;
      if (op.t.name === 'problems') this.problems.add(id);
      if (op.type === 'proposal') continue;
      // A task created by this package with none of its close-outs, extensions or progress in it
      // has nothing here to derive from (deriveTaskState would change nothing): only its problem's
      // roll-up is due.
      if (op.type === 'insert' && op.t.name === 'tasks') {
        this.problems.add(op.change.row.problemId as string);
        continue;
      }
      const task = taskOf(op.t.name, id, () => (op.type === 'insert' ? op.change.row.taskId : (ctx.ledger.prepare(`SELECT task_id AS t FROM "${op.t.name}" WHERE id = ?`).get(id) as { t: string } | undefined)?.t));
      if (task) this.touchedTasks.add(task);
    }
  }

  finish(): void {
    const { ctx } = this;
    for (const task of this.touchedTasks) {
      deriveTaskState(ctx, task);
      const p = ctx.ledger.prepare('SELECT problem_id AS p FROM tasks WHERE id = ?').get(task) as { p: string } | undefined;
      if (!p) continue;
      this.problems.add(p.p);
      this.tally.taskTouched(p.p);
    }
    // Derived columns are the receiver's own work (never exchanged).
    refreshProblemRollups(ctx, this.tally.due(this.problems));
  }
}

const SYNC_INSERT_COLUMNS = ['id', 'origin_office_id', 'created_at', 'updated_at', 'version', 'hlc', 'field_clocks', 'deleted_at', 'deleted_by', 'deleted_reason'];

interface InsertShape {
  sql: string;
  init: ExchangeTable['initial'];
  /** The stored row's content hash from the values bound, when they are every column (else null: read back). */
  hash: ((values: readonly unknown[]) => string) | null;
}
const insertShapes = new WeakMap<ExchangeTable, Map<string, InsertShape>>();
/** The key of the shape with every initial column (no list of column keys reads '*'). */
const ALL_INITIAL = '*';

/**
 * The INSERT for a received record of `t` with these initial columns, made once per shape. When
 * the record brings every initial column, every column but created_by/updated_by (null, no
 * default) is bound, with values of the column's type (checkShape), so the stored row is exactly
 * the values bound and its content hash is computed from them without reading it back.
 */
function insertShape(t: ExchangeTable, c: RecordChange): InsertShape {
  let byKey = insertShapes.get(t);
  if (!byKey) insertShapes.set(t, (byKey = new Map()));
  // Most records bring every initial column: that shape is found without building its key.
  const all = byKey.get(ALL_INITIAL);
  if (all && t.initial.every((f) => c.initial && Object.hasOwn(c.initial, f.key))) return all;
  const init = t.initial.filter((f) => c.initial && Object.hasOwn(c.initial, f.key));
  const key = init.length === t.initial.length ? ALL_INITIAL : init.map((f) => f.key).join(',');
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
    rowHash: shape.hash && textStoredAsBound(values) ? shape.hash(values) : storedHash(ctx, t.table, c.id),
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

