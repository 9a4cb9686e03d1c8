import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClue, getClue, updateClue } from '../../db/services/clues.js';
import { CSV_HEADERS, beijingTime, csvField, exportHistoryCsv } from '../../db/services/history-export.js';
import { startTask, updateTask } from '../../db/services/tasks.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { expectError, UNKNOWN_ID } from '../helpers/expect.js';
import { newProblemAndTask, stage } from '../helpers/workflow.js';

let t: TestLedger;
beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15', file: false });
});
afterEach(() => t.close());

/** RFC 4180, written out here (not the code under test): fields, quoted or not, CRLF lines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      expect(c, 'a bare CR or LF outside quotes').not.toMatch(/[\r\n]/);
      field += c;
      i++;
    }
  }
  expect(field === '' && row.length === 0, 'the file ends with CRLF').toBe(true);
  return rows;
}

function taskWithHistory() {
  const entry = t.as(t.users.entry);
  const { task } = newProblemAndTask(entry, stage(t));
  startTask(entry, { id: task.id });
  updateTask(entry, { id: task.id, measures: '修订办法，"严格"执行,\n逐月检查' });
  updateTask(entry, { id: task.id, responsiblePerson: '=HYPERLINK("x")' });
  return task;
}

describe('exportHistoryCsv', () => {
  it('writes UTF-8 CSV with a BOM, zh-CN headers and one line per changed field, oldest first', () => {
    const task = taskWithHistory();
    const csv = exportHistoryCsv(t.as(t.users.reviewer), { entity: 'tasks', entityId: task.id });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_HEADERS]);
    expect(rows[0]).toEqual(['序号', '时间', '操作人', '操作', '字段', '原值', '新值']);
    const body = rows.slice(1);
    for (const r of body) expect(r).toHaveLength(7);
    // The same entries as the trail, in order.
    const audit = t.ledger.sqlite.prepare("SELECT seq, at, action FROM audit_log WHERE entity = 'tasks' AND entity_id = ? ORDER BY seq")
      .all(task.id) as { seq: number; at: string; action: string }[];
    expect([...new Set(body.map((r) => Number(r[0])))]).toEqual(audit.map((a) => a.seq));
    expect(body[0]![1]).toBe(beijingTime(audit[0]!.at));
    expect(body[0]![1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(body.every((r) => r[2] === '张某某')).toBe(true);
    expect(body[0]![3]).toBe('新建整改任务');
    // The create line of the measures: no old value.
    expect(body.find((r) => r[3] === '新建整改任务' && r[4] === '整改措施')).toEqual([
      String(audit[0]!.seq), beijingTime(audit[0]!.at), '张某某', '新建整改任务', '整改措施', '', '修订公务接待管理办法，开展专项检查。',
    ]);
    // Coded values by their labels.
    const started = body.find((r) => r[3] === '开始推进整改任务' && r[4] === '状态')!;
    expect(started[5]).not.toMatch(/^[a-z_]+$/);
    expect(started[6]).not.toMatch(/^[a-z_]+$/);
    // Quotes, commas and a line break survive the round trip.
    const edit = body.find((r) => r[3] === '修改整改任务' && r[4] === '整改措施')!;
    expect(edit.slice(5)).toEqual(['修订公务接待管理办法，开展专项检查。', '修订办法，"严格"执行,\n逐月检查']);
    // A value a spreadsheet would run as a formula is written as text.
    expect(body.find((r) => r[4] === '责任人' && r[3] === '修改整改任务')![6]).toBe('\'=HYPERLINK("x")');
  });

  it('quotes per RFC 4180 and guards formulas, leaving numbers alone', () => {
    expect(csvField('普通文字')).toBe('普通文字');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('两行\r\n文字')).toBe('"两行\r\n文字"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-5')).toBe('-5');
    expect(csvField('+86 10')).toBe("'+86 10");
  });

  it('needs the audit right; a clue\'s history also needs the clue right', () => {
    const task = taskWithHistory();
    expectError(() => exportHistoryCsv(t.as(t.users.entry), { entity: 'tasks', entityId: task.id }), 'FORBIDDEN', undefined, 'audit.read');
    const sup = t.as(t.users.reviewer);
    const s = stage(t);
    const clue = createClue(sup, {
      roundId: s.round.id, unitId: s.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
      summary: '反映其在工程招标中为亲属企业谋利。', receivedOn: '2024-02-10', receivingOrgan: 'ccdi',
    });
    updateClue(sup, { id: clue.id, summary: '反映其在工程招标中为亲属企业谋取利益。' });
    getClue(sup, { id: clue.id });
    // 审核员 without the clue right.
    expectError(() => exportHistoryCsv(t.as(t.users.reviewer2), { entity: 'clues', entityId: clue.id }), 'FORBIDDEN');
    const rows = parseCsv(exportHistoryCsv(sup, { entity: 'clues', entityId: clue.id }).slice(1)).slice(1);
    expect(rows.map((r) => r[3])).toEqual(expect.arrayContaining(['新建问题线索', '修改问题线索', '查看问题线索']));
    expect(rows.find((r) => r[3] === '修改问题线索')!.slice(4)).toEqual(['摘要', '反映其在工程招标中为亲属企业谋利。', '反映其在工程招标中为亲属企业谋取利益。']);
  });

  it('refuses an unknown kind of record and a record that does not exist', () => {
    const ctx = t.as(t.users.reviewer);
    expectError(() => exportHistoryCsv(ctx, { entity: 'audit_log', entityId: UNKNOWN_ID }), 'VALIDATION', 'entity');
    expectError(() => exportHistoryCsv(ctx, { entity: 'tasks', entityId: UNKNOWN_ID }), 'NOT_FOUND');
    expectError(() => exportHistoryCsv(ctx, { entity: 'tasks', entityId: 'x' }), 'VALIDATION', 'entityId');
  });
});
