/**
 * The replicated tables as exchange sees them: drizzle table by SQL name, the columns a change may
 * carry (db/exchange/ownership.ts exchangedFields), each column's stored type for validating values
 * from a package, and the references between tables (for "every reference resolves" before the
 * first write).
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/index.js';
import type { SyncTable } from '../core/write.js';
import { exchangedFields, isExchanged } from './ownership.js';
import { SYNC_KEYS } from '../schema/common.js';

export interface ColumnSpec {
  key: string;
  name: string;
  /** What SQLite stores: text, integer (booleans as 0/1) or real. */
  kind: 'text' | 'integer' | 'boolean' | 'real';
  notNull: boolean;
  enumValues: readonly string[] | null;
  /** The SQL table this column refers to, if it is a reference. */
  references: string | null;
}

export interface ExchangeTable {
  name: string;
  table: SyncTable;
  /** Exchanged fields (TS keys), in schema order. */
  fields: ColumnSpec[];
  byKey: Map<string, ColumnSpec>;
  /** Tombstone columns travel as one field, `deleted`. */
  tombstone: ColumnSpec[];
  /**
   * The other columns (derived ones): sent only with a record's creation, as its initial state
   * (a new task needs its unit and round); the receiver then recomputes what it can.
   */
  initial: ColumnSpec[];
  /** The fields and initial columns that reference another table (references set). */
  refs: ColumnSpec[];
}

function kindOf(c: SQLiteColumn): ColumnSpec['kind'] {
  const t = c.columnType;
  if (t === 'SQLiteBoolean') return 'boolean';
  if (t === 'SQLiteReal' || t === 'SQLiteNumeric') return 'real';
  if (t.startsWith('SQLiteInteger') || t === 'SQLiteTimestamp') return 'integer';
  return 'text';
}

function build(): Map<string, ExchangeTable> {
  const out = new Map<string, ExchangeTable>();
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const name = getTableName(value);
    if (!isExchanged(name)) continue;
    const cfg = getTableConfig(value);
    const refs = new Map<string, string>();
    for (const fk of cfg.foreignKeys) {
      const r = fk.reference();
      if (r.columns.length === 1) refs.set(r.columns[0]!.name, getTableName(r.foreignTable));
    }
    const cols = getTableColumns(value) as Record<string, SQLiteColumn>;
    const spec = (key: string): ColumnSpec => {
      const c = cols[key]!;
      const ev = (c as SQLiteColumn & { enumValues?: readonly string[] }).enumValues;
      return { key, name: c.name, kind: kindOf(c), notNull: c.notNull, enumValues: ev && ev.length ? ev : null, references: refs.get(c.name) ?? null };
    };
    const fields = exchangedFields(name).map(spec);
    const taken = new Set<string>([...fields.map((f) => f.key), ...SYNC_KEYS]);
    const initial = Object.keys(cols).filter((k) => !taken.has(k)).map(spec);
    out.set(name, {
      name, table: value as SyncTable, fields, byKey: new Map(fields.map((f) => [f.key, f])),
      tombstone: ['deletedAt', 'deletedBy', 'deletedReason'].map(spec),
      initial, refs: [...fields, ...initial].filter((f) => f.references !== null),
    });
  }
  return out;
}

let cache: Map<string, ExchangeTable> | null = null;

/** Every exchanged table by SQL name. */
export function exchangeTables(): Map<string, ExchangeTable> {
  cache ??= build();
  return cache;
}

/** Is `v` a value a column of this spec may hold (as SQLite stores it)? */
export function validValue(c: ColumnSpec, v: unknown): boolean {
  if (v === null) return !c.notNull;
  switch (c.kind) {
    case 'text':
      return typeof v === 'string' && v.length <= 1_000_000 && (!c.enumValues || c.enumValues.includes(v));
    case 'boolean':
      return v === 0 || v === 1;
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'real':
      return typeof v === 'number' && Number.isFinite(v);
  }
}
