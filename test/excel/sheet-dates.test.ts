/** 整改时限 cells as offices write them (db/domain/sheet-dates.ts). */
import { describe, expect, it } from 'vitest';
import { excelSerialDate, findSheetDate, parseSheetDeadline, type SheetDateContext } from '../../db/domain/sheet-dates.js';

const ctx: SheetDateContext = { year: 2024 };
const dateOf = (cell: string | number, c: SheetDateContext = ctx) => {
  const r = parseSheetDeadline(cell, c);
  return r.ok && r.value.kind === 'date' ? r.value.date : r.ok ? r.value : `error: ${r.reason}`;
};

describe('整改时限 cells', () => {
  it.each([
    ['2024年3月29日', '2024-03-29'], ['2024年3月29号', '2024-03-29'], ['2024.3.29', '2024-03-29'], ['2024/3/29', '2024-03-29'],
    ['2024-03-29', '2024-03-29'], ['２０２４年３月２９日', '2024-03-29'], [' 2024年3月29日前 ', '2024-03-29'],
    ['2024年6月底前', '2024-06-30'], ['2024年6月底', '2024-06-30'], ['2024年6月前', '2024-06-30'], ['2024年6月', '2024-06-30'],
    ['2024年2月底前', '2024-02-29'], ['2023年2月底前', '2023-02-28'], ['2024.6', '2024-06-30'], ['2024年底前', '2024-12-31'],
    ['6月底', '2024-06-30'], ['6月底前', '2024-06-30'], ['11月前', '2024-11-30'], ['年底前', '2024-12-31'], ['今年年底', '2024-12-31'],
  ])('%s → %s', (cell, want) => expect(dateOf(cell)).toBe(want));

  it('terms and done carry no date of their own', () => {
    expect(parseSheetDeadline('长期坚持', ctx)).toEqual({ ok: true, value: { kind: 'term', term: 'long_term' } });
    expect(parseSheetDeadline('立行立改', ctx)).toEqual({ ok: true, value: { kind: 'term', term: 'immediate' } });
    expect(parseSheetDeadline('已完成', ctx)).toEqual({ ok: true, value: { kind: 'done' } });
  });

  it('a term written with its date (what 导出台账 writes) keeps both', () => {
    expect(parseSheetDeadline('长期坚持（2024年12月31日）', ctx)).toEqual({ ok: true, value: { kind: 'date', date: '2024-12-31', term: 'long_term' } });
    expect(parseSheetDeadline('立行立改(2024.3.31)', ctx)).toEqual({ ok: true, value: { kind: 'date', date: '2024-03-31', term: 'immediate' } });
    expect(parseSheetDeadline('长期坚持（尽快）', ctx).ok).toBe(false);
  });

  it('Excel serial numbers in both date systems, as numbers or as text', () => {
    // 45382 is 2024-03-31 in the 1900 system; the same day is 43920 in the 1904 system.
    expect(dateOf(45382)).toBe('2024-03-31');
    expect(dateOf('45382')).toBe('2024-03-31');
    expect(dateOf(43920, { year: null, date1904: true })).toBe('2024-03-31');
    expect(excelSerialDate(1)).toBe('1900-01-01');
    expect(excelSerialDate(59)).toBe('1900-02-28');
    expect(excelSerialDate(60)).toBeNull(); // Excel's 1900-02-29, a day that never was
    expect(excelSerialDate(61)).toBe('1900-03-01');
    expect(excelSerialDate(45382.75)).toBe('2024-03-31'); // a time of day is dropped
  });

  it('anything else is an error with a reason, never a guess', () => {
    for (const cell of ['2024年2月30日', '2024年13月底', '尽快', '6月底', '年底前', '2024-6-31', '', '3000年1月1日', 12]) {
      const r = parseSheetDeadline(cell, cell === '6月底' || cell === '年底前' ? { year: null } : ctx);
      expect(r.ok, String(cell)).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(parseSheetDeadline('6月底', { year: null })).toMatchObject({ ok: false, reason: expect.stringContaining('年份') });
  });

  it('finds the 填报日期 in a title row', () => {
    expect(findSheetDate('填报单位：某某集团    填报日期：2024年6月15日')).toBe('2024-06-15');
    expect(findSheetDate('填报日期：2024.6.15')).toBe('2024-06-15');
    expect(findSheetDate('某某集团党委关于巡视反馈意见整改落实台账')).toBeNull();
  });
});
