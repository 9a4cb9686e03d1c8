import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import {
  deleteFilter, listSavedFilters, MAX_PER_LIST, renameFilter, saveFilter,
} from '../../db/services/saved-filters.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
});
afterEach(() => t.close());

const entry = () => t.as(t.users.entry);
const entry2 = () => t.as(t.users.entry2);

describe('saved filters', () => {
  it('saves the current filters under a name and gives them back to the same user only', () => {
    const saved = saveFilter(entry(), { list: 'problems', name: '逾期的重点问题', filter: { overdue: true, isKey: true, status: 'open', q: '公车' } });
    expect(saved).toMatchObject({ list: 'problems', name: '逾期的重点问题', filter: { overdue: true, isKey: true, status: 'open', q: '公车' } });
    expect(listSavedFilters(entry(), { list: 'problems' }).map((f) => f.id)).toEqual([saved.id]);
    expect(listSavedFilters(entry(), { list: 'tasks' })).toEqual([]);
    expect(listSavedFilters(entry2(), { list: 'problems' })).toEqual([]);
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('leaves unset filter values out and lists a user\'s filters by name', () => {
    saveFilter(entry(), { list: 'tasks', name: '乙', filter: { status: 'in_progress', term: null, q: '' } });
    saveFilter(entry(), { list: 'tasks', name: '甲', filter: { responsibleDepartment: '办公室' } });
    const list = listSavedFilters(entry(), { list: 'tasks' });
    expect(list.map((f) => f.name)).toEqual(['乙', '甲'].sort());
    expect(list.find((f) => f.name === '乙')!.filter).toEqual({ status: 'in_progress' });
  });

  it('refuses a second filter of the same name unless asked to replace it, then replaces its filter', () => {
    const first = saveFilter(entry(), { list: 'problems', name: '本月到期', filter: { overdue: false } });
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: '本月到期', filter: { overdue: true } }), 'VALIDATION', 'name', 'duplicate_name');
    const again = saveFilter(entry(), { list: 'problems', name: '本月到期', filter: { overdue: true }, replace: true });
    expect(again.id).toBe(first.id);
    expect(listSavedFilters(entry(), { list: 'problems' })).toMatchObject([{ id: first.id, filter: { overdue: true } }]);
    // another user may use the same name for their own filter
    expect(saveFilter(entry2(), { list: 'problems', name: '本月到期', filter: {} }).id).not.toBe(first.id);
  });

  it('refuses bad input before writing anything', () => {
    expectRefused(t, () => saveFilter(entry(), { list: 'clues', name: 'x', filter: {} }), 'VALIDATION', 'list');
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: '  ', filter: {} }), 'VALIDATION', 'name', 'required');
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: 'x', filter: [1] }), 'VALIDATION', 'filter', 'not_object');
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: 'x', filter: { q: { $ne: 1 } } }), 'VALIDATION', 'filter', 'bad_value');
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: 'x', filter: { 'a b': 1 } }), 'VALIDATION', 'filter', 'bad_key');
    expectRefused(t, () => saveFilter(entry(), { list: 'problems', name: 'x', filter: { q: '长'.repeat(201) } }), 'VALIDATION', 'filter.q', 'too_long');
    expectRefused(t, () => saveFilter(t.as(null), { list: 'problems', name: 'x', filter: {} }), 'FORBIDDEN');
  });

  it('renames and deletes only the user\'s own filters; someone else\'s are not found', () => {
    const mine = saveFilter(entry(), { list: 'duty', name: '办公室', filter: { responsibleDepartment: '办公室' } });
    saveFilter(entry(), { list: 'duty', name: '财务部', filter: { responsibleDepartment: '财务部' } });
    expectRefused(t, () => renameFilter(entry2(), { id: mine.id, name: '改名' }), 'NOT_FOUND', 'id');
    expectRefused(t, () => deleteFilter(entry2(), { id: mine.id }), 'NOT_FOUND', 'id');
    expectRefused(t, () => renameFilter(entry(), { id: mine.id, name: '财务部' }), 'VALIDATION', 'name', 'duplicate_name');
    expect(renameFilter(entry(), { id: mine.id, name: '办公室（重点）' }).name).toBe('办公室（重点）');
    const before = auditCount(t);
    expect(deleteFilter(entry(), { id: mine.id })).toEqual({ id: mine.id });
    expect(auditCount(t)).toBe(before + 1);
    expect(listSavedFilters(entry(), { list: 'duty' }).map((f) => f.name)).toEqual(['财务部']);
    expectRefused(t, () => deleteFilter(entry(), { id: mine.id }), 'NOT_FOUND', 'id');
    expectRefused(t, () => deleteFilter(entry(), { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
    // the name of a deleted filter is free again
    expect(saveFilter(entry(), { list: 'duty', name: '办公室（重点）', filter: {} }).id).not.toBe(mine.id);
  });

  it(`keeps at most ${MAX_PER_LIST} filters per user and list`, () => {
    for (let k = 0; k < MAX_PER_LIST; k++) saveFilter(entry(), { list: 'tasks', name: `筛选${k}`, filter: { q: String(k) } });
    expectRefused(t, () => saveFilter(entry(), { list: 'tasks', name: '再来一个', filter: {} }), 'CONFLICT', undefined, 'too_many');
    expect(saveFilter(entry(), { list: 'problems', name: '再来一个', filter: {} }).list).toBe('problems');
  });
});
