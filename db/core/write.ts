import { hash } from 'node:crypto';
import { getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core';
import { appendAudit } from './audit.js';
import type { ServiceContext } from './context.js';
import { DomainError, notFound } from '../domain/errors.js';
import { encodeHlc, tickHlc } from './hlc.js';
import { SYNC_KEYS, type SyncKey } from '../schema/common.js';
import { afterLocalWrite, clockKey } from '../exchange/field-clocks.js';
import { notOwnedHere } from '../exchange/local-ownership.js';
import { proposeHere } from '../exchange/propose.js';

/**
 * The one path by which services change replicated records: every write gets a fresh ledger
 * version and HLC stamp, fills the sync columns, and appends a chained audit entry in the same
 * transaction. Statements are prepared once per table (drizzle's builder is kept for queries:
 * on bulk work its per-call SQL building would dominate).
 */

// Drizzle's table type with our sync columns; `any` is drizzle's own column-map parameter.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SyncTable = SQLiteTableWithColumns<any> & { id: SQLiteColumn; version: SQLiteColumn };
export type Row<T extends SyncTable> = T['$inferSelect'];
export type NewRow<T extends SyncTable> = Omit<T['$inferInsert'], SyncKey>;

interface ColumnInfo {
  key: string;
  name: string;
  column: SQLiteColumn;
}
interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  byKey: Map<string, ColumnInfo>;
  insertSql: string;
  selectSql: string;
  /** What rowHash covers: every column but the derived and the secret ones, by SQL name, sorted. */
  hashColumns: Array<{ name: string; neutral: unknown; key: string }>;
  /** Per column (insertSql's order): the JS type a bound value keeps as SQLite stores it. */
  storedAs: Array<'string' | 'number' | 'blob' | null>;
  /** rowHash of the values bound to insertSql, in its order. */
  hashBound: (values: readonly unknown[]) => string;
}

const infoCache = new WeakMap<object, TableInfo>();

export function tableInfo(table: SyncTable): TableInfo {
  let info = infoCache.get(table);
  if (!info) {
    const name = getTableName(table);
    const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
      key,
      name: (column as SQLiteColumn).name,
      column: column as SQLiteColumn,
    }));
    info = {
      name,
      columns,
      byKey: new Map(columns.map((c) => [c.key, c])),
      insertSql: `INSERT INTO "${name}" (${columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      selectSql: `SELECT * FROM "${name}" WHERE id = ?`,
      hashColumns: columns
        .filter((c) => !DERIVED_COLUMNS[name]?.has(c.name) && !SECRET_COLUMNS[name]?.has(c.key))
        .map((c) => ({ name: c.name, neutral: neutralOf(c), key: `${JSON.stringify(c.name)}:` }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      storedAs: columns.map((c) => STORED_AS[c.column.getSQLType()] ?? null),
      hashBound: () => '',
    };
    info.hashBound = hasherOf(info, columns.map((c) => c.name));
    infoCache.set(table, info);
  }
  return info;
}

/**
 * Bound values SQLite keeps as they are, by the column's declared type: a (well-formed) string in a TEXT column, a
 * finite number in an INTEGER or REAL one (an integral REAL reads back as the same JS number), a
 * Buffer in a BLOB one. Anything else (a number in a TEXT column, a string in a numeric one) is
 * converted by the column's affinity, and only a read-back tells what was stored.
 */
const STORED_AS: Readonly<Record<string, 'string' | 'number' | 'blob'>> = { text: 'string', integer: 'number', real: 'number', blob: 'blob' };

/**
 * A string SQLite keeps as it is: well-formed UTF-16 (the driver turns a lone surrogate into
 * U+FFFD on the way to UTF-8, so the stored text is not the bound one). Native in Node 20+; the
 * ES2023 lib this project compiles against does not declare it yet.
 */
const wellFormed = (v: string): boolean => (v as string & { isWellFormed(): boolean }).isWellFormed();

/** No bound string holds a lone surrogate (which the driver would store as U+FFFD): see wellFormed. */
export function textStoredAsBound(values: readonly unknown[]): boolean {
  for (const v of values) if (typeof v === 'string' && !wellFormed(v)) return false;
  return true;
}

/** Whether every value bound to insertSql is stored as it is (see STORED_AS), so its hash is the stored row's. */
function storedAsBound(info: TableInfo, values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    const as = info.storedAs[i];
    if (as === 'string' ? typeof v !== 'string' || !wellFormed(v) : as === 'number' ? !Number.isFinite(v) : as === 'blob' ? !Buffer.isBuffer(v) : true) return false;
  }
  return true;
}

/** A value as SQLite stores it (booleans 0/1): how proposals keep values, like received ones. */
function toStored(c: ColumnInfo, v: unknown): unknown {
  const d = toDriver(c, v);
  return typeof d === 'boolean' ? (d ? 1 : 0) : d;
}

function toDriver(c: ColumnInfo, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return c.column.mapToDriverValue(v);
}

function fromDriver(info: TableInfo, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of info.columns) {
    const v = raw[c.name];
    out[c.key] = v === null || v === undefined ? null : c.column.mapFromDriverValue(v);
  }
  return out;
}

/**
 * Columns whose values never enter the audit trail (it is shown in the UI and may be exported):
 * the trail records that they changed, not what they hold. Nor does anything derived from them:
 * they are left out of rowHash too. (users.password_hash only serves plaintext ledgers awaiting
 * conversion; an encrypted ledger's passwords live as key wraps in the key file.)
 */
const SECRET_COLUMNS: Record<string, ReadonlySet<string>> = { users: new Set(['passwordHash']), office_keys: new Set(['secret']) };
const REDACTED = '（已隐藏）';

function forAudit(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const secret = SECRET_COLUMNS[table];
  if (!secret) return row;
  const out = { ...row };
  for (const k of secret) if (k in out && out[k] !== null) out[k] = REDACTED;
  return out;
}

/**
 * Columns the engine keeps up to date outside the audited path: a problem's roll-up of its tasks
 * (db/services/problems.ts refreshProblemRollup writes them directly, with no version and no audit
 * entry). They are left out of the record's content hash; db/core/verify.ts checks them against the
 * tasks instead. SQL column names.
 */
export const DERIVED_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  problems: new Set(['status', 'deadline', 'task_count', 'closed_task_count']),
};

/**
 * The value a column takes in rows that predate it: its declared default, or null. rowHash leaves
 * such values out, so a migration that adds a column (SQLite fills old rows with the default)
 * changes no record's hash. The defaults are the program's own (the schema in db/schema), never
 * read from the file, which someone holding it could change.
 */
function neutralOf(c: ColumnInfo): unknown {
  const col = c.column as SQLiteColumn & { hasDefault: boolean; default: unknown };
  if (!col.hasDefault || col.default === undefined || col.default === null || is(col.default, SQL)) return null;
  return c.column.mapToDriverValue(col.default);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
}

/**
 * The content hash of a record as stored: SHA-256 over the table name and the canonical JSON of the
 * raw row (SQL column names in code-point order, values as the driver returns them, blobs as
 * ['blob', base64]), leaving out derived and secret columns and columns holding their neutral value (so a
 * column with a default is written out when it holds null, and a column without one is not). The
 * same for every table; db/core/verify.ts recomputes it from the current row.
 */
export function rowHash(table: SyncTable, raw: Record<string, unknown>): string {
  const info = tableInfo(table);
  return hashEncoded(info, (i) => raw[info.hashColumns[i]!.name]);
}

/**
 * rowHash for rows read in raw (array) mode with the given column names, as db/core/verify.ts
 * streams them: the column positions are worked out once per statement.
 */
export function rowHasher(table: SyncTable, columnNames: readonly string[]): (values: readonly unknown[]) => string {
  return hasherOf(tableInfo(table), columnNames);
}

function hasherOf(info: TableInfo, columnNames: readonly string[]): (values: readonly unknown[]) => string {
  const at = new Map(columnNames.map((n, i) => [n, i]));
  const idx = info.hashColumns.map((c) => at.get(c.name) ?? -1);
  return (values) => hashEncoded(info, (i) => (idx[i]! < 0 ? null : values[idx[i]!]));
}

function hashEncoded(info: TableInfo, value: (i: number) => unknown): string {
  let json = '{';
  const cols = info.hashColumns;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const v = value(i) ?? null;
    if (v === c.neutral || (v !== null && typeof v === 'object' && sameValue(v, c.neutral))) continue;
    const enc = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? String(v)
      : Buffer.isBuffer(v) ? JSON.stringify(['blob', v.toString('base64')]) : JSON.stringify(v);
    json += json.length === 1 ? c.key + enc : `,${c.key}${enc}`;
  }
  json += '}';
  return hash('sha256', `xz-row-v1|${info.name}|${json}`);
}

/**
 * The content hash of the record `id` as it is now stored (read back: exactly what SQLite kept,
 * after type affinity). Any code that writes a replicated record other than through this file
 * (an exchange import…) must pass this as `rowHash` to appendAudit, or verify.ts reports the
 * record as changed outside the app.
 */
export function storedHash(ctx: ServiceContext, table: SyncTable, id: unknown): string {
  const info = tableInfo(table);
  const raw = ctx.ledger.prepare(info.selectSql).get(id) as Record<string, unknown>;
  return rowHash(table, raw);
}

/** The next version and HLC stamp for one change. */
export function stamp(ctx: ServiceContext): { version: number; hlc: string; at: string } {
  const st = ctx.ledger.state;
  const now = ctx.clock.now();
  st.hlc = tickHlc(st.hlc, now);
  st.version += 1;
  return { version: st.version, hlc: encodeHlc(st.hlc, st.officeId ?? 'unconfigured'), at: new Date(now).toISOString() };
}

function defaultFor(c: ColumnInfo): unknown {
  const col = c.column as SQLiteColumn & { hasDefault: boolean; default: unknown };
  return col.hasDefault && col.default !== undefined ? col.default : null;
}

/**
 * What a create records as "after": the record's own non-empty values. The sync columns are
 * already in the audit row itself (entity id, version, HLC, time, user).
 */
const SYNC_KEY_SET: ReadonlySet<string> = new Set(SYNC_KEYS);

function createdValues(full: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) if (v !== null && !SYNC_KEY_SET.has(k)) out[k] = v;
  return out;
}

/** Read a row by id (deleted or not), mapped to its TS shape. */
export function getRow<T extends SyncTable>(ctx: ServiceContext, table: T, id: string): Row<T> | undefined {
  const info = tableInfo(table);
  const raw = ctx.ledger.prepare(info.selectSql).get(id) as Record<string, unknown> | undefined;
  return raw ? (fromDriver(info, raw) as Row<T>) : undefined;
}

/** Read a live (not deleted) row or fail with NOT_FOUND naming `field`. */
export function requireRow<T extends SyncTable>(
  ctx: ServiceContext,
  table: T,
  id: string,
  what: string,
  field = 'id',
): Row<T> {
  const row = getRow(ctx, table, id);
  if (!row || (row as { deletedAt: string | null }).deletedAt) throw notFound(what, id, field);
  return row;
}

/** Check that a live (not deleted) row exists, without reading it; NOT_FOUND naming `field`. */
export function assertLive(ctx: ServiceContext, table: SyncTable, id: string, what: string, field = 'id'): void {
  const info = tableInfo(table);
  const hit = ctx.ledger.prepare(`SELECT 1 FROM "${info.name}" WHERE id = ? AND deleted_at IS NULL`).get(id);
  if (!hit) throw notFound(what, id, field);
}

export function insertRow<T extends SyncTable>(
  ctx: ServiceContext,
  table: T,
  values: NewRow<T>,
  /**
   * `originOfficeId`: a record minted elsewhere (a partner office's own row) keeps its origin.
   * `hlc`: the record's creation stamp when it is not this write's (seeded reference data, the
   * same in every ledger: db/services/reference-data.ts).
   */
  opts: { action?: string; id?: string; originOfficeId?: string; hlc?: string } = {},
): Row<T> {
  const info = tableInfo(table);
  const s = stamp(ctx);
  const officeId = ctx.ledger.state.officeId;
  if (!officeId) throw new DomainError('CONFLICT', '本单位台账尚未建立，请先完成首次设置。', { reason: 'not_set_up' });
  const userId = ctx.user?.id ?? null;
  const full: Record<string, unknown> = {
    ...(values as Record<string, unknown>),
    id: opts.id ?? ctx.ids.next(),
    originOfficeId: opts.originOfficeId ?? officeId,
    createdAt: s.at,
    createdBy: userId,
    updatedAt: s.at,
    updatedBy: userId,
    version: s.version,
    hlc: opts.hlc ?? s.hlc,
    deletedAt: null,
    deletedBy: null,
    deletedReason: null,
    fieldClocks: null,
  };
  const params = info.columns.map((c) => {
    const v = full[c.key];
    if (v === undefined) {
      const d = defaultFor(c);
      full[c.key] = d;
      return toDriver(c, d);
    }
    return toDriver(c, v);
  });
  ctx.ledger.prepare(info.insertSql).run(...params);
  appendAudit(ctx, {
    action: opts.action ?? 'create', entity: info.name, entityId: full.id as string, before: null, after: forAudit(info.name, createdValues(full)),
    // Every column is bound: when each value is stored as it is, the stored row's hash is the bound values' (no read-back).
    rowHash: storedAsBound(info, params) ? info.hashBound(params) : storedHash(ctx, table, full.id),
  }, s);
  return full as Row<T>;
}

const SYNC_SET = new Set<string>([
  'id', 'originOfficeId', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version', 'hlc', 'fieldClocks',
]);

/**
 * Apply `patch` to a row. Only fields whose value actually changes are written and audited;
 * an empty change writes nothing and returns the row as it was.
 */
export function updateRow<T extends SyncTable>(
  ctx: ServiceContext,
  table: T,
  current: Row<T>,
  patch: Partial<Row<T>>,
  /**
   * `touch`: fields written (and stamped) even when the value is unchanged: resolving a conflict in
   * favour of the shown value, rejecting a proposal. `seen`: further clocks the write has seen, per
   * clock key (a proposal accepted or rejected), joined into the field's new clock.
   */
  opts: { action?: string; touch?: readonly string[]; seen?: Readonly<Record<string, readonly (readonly string[])[]>> } = {},
): Row<T> {
  const info = tableInfo(table);
  const cur = current as Record<string, unknown>;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === undefined || SYNC_SET.has(k)) continue;
    if (!info.byKey.has(k)) throw new Error(`unknown column ${info.name}.${k}`);
    if (cur[k] === v && !opts.touch?.includes(k)) continue;
    before[k] = cur[k] ?? null;
    after[k] = v;
  }
  // Fields of another office's record that this office does not own become proposals (提议修改).
  const foreign = notOwnedHere(ctx, info.name, cur, Object.keys(after));
  if (foreign.length) {
    proposeHere(ctx, info.name, cur, Object.fromEntries(foreign.map((k) => [k, toStored(info.byKey.get(k)!, after[k])])));
    for (const k of foreign) {
      delete after[k];
      delete before[k];
    }
  }
  const keys = Object.keys(after);
  if (keys.length === 0) return current;
  const s = stamp(ctx);
  const userId = ctx.user?.id ?? null;
  const next: Record<string, unknown> = { ...cur, ...after, updatedAt: s.at, updatedBy: userId, version: s.version, hlc: s.hlc };
  // Every changed field's own clock (exchange merges field by field: db/exchange/field-clocks.ts);
  // a change of a field in conflict (冲突) resolves it: its clock joins every head.
  const conflicts = ctx.ledger.prepare('SELECT field, heads FROM field_conflicts WHERE entity_id = ?').all(cur.id) as { field: string; heads: string }[];
  const heads = new Map<string, string[][]>(Object.entries(opts.seen ?? {}).map(([k, cs]) => [k, cs.map((c) => [...c])]));
  for (const c of conflicts) {
    if (!keys.some((k) => clockKey(k) === c.field)) continue;
    heads.set(c.field, [...(heads.get(c.field) ?? []), ...(JSON.parse(c.heads) as { c: string[] }[]).map((h) => h.c)]);
    ctx.ledger.prepare('DELETE FROM field_conflicts WHERE entity_id = ? AND field = ?').run(cur.id, c.field);
  }
  next.fieldClocks = afterLocalWrite((cur.fieldClocks as string | null | undefined) ?? null, cur.hlc as string, keys, s.hlc, heads);
  const setCols = [...keys, 'updatedAt', 'updatedBy', 'version', 'hlc', 'fieldClocks'].map((k) => info.byKey.get(k)!);
  const sql = `UPDATE "${info.name}" SET ${setCols.map((c) => `"${c.name}" = ?`).join(', ')} WHERE id = ?`;
  ctx.ledger.prepare(sql).run(...setCols.map((c) => toDriver(c, next[c.key])), cur.id);
  appendAudit(ctx, {
    action: opts.action ?? 'update', entity: info.name, entityId: cur.id as string, before: forAudit(info.name, before), after: forAudit(info.name, after),
    rowHash: storedHash(ctx, table, cur.id),
  }, s);
  return next as Row<T>;
}

/** Tombstone a record (EXCHANGE.md 6: nothing disappears). */
export function softDelete<T extends SyncTable>(ctx: ServiceContext, table: T, current: Row<T>, reason: string): Row<T> {
  return updateRow(
    ctx,
    table,
    current,
    { deletedAt: new Date(ctx.clock.now()).toISOString(), deletedBy: ctx.user?.id ?? null, deletedReason: reason } as Partial<Row<T>>,
    { action: 'delete' },
  );
}

/** Undo a tombstone. */
export function restoreRow<T extends SyncTable>(ctx: ServiceContext, table: T, current: Row<T>): Row<T> {
  return updateRow(ctx, table, current, { deletedAt: null, deletedBy: null, deletedReason: null } as Partial<Row<T>>, {
    action: 'restore',
  });
}
