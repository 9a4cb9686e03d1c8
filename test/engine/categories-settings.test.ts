import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ServiceContext } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { openLedger } from '../../db/core/open.js';
import {
  activateCategory, createCategory, deactivateCategory, deleteCategory, listCategories, renameCategory,
  reorderCategories, restoreCategory, type CategoryNode,
} from '../../db/services/categories.js';
import { DEFAULT_SETTINGS, getSettings, readSettings, updateSettings } from '../../db/services/settings.js';
import { DEFAULT_CATEGORIES } from '../../db/services/reference-data.js';
import { LEN } from '../../db/domain/fields.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { categoryId, fxProblem, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
let admin: ServiceContext;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-01' });
  admin = t.as(t.users.admin);
});
afterEach(() => t.close());

function find(nodes: CategoryNode[], name: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.name === name) return n;
    const c = find(n.children, name);
    if (c) return c;
  }
  return undefined;
}

describe('problem categories', () => {
  it('lists the seeded categories as a two-level tree in order', () => {
    const tree = listCategories(t.as(t.users.readonly));
    expect(tree.map((n) => n.name)).toEqual(DEFAULT_CATEGORIES.map((c) => c.name));
    expect(tree.map((n) => n.children.map((c) => c.name))).toEqual(DEFAULT_CATEGORIES.map((c) => [...c.children]));
    expect(tree.every((n) => n.active && n.parentId === null && n.problemCount === 0)).toBe(true);
  });

  it('adds a category at the end of its level', () => {
    const parent = categoryId(admin, '履行全面从严治党责任');
    const c = createCategory(admin, { name: '违规吃喝', parentId: parent });
    expect(c).toMatchObject({ name: '违规吃喝', parentId: parent, active: true, children: [] });
    const level = find(listCategories(admin), '履行全面从严治党责任')!.children;
    expect(level[level.length - 1]!.id).toBe(c.id);
    const top = createCategory(admin, { name: '意识形态工作责任制落实' });
    expect(listCategories(admin).at(-1)!.id).toBe(top.id);
  });

  it('refuses a name already used by a sibling, but allows it under another parent', () => {
    const parent = categoryId(admin, '履行全面从严治党责任');
    expectRefused(t, () => createCategory(admin, { name: '廉洁风险', parentId: parent }), 'VALIDATION', 'name', 'duplicate');
    expectRefused(t, () => createCategory(admin, { name: '基层党组织建设' }), 'VALIDATION', 'name', 'duplicate');
    expect(createCategory(admin, { name: '廉洁风险', parentId: categoryId(admin, '基层党组织建设') }).name).toBe('廉洁风险');
  });

  it('validates name and parent, and keeps the tree at two levels', () => {
    expectRefused(t, () => createCategory(admin, { name: '' }), 'VALIDATION', 'name', 'required');
    expectRefused(t, () => createCategory(admin, { name: '类'.repeat(LEN.name + 1) }), 'VALIDATION', 'name', 'too_long');
    expectRefused(t, () => createCategory(admin, { name: '新类别', parentId: UNKNOWN_ID }), 'NOT_FOUND', 'parentId');
    expectRefused(t, () => createCategory(admin, { name: '第三级', parentId: categoryId(admin, '廉洁风险') }), 'VALIDATION', 'parentId', 'too_deep');
  });

  it('needs the settings right to change categories', () => {
    const entry = t.as(t.users.entry);
    expect(listCategories(entry).length).toBeGreaterThan(0);
    expectRefused(t, () => createCategory(entry, { name: '新类别' }), 'FORBIDDEN');
    expectRefused(t, () => renameCategory(t.as(t.users.readonly), { id: categoryId(admin, '廉洁风险'), name: '廉洁' }), 'FORBIDDEN');
    expectRefused(t, () => deactivateCategory(t.as(t.users.reviewer), { id: categoryId(admin, '廉洁风险') }), 'FORBIDDEN');
  });

  it('renames a category unless a sibling has the name', () => {
    const id = categoryId(admin, '廉洁风险');
    expectRefused(t, () => renameCategory(admin, { id, name: '违反中央八项规定精神' }), 'VALIDATION', 'name', 'duplicate');
    expectRefused(t, () => renameCategory(admin, { id: UNKNOWN_ID, name: '某类' }), 'NOT_FOUND', 'id');
    expect(renameCategory(admin, { id, name: '廉洁风险防控' }).name).toBe('廉洁风险防控');
    expect(renameCategory(admin, { id, name: '廉洁风险防控' }).name).toBe('廉洁风险防控');
  });

  it('deactivates a category with its children and hides them from pickers', () => {
    const parentId = categoryId(admin, '领导班子和干部队伍建设');
    const off = deactivateCategory(admin, { id: parentId });
    expect(off.active).toBe(false);
    expect(off.children.every((c) => !c.active)).toBe(true);
    expect(find(listCategories(admin, { activeOnly: true }), '领导班子和干部队伍建设')).toBeUndefined();
    expect(find(listCategories(admin, { activeOnly: true }), '选人用人')).toBeUndefined();
    expect(find(listCategories(admin), '选人用人')!.active).toBe(false);
    const child = categoryId(admin, '选人用人');
    expectRefused(t, () => activateCategory(admin, { id: child }), 'CONFLICT', undefined, 'parent_inactive');
    expectRefused(t, () => createCategory(admin, { name: '新小类', parentId }), 'VALIDATION', 'parentId', 'inactive');
    activateCategory(admin, { id: parentId });
    expect(activateCategory(admin, { id: child }).active).toBe(true);
    expect(find(listCategories(admin, { activeOnly: true }), '干部监督管理')).toBeUndefined();
  });

  it('refuses to delete a category that live problems use; it can still be deactivated', () => {
    const id = categoryId(admin, '廉洁风险');
    fxProblem(admin, { unitId: fxUnit(admin).id, categoryId: id });
    expect(find(listCategories(admin), '廉洁风险')!.problemCount).toBe(1);
    expectRefused(t, () => deleteCategory(admin, { id, reason: '不再使用' }), 'CONFLICT', undefined, 'in_use');
    expect(deactivateCategory(admin, { id }).active).toBe(false);
  });

  it('deletes an unused category with a reason and restores it', () => {
    const id = categoryId(admin, '上轮巡视整改落实');
    expectRefused(t, () => deleteCategory(admin, { id }), 'VALIDATION', 'reason', 'required');
    expectRefused(t, () => deleteCategory(admin, { id: UNKNOWN_ID, reason: '误建' }), 'NOT_FOUND', 'id');
    expect(deleteCategory(admin, { id, reason: '合并到其他类别' })).toEqual({ id, deleted: true });
    expect(find(listCategories(admin), '上轮巡视整改落实')).toBeUndefined();
    createCategory(admin, { name: '上轮巡视整改落实' });
    expectRefused(t, () => restoreCategory(admin, { id }), 'CONFLICT', undefined, 'duplicate');
  });

  it('restores a deleted category when its name is free', () => {
    const id = categoryId(admin, '上轮巡视整改落实');
    deleteCategory(admin, { id, reason: '误删测试' });
    expect(restoreCategory(admin, { id })).toMatchObject({ id, name: '上轮巡视整改落实' });
  });

  it('refuses to delete a category that still has subcategories', () => {
    expectRefused(t, () => deleteCategory(admin, { id: categoryId(admin, '领导班子和干部队伍建设'), reason: '调整' }), 'CONFLICT', undefined, 'has_children');
  });

  it('reorders one level, refusing a list that does not match it', () => {
    const tops = listCategories(admin).map((n) => n.id);
    const reversed = [...tops].reverse();
    const tree = reorderCategories(admin, { parentId: null, orderedIds: reversed });
    expect(tree.map((n) => n.id)).toEqual(reversed);
    expect(listCategories(admin).map((n) => n.id)).toEqual(reversed);
    expectRefused(t, () => reorderCategories(admin, { orderedIds: reversed.slice(1) }), 'VALIDATION', 'orderedIds', 'mismatch');
    expectRefused(t, () => reorderCategories(admin, { orderedIds: [...reversed.slice(1), reversed[1]] }), 'VALIDATION', 'orderedIds', 'mismatch');
    expectRefused(t, () => reorderCategories(admin, { orderedIds: 'x' }), 'VALIDATION', 'orderedIds');
    expectRefused(t, () => reorderCategories(admin, { parentId: UNKNOWN_ID, orderedIds: [] }), 'NOT_FOUND', 'parentId');

    const parentId = categoryId(admin, '履行全面从严治党责任');
    const kids = find(listCategories(admin), '履行全面从严治党责任')!.children.map((c) => c.id);
    const moved = [kids[3]!, kids[0]!, kids[1]!, kids[2]!];
    reorderCategories(admin, { parentId, orderedIds: moved });
    expect(find(listCategories(admin), '履行全面从严治党责任')!.children.map((c) => c.id)).toEqual(moved);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });
});

describe('ledger settings', () => {
  /** The account-security settings at their defaults (password rules, idle lock). */
  const SECURITY = { passwordMinLength: 10, passwordNeedsClasses: 2, idleLockMinutes: 10 };
  function settingsAudit() {
    return t.ledger.sqlite
      .prepare("SELECT action, before, after, user_id AS userId FROM audit_log WHERE entity = 'settings' AND entity_id = 'settings' ORDER BY seq")
      .all() as { action: string; before: string; after: string; userId: string }[];
  }

  it('starts from the defaults, readable by every role', () => {
    expect(getSettings(t.as(t.users.readonly))).toEqual({ closeoutMinEvidence: 1, warnDaysDefault: 7, disclosureRequiresFlagReason: true, ...SECURITY });
    expect(DEFAULT_SETTINGS.closeoutMinEvidence).toBe(1);
    expectRefused(t, () => getSettings(t.as(null)), 'FORBIDDEN');
  });

  it('stores changed keys, merges them with the defaults and audits exactly the change', () => {
    const before = auditCount(t);
    const s = updateSettings(admin, { closeoutMinEvidence: 0, warnDaysDefault: 7 });
    expect(s).toEqual({ closeoutMinEvidence: 0, warnDaysDefault: 7, disclosureRequiresFlagReason: true, ...SECURITY });
    expect(getSettings(t.as(t.users.entry))).toEqual(s);
    expect(auditCount(t)).toBe(before + 1);
    const [a] = settingsAudit();
    expect(a!.action).toBe('update');
    expect(JSON.parse(a!.before)).toEqual({ closeoutMinEvidence: 1 });
    expect(JSON.parse(a!.after)).toEqual({ closeoutMinEvidence: 0 });
    expect(a!.userId).toBe(t.users.admin.id);
    const stored = t.ledger.sqlite.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string };
    expect(JSON.parse(stored.value)).toEqual({ closeoutMinEvidence: 0 });
    updateSettings(admin, { disclosureRequiresFlagReason: false, warnDaysDefault: 10 });
    expect(readSettings(admin)).toEqual({ closeoutMinEvidence: 0, warnDaysDefault: 10, disclosureRequiresFlagReason: false, ...SECURITY });
    expect(settingsAudit()).toHaveLength(2);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('is kept in the ledger file, visible to a fresh connection', () => {
    t.close();
    t = makeTestLedger({ file: true });
    updateSettings(t.as(t.users.admin), { warnDaysDefault: 14 });
    const again = openLedger(t.ledger.path);
    try {
      const ctx: ServiceContext = { ledger: again, clock: t.clock, ids: uuidv7Source(), user: t.users.readonly };
      expect(getSettings(ctx).warnDaysDefault).toBe(14);
      expect(verifyAudit(again).ok).toBe(true);
    } finally {
      again.close();
    }
  });

  it('writes nothing when no value changes', () => {
    const before = auditCount(t);
    expect(updateSettings(admin, { closeoutMinEvidence: 1 })).toEqual(DEFAULT_SETTINGS);
    expect(updateSettings(admin, {})).toEqual(DEFAULT_SETTINGS);
    expect(auditCount(t)).toBe(before);
    expect(t.ledger.sqlite.prepare("SELECT count(*) AS n FROM meta WHERE key = 'settings'").get()).toEqual({ n: 0 });
  });

  it('refuses unknown keys and bad values, naming the key and changing nothing', () => {
    expectRefused(t, () => updateSettings(admin, { closeoutMinEvidence: 2, colour: 'red' }), 'VALIDATION', 'colour', 'unknown_key');
    expectRefused(t, () => updateSettings(admin, { closeoutMinEvidence: -1 }), 'VALIDATION', 'closeoutMinEvidence', 'range');
    expectRefused(t, () => updateSettings(admin, { closeoutMinEvidence: 1.5 }), 'VALIDATION', 'closeoutMinEvidence', 'type');
    expectRefused(t, () => updateSettings(admin, { warnDaysDefault: '7' }), 'VALIDATION', 'warnDaysDefault', 'type');
    expectRefused(t, () => updateSettings(admin, { warnDaysDefault: 365 }), 'VALIDATION', 'warnDaysDefault', 'range');
    expectRefused(t, () => updateSettings(admin, { disclosureRequiresFlagReason: 'false' }), 'VALIDATION', 'disclosureRequiresFlagReason', 'type');
    expectRefused(t, () => updateSettings(admin, ['closeoutMinEvidence']), 'VALIDATION', 'input');
    expect(getSettings(admin)).toEqual(DEFAULT_SETTINGS);
  });

  it('needs the settings right to change settings', () => {
    expectRefused(t, () => updateSettings(t.as(t.users.entry), { warnDaysDefault: 3 }), 'FORBIDDEN');
    expectRefused(t, () => updateSettings(t.as(t.users.reviewer), { warnDaysDefault: 3 }), 'FORBIDDEN');
    expectRefused(t, () => updateSettings(t.as(t.users.readonly), { warnDaysDefault: 3 }), 'FORBIDDEN');
  });

  it('falls back to the default for a stored value that no longer passes its check', () => {
    t.ledger.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('settings', ?)")
      .run(JSON.stringify({ closeoutMinEvidence: 'many', warnDaysDefault: 3, retired: true }));
    expect(getSettings(admin)).toEqual({ closeoutMinEvidence: 1, warnDaysDefault: 3, disclosureRequiresFlagReason: true, ...SECURITY });
    t.ledger.sqlite.prepare("UPDATE meta SET value = 'not json' WHERE key = 'settings'").run();
    expect(getSettings(admin)).toEqual(DEFAULT_SETTINGS);
  });
});
