/**
 * 已保存的筛选: a user's named filter sets for the big lists (问题清单, 任务清单, 责任清单), and the
 * column mappings of 导入Excel台账 (list 'excel': the columns per field, the header row and the header's words).
 * A UI convenience: each user sees and changes only their own, and the filter is stored as the
 * list's own filter object (validated as flat JSON here; the list query validates its values
 * again whenever the filter is applied, so a stale saved filter fails there with a field error).
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { savedFilters } from '../schema/index.js';
import { getRow, insertRow, softDelete, updateRow, type Row } from '../core/write.js';

export const FILTER_LISTS = ['problems', 'tasks', 'duty', 'excel'] as const;
export type FilterList = (typeof FILTER_LISTS)[number];

/** A saved filter's value: a flat object of scalars, as the list screens hold their filters. */
export type FilterValue = Record<string, string | number | boolean | null>;

export interface SavedFilter {
  id: string;
  list: FilterList;
  name: string;
  filter: FilterValue;
  updatedAt: string;
}

/** Enough for every habit seen in practice; a runaway script cannot fill the table. */
export const MAX_PER_LIST = 100;
const MAX_KEYS = 30;
const MAX_NAME = 40;
const MAX_VALUE = 200;
const KEY_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

const listField = f.oneOf(FILTER_LISTS, '清单');
const nameField = f.text('筛选名称', MAX_NAME);
const filterId = f.id('已保存的筛选');

/** What a list screen sends: its filter object (an unset filter may be '', null or absent). */
type FilterInput = Record<string, string | number | boolean | null | undefined>;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown) => x === undefined || x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));

/**
 * A flat object of at most MAX_KEYS scalars under plain names; text values are checked like any
 * text field (named `filter.<key>`), and unset filters ('' or null) are not saved.
 */
const filterField = f.v.pipe(
  f.v.custom<FilterInput>(() => true),
  f.rule('not_object', (x: FilterInput) => isObject(x), '筛选条件格式不正确。'),
  f.rule('too_many', (x: FilterInput) => isObject(x) && Object.keys(x).length <= MAX_KEYS, `筛选条件不能超过${MAX_KEYS}项。`),
  f.rule('bad_key', (x: FilterInput) => isObject(x) && Object.keys(x).every((k) => KEY_RE.test(k)), '筛选条件的名称无效。'),
  f.rule('bad_value', (x: FilterInput) => isObject(x) && Object.values(x).every(isScalar), '筛选条件只能是文字、数字或是否。'),
  f.v.record(f.v.string(), f.v.nullish(f.v.union([f.v.literal(''), f.v.boolean(), f.v.number(), f.text('筛选条件', MAX_VALUE)]))),
  f.v.transform((x): FilterValue => {
    const out: FilterValue = {};
    for (const [k, val] of Object.entries(x)) if (val !== undefined && val !== null && val !== '') out[k] = val;
    return out;
  }),
);

function parseFilter(json: string): FilterValue {
  try {
    const x: unknown = JSON.parse(json);
    return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as FilterValue) : {};
  } catch {
    return {};
  }
}

function view(r: Row<typeof savedFilters>): SavedFilter {
  return { id: r.id, list: r.list as FilterList, name: r.name, filter: parseFilter(r.filter), updatedAt: r.updatedAt };
}

/** A live filter of the acting user; anyone else's is NOT_FOUND (they are private, not forbidden). */
function ownRow(ctx: ServiceContext, userId: string, id: string): Row<typeof savedFilters> {
  const r = getRow(ctx, savedFilters, id);
  if (!r || r.deletedAt || r.userId !== userId) throw notFound('已保存的筛选', id, 'id');
  return r;
}

function nameTaken(ctx: ServiceContext, userId: string, list: string, name: string, exceptId: string | null): boolean {
  return !!ctx.ledger.prepare(`SELECT 1 FROM saved_filters WHERE user_id = ? AND list = ? AND name = ? AND deleted_at IS NULL
    AND id IS NOT ?`).get(userId, list, name, exceptId);
}

/** The acting user's saved filters of one list, by name. */
export const listSavedFilters = defineCall({ permission: 'ledger.read', arg: f.args({ list: listField }) }, (ctx, a): SavedFilter[] => {
  const user = ctx.user!;
  const { list } = a;
  const rows = ctx.ledger.prepare(`SELECT id, list, name, filter, updated_at AS updatedAt FROM saved_filters
    WHERE user_id = ? AND list = ? AND deleted_at IS NULL ORDER BY name, id`).all(user.id, list) as (Omit<SavedFilter, 'filter'> & { filter: string })[];
  return rows.map((r) => ({ ...r, filter: parseFilter(r.filter) }));
});

/**
 * Save the current filters under a name. Saving again under a name already used in that list
 * replaces its filter when `replace` is true, and is refused (CONFLICT) otherwise, so a user does
 * not overwrite a filter by accident.
 */
export const saveFilter = defineCall({
  permission: 'ledger.read',
  arg: f.args({ list: listField, name: nameField, filter: filterField, replace: f.bool('覆盖同名筛选') }),
}, (ctx, a): SavedFilter => {
  const user = ctx.user!;
  const { list, name, filter, replace } = a;
  const json = JSON.stringify(filter);
  const same = ctx.ledger.prepare(`SELECT id FROM saved_filters WHERE user_id = ? AND list = ? AND name = ? AND deleted_at IS NULL`)
    .get(user.id, list, name) as { id: string } | undefined;
  if (same) {
    if (!replace) throw invalid('name', `已有名为“${name}”的筛选，请换一个名称或选择覆盖。`, 'duplicate_name');
    const cur = getRow(ctx, savedFilters, same.id)!;
    return inTransaction(ctx, () => view(updateRow(ctx, savedFilters, cur, { filter: json })));
  }
  const n = (ctx.ledger.prepare('SELECT count(*) AS n FROM saved_filters WHERE user_id = ? AND list = ? AND deleted_at IS NULL')
    .get(user.id, list) as { n: number }).n;
  if (n >= MAX_PER_LIST) throw conflict(`每个清单最多保存${MAX_PER_LIST}个筛选，请先删除不用的筛选。`, 'too_many');
  return inTransaction(ctx, () => view(insertRow(ctx, savedFilters, { userId: user.id, list, name, filter: json })));
});

export const renameFilter = defineCall({ permission: 'ledger.read', arg: f.args({ id: filterId, name: nameField }) }, (ctx, a): SavedFilter => {
  const user = ctx.user!;
  const cur = ownRow(ctx, user.id, a.id);
  const { name } = a;
  if (nameTaken(ctx, user.id, cur.list, name, cur.id)) throw invalid('name', `已有名为“${name}”的筛选，请换一个名称。`, 'duplicate_name');
  return inTransaction(ctx, () => view(updateRow(ctx, savedFilters, cur, { name })));
});

/** Delete one of the user's own filters (a tombstone, like every record; no reason asked of a UI preference). */
export const deleteFilter = defineCall({ permission: 'ledger.read', arg: f.args({ id: filterId }) }, (ctx, a): { id: string } => {
  const cur = ownRow(ctx, ctx.user!.id, a.id);
  return inTransaction(ctx, () => {
    softDelete(ctx, savedFilters, cur, '用户删除了已保存的筛选');
    return { id: cur.id };
  });
});
