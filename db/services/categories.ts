import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { problemCategories } from '../schema/index.js';
import { defineCall } from '../core/call.js';
import { count, defineLifecycle, type LifecycleOptions } from '../core/lifecycle.js';
import * as f from '../domain/fields.js';
import { getRow, insertRow, requireRow, updateRow, type Row } from '../core/write.js';

/**
 * Configurable problem categories (DOMAIN.md: "Categories are configurable, not hard-coded"): a
 * tree of two levels, 大类 → 小类, as feedback documents group their problems. A category that
 * problems cite is never removed, only deactivated, so old problem lists keep their labels.
 */

export type Category = Row<typeof problemCategories>;

export interface CategoryNode {
  id: string;
  name: string;
  parentId: string | null;
  sortOrder: number;
  active: boolean;
  /** Live problems filed directly under this category. */
  problemCount: number;
  children: CategoryNode[];
}

const LIST_SQL = `SELECT c.id, c.name, c.parent_id AS parentId, c.sort_order AS sortOrder, c.active,
  (SELECT count(*) FROM problems p WHERE p.category_id = c.id AND p.deleted_at IS NULL) AS problemCount
FROM problem_categories c WHERE c.deleted_at IS NULL ORDER BY c.sort_order, c.name, c.id`;

const categoryName = f.text('类别名称', f.LEN.name);
const categoryId = f.args({ id: f.id('问题类别') });

/** The live categories (active or not) directly under `parentId` (null: top level), in display order. */
function levelOf(ctx: ServiceContext, parentId: string | null): { id: string; name: string; sortOrder: number }[] {
  return ctx.ledger
    .prepare(`SELECT id, name, sort_order AS sortOrder FROM problem_categories
      WHERE parent_id IS ? AND deleted_at IS NULL ORDER BY sort_order, name, id`)
    .all(parentId) as { id: string; name: string; sortOrder: number }[];
}

/** Names are unique among live siblings, deactivated ones included (reactivate instead). */
function checkNameFree(ctx: ServiceContext, parentId: string | null, name: string, exceptId: string | null): void {
  const clash = levelOf(ctx, parentId).find((s) => s.name === name && s.id !== exceptId);
  if (clash) throw invalid('name', `同一级下已有名为“${name}”的类别。`, 'duplicate');
}

function node(ctx: ServiceContext, id: string): CategoryNode {
  const found = findNode(listTree(ctx, false), id);
  if (!found) throw notFound('问题类别', id, 'id');
  return found;
}

function findNode(nodes: CategoryNode[], id: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const c = findNode(n.children, id);
    if (c) return c;
  }
  return undefined;
}

function listTree(ctx: ServiceContext, activeOnly: boolean): CategoryNode[] {
  const rows = ctx.ledger.prepare(LIST_SQL).all() as (Omit<CategoryNode, 'active' | 'children'> & { active: number })[];
  const byId = new Map<string, CategoryNode>();
  for (const r of rows) byId.set(r.id, { ...r, active: r.active === 1, children: [] });
  const roots: CategoryNode[] = [];
  for (const n of byId.values()) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    // A child whose parent is gone is shown at the top rather than lost.
    (parent ? parent.children : roots).push(n);
  }
  if (!activeOnly) return roots;
  const prune = (ns: CategoryNode[]): CategoryNode[] =>
    ns.filter((n) => n.active).map((n) => ({ ...n, children: prune(n.children) }));
  return prune(roots);
}

/** The category tree in display order; `activeOnly` for pickers (a problem needs an active one). */
export const listCategories = defineCall({
  permission: 'ledger.read',
  arg: f.v.optional(f.args({ activeOnly: f.bool('仅显示启用的类别') }), {}),
}, (ctx, i): CategoryNode[] => listTree(ctx, i.activeOnly));

export const createCategory = defineCall({
  permission: 'settings.write',
  arg: f.args({ name: categoryName, parentId: f.optId('上级类别') }),
}, (ctx, i): CategoryNode => {
  const { name, parentId } = i;
  if (parentId) {
    const parent = requireRow(ctx, problemCategories, parentId, '上级类别', 'parentId');
    if (parent.parentId) throw invalid('parentId', '问题类别最多两级，不能在小类下再建类别。', 'too_deep');
    if (!parent.active) throw invalid('parentId', '上级类别已停用，请先启用。', 'inactive');
  }
  checkNameFree(ctx, parentId, name, null);
  const sortOrder = levelOf(ctx, parentId).reduce((m, s) => Math.max(m, s.sortOrder + 1), 0);
  return inTransaction(ctx, () => {
    const c = insertRow(ctx, problemCategories, { name, parentId, sortOrder, active: true });
    return node(ctx, c.id);
  });
});

export const renameCategory = defineCall({
  permission: 'settings.write',
  arg: f.args({ id: f.id('问题类别'), name: categoryName }),
}, (ctx, i): CategoryNode => {
  const cur = requireRow(ctx, problemCategories, i.id, '问题类别');
  const name = i.name;
  checkNameFree(ctx, cur.parentId, name, cur.id);
  return inTransaction(ctx, () => {
    updateRow(ctx, problemCategories, cur, { name }, { action: 'rename' });
    return node(ctx, cur.id);
  });
});

/** Deactivate: no new problems may use it (or its 小类); existing problems keep it. */
export const deactivateCategory = defineCall({ permission: 'settings.write', arg: categoryId }, (ctx, i): CategoryNode => {
  const cur = requireRow(ctx, problemCategories, i.id, '问题类别');
  return inTransaction(ctx, () => {
    updateRow(ctx, problemCategories, cur, { active: false }, { action: 'deactivate' });
    for (const s of levelOf(ctx, cur.id)) {
      const child = getRow(ctx, problemCategories, s.id)!;
      updateRow(ctx, problemCategories, child, { active: false }, { action: 'deactivate' });
    }
    return node(ctx, cur.id);
  });
});

/** Reactivate one category; a 小类 needs its 大类 active first. Children stay as they are. */
export const activateCategory = defineCall({ permission: 'settings.write', arg: categoryId }, (ctx, i): CategoryNode => {
  const cur = requireRow(ctx, problemCategories, i.id, '问题类别');
  if (cur.parentId) {
    const parent = getRow(ctx, problemCategories, cur.parentId);
    if (parent && !parent.deletedAt && !parent.active) throw conflict('上级类别已停用，请先启用上级类别。', 'parent_inactive');
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, problemCategories, cur, { active: true }, { action: 'activate' });
    return node(ctx, cur.id);
  });
});

/**
 * Remove a category entered by mistake. One that live problems cite (or that still has 小类) is in
 * use and can only be deactivated. A restore needs its 大类 live and its name still free.
 */
const categoryLifecycle: Omit<LifecycleOptions<typeof problemCategories, unknown>, 'view'> = {
  table: problemCategories,
  label: '问题类别',
  permission: 'settings.write',
  beforeDelete(ctx, cur) {
    const used = count(ctx, 'SELECT count(*) AS n FROM problems WHERE category_id = ? AND deleted_at IS NULL', cur.id);
    if (used > 0) throw conflict(`已有${used}个问题使用该类别，不能删除，只能停用。`, 'in_use');
    if (levelOf(ctx, cur.id).length > 0) throw conflict('该类别下还有小类，请先删除或移走小类。', 'has_children');
  },
  beforeRestore(ctx, cur) {
    if (cur.parentId) {
      const parent = getRow(ctx, problemCategories, cur.parentId);
      if (!parent || parent.deletedAt) throw conflict('上级类别已被删除，请先恢复上级类别。', 'parent_deleted');
    }
    if (levelOf(ctx, cur.parentId).some((s) => s.name === cur.name)) {
      throw conflict(`同一级下已有名为“${cur.name}”的类别，不能恢复。`, 'duplicate');
    }
  },
};
// A deleted category is no longer in the tree: its delete answers with the id only.
export const { remove: deleteCategory } = defineLifecycle({ ...categoryLifecycle, view: (_ctx, row) => ({ id: row.id, deleted: true as const }) });
export const { restore: restoreCategory } = defineLifecycle({ ...categoryLifecycle, view: (ctx, row): CategoryNode => node(ctx, row.id) });

/**
 * Put the categories under one parent (null: the top level) in the given order. `orderedIds`
 * must list every live category of that level exactly once, so a stale screen cannot lose one.
 */
export const reorderCategories = defineCall({
  permission: 'settings.write',
  arg: f.args({
    parentId: f.optId('上级类别'),
    orderedIds: f.v.pipe(f.v.array(f.id('问题类别'), '请提供类别的新顺序。'), f.v.maxLength(1000, '类别不能超过1000项。')),
  }),
}, (ctx, i): CategoryNode[] => {
  const { parentId, orderedIds: ordered } = i;
  if (parentId) requireRow(ctx, problemCategories, parentId, '上级类别', 'parentId');
  const current = levelOf(ctx, parentId);
  const same = ordered.length === current.length && new Set(ordered).size === ordered.length
    && current.every((c) => ordered.includes(c.id));
  if (!same) throw invalid('orderedIds', '类别列表已变化，请刷新后重新排序。', 'mismatch');
  return inTransaction(ctx, () => {
    ordered.forEach((id, idx) => {
      const row = getRow(ctx, problemCategories, id)!;
      updateRow(ctx, problemCategories, row, { sortOrder: idx }, { action: 'reorder' });
    });
    return listTree(ctx, false);
  });
});
