/**
 * Sheets as offices keep them, built cell by cell, read into problems and tasks
 * (db/domain/sheet-columns.ts, db/excel/rows.ts): title rows, two-row headers, merged and
 * repeated problem cells, blank/note/signature rows, mixed date forms, extra and missing columns.
 */
import { describe, expect, it } from 'vitest';
import { fieldOfHeader, findHeader, isNonDataRow } from '../../db/domain/sheet-columns.js';
import { columnLetter, readSheet, type CellValue, type Grid, type Merge } from '../../db/excel/rows.js';

const TITLE = '某某集团党委关于省委第三巡视组反馈意见整改落实台账';
const HEAD = ['序号', '问题类别', '问题描述', '整改措施', '责任领导', '责任部门', '责任人', '整改时限', '整改进展', '完成情况', '佐证材料', '销号情况', '备注'];
const grid = (rows: CellValue[][], merges: Merge[] = [], name = '某某集团'): Grid => ({ name, rows, merges });
const P1 = '落实全面从严治党主体责任不够到位，对下属企业监督管理偏松偏软。';
const P2 = '选人用人工作不够规范，干部档案审核把关不严。';

describe('header', () => {
  it('maps the words people use', () => {
    expect(fieldOfHeader('问题')).toBe('description');
    expect(fieldOfHeader('存在的主要问题')).toBe('description');
    expect(fieldOfHeader('整改时限\n（完成时间）')).toBe('deadline');
    expect(fieldOfHeader('牵头领导')).toBe('leader');
    expect(fieldOfHeader('牵头部门')).toBe('department');
    expect(fieldOfHeader('整改举措')).toBe('measures');
    expect(fieldOfHeader('时间节点')).toBe('deadline');
    expect(fieldOfHeader('问题类别')).toBe('category');
    expect(fieldOfHeader(P1)).toBeNull();
  });

  it('is found under title rows, and over two rows', () => {
    const one = findHeader([[TITLE], ['填报单位：某某集团', '', '', '', '填报日期：2024年6月15日'], HEAD]);
    expect(one).toMatchObject({ row: 2, rows: 1, mapping: { seq: 0, category: 1, description: 2, measures: 3, deadline: 7, remark: 12 } });
    const two = findHeader([[TITLE], ['序号', '问题描述', '整改措施', '责任主体', '', '', '整改时限'], ['', '', '', '责任领导', '责任单位', '责任人', '']]);
    expect(two).toMatchObject({ row: 2, rows: 2, mapping: { seq: 0, description: 1, measures: 2, leader: 3, department: 4, person: 5, deadline: 6 } });
    expect(findHeader([[TITLE], ['一、总体情况'], [P1]])).toBeNull();
  });

  it('tells notes and signatures from data', () => {
    expect(isNonDataRow(['', ' ', ''])).toBe('blank');
    expect(isNonDataRow(['注：本表由各责任部门填写。'])).toBe('note');
    expect(isNonDataRow(['填表人：张三', '', '审核人：李四', '', '负责人：王五'])).toBe('signature');
    expect(isNonDataRow(['1', '廉洁风险', P1])).toBeNull();
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(27)).toBe('AB');
  });
});

describe('rows into problems and tasks', () => {
  it('a problem merged down over its tasks; mixed date forms; the 填报日期 gives the year', () => {
    const g = grid([
      [TITLE],
      ['填报单位：某某集团', '', '', '', '', '', '', '填报日期：2024年6月15日'],
      HEAD,
      ['1', '廉洁风险', P1, '制定专项整改方案', '张三', '纪检监察部', '李四', '2024年6月底前', '已制定方案', '', '', '', ''],
      [null, null, null, '开展专项检查', '张三', '审计部', '王五', 45382, '', '', '', '', ''],
      [null, null, null, '建立长效机制', '张三', '党委办公室', '赵六', '长期坚持', '', '', '', '', ''],
      ['2', '选人用人', P2, '全面复核干部档案', '钱七', '组织部', '孙八', '9月底', '', '已完成', '复核报告', '', '备注一'],
      ['', '', '', '', '', '', '', '', '', '', '', '', ''],
      ['注：本表由各责任部门填写。'],
      ['填表人：张三', '', '审核人：李四'],
    ], [{ top: 3, left: 0, bottom: 5, right: 0 }, { top: 3, left: 1, bottom: 5, right: 1 }, { top: 3, left: 2, bottom: 5, right: 2 }]);
    const s = readSheet(g);
    expect(s.errors).toEqual([]);
    expect(s.year).toBe(2024);
    expect(s.problems.map((p) => [p.row, p.seq, p.category, p.description, p.unit, p.tasks.length])).toEqual([
      [4, '1', '廉洁风险', P1, '某某集团', 3],
      [7, '2', '选人用人', P2, '某某集团', 1],
    ]);
    expect(s.problems[0]!.tasks.map((t) => [t.row, t.measures, t.department, t.deadline])).toEqual([
      [4, '制定专项整改方案', '纪检监察部', { kind: 'date', date: '2024-06-30', endOf: 'month' }],
      [5, '开展专项检查', '审计部', { kind: 'date', date: '2024-03-31' }],
      [6, '建立长效机制', '党委办公室', { kind: 'term', term: 'long_term' }],
    ]);
    expect(s.problems[1]!.tasks[0]).toMatchObject({ deadline: { kind: 'date', date: '2024-09-30' }, completion: '已完成', evidence: '复核报告', remark: '备注一' });
    expect(s.skipped.map((k) => [k.row, k.why])).toEqual([[8, 'blank'], [9, 'note'], [10, 'signature']]);
  });

  it('the same problem repeated on consecutive rows without merging is one problem', () => {
    const s = readSheet(grid([HEAD, ['1', '廉洁风险', P1, '措施一', '', '', '', '2024-06-30'], ['1', '廉洁风险', P1, '措施二', '', '', '', '2024/7/31'], ['', '', '', '措施三', '', '', '', '2024.8.31'], ['2', '廉洁风险', P1, '另一问题同样描述', '', '', '', '2024-06-30']]));
    expect(s.errors).toEqual([]);
    expect(s.problems.map((p) => p.tasks.map((t) => t.measures))).toEqual([['措施一', '措施二', '措施三'], ['另一问题同样描述']]);
  });

  it('bad rows are listed with sheet, row, column and reason; the rest still reads', () => {
    const s = readSheet(grid([HEAD, ['1', '廉洁风险', P1, '', '', '', '', '2024-06-30'], ['2', '廉洁风险', P2, '措施', '', '', '', '尽快'], ['3', '廉洁风险', '第三个问题', '措施', '', '', '', '2024-02-30'], ['4', '廉洁风险', '第四个问题', '措施', '', '', '', '2024-06-30']]));
    expect(s.errors.map((e) => [e.row, e.column, e.field])).toEqual([[2, 'D', 'measures'], [3, 'H', 'deadline'], [4, 'H', 'deadline']]);
    expect(s.errors[1]!.reason).toContain('尽快');
    expect(s.problems.map((p) => p.description)).toEqual(['第四个问题']);
  });

  it('extra columns are ignored; a missing column is simply empty; a unit column beats the sheet name', () => {
    const s = readSheet(grid([['单位', '问题', '措施', '完成时限', '督办人', '联系电话'], ['甲公司', P1, '措施一', '2024年12月31日', '某人', '12345678901'], ['乙公司', P2, '措施二', '年底前', '', '']]), { year: 2024 });
    expect(s.errors).toEqual([]);
    expect(s.problems.map((p) => [p.unit, p.category, p.tasks[0]!.deadline])).toEqual([
      ['甲公司', null, { kind: 'date', date: '2024-12-31' }],
      ['乙公司', null, { kind: 'date', date: '2024-12-31', endOf: 'year' }],
    ]);
  });

  it('a default sheet name is no unit: without a unit column or a chosen unit, each problem row says so', () => {
    const s = readSheet(grid([HEAD, ['1', '廉洁风险', P1, '措施', '', '', '', '2024-06-30']], [], 'Sheet1'));
    expect(s.problems).toEqual([]);
    expect(s.errors.map((e) => [e.row, e.field])).toEqual([[2, 'unit']]);
    expect(readSheet(grid([HEAD, ['1', '廉洁风险', P1, '措施', '', '', '', '2024-06-30']], [], 'Sheet1'), { unit: '丙公司' }).problems[0]!.unit).toBe('丙公司');
  });

  it('a sheet with no recognisable header says so', () => {
    const s = readSheet(grid([[TITLE], ['一、总体情况'], [P1]]));
    expect(s.header).toBeNull();
    expect(s.errors[0]!.reason).toContain('表头');
  });
});
