/**
 * From a sheet's cells to the problems and tasks it holds (issue 11), before anything touches a
 * ledger: the import's dry run is built from this.
 *
 * - The header is found under any title rows (db/domain/sheet-columns.ts findHeader); the caller
 *   may give its own mapping instead (a corrected or saved one).
 * - Each data row is a task; its problem is the row's 问题描述. A problem cell merged down over its
 *   task rows, or the same problem repeated on consecutive rows, is one problem; a row with neither
 *   a 序号 nor a 问题描述 of its own under a problem row belongs to that problem too.
 * - Blank rows, notes (注：…), sums and signature rows (填表人：…) are skipped and listed.
 * - A row that cannot be read (no measures, a 整改时限 nobody can read, no unit…) is an error with
 *   sheet, row, column and a zh-CN reason, and is left out; a problem none of whose rows could be
 *   read is left out with them. Nothing is left out silently: the import shows every error and
 *   imports nothing unless the user chooses to go on without the listed rows.
 */
import { columnLetter, findHeader, isNonDataRow, SHEET_FIELD_LABELS, type ColumnMapping, type SheetField } from '../domain/sheet-columns.js';

export { columnIndex, columnLetter } from '../domain/sheet-columns.js';
import { findSheetDate, parseSheetDeadline, type SheetDeadline } from '../domain/sheet-dates.js';

export type CellValue = string | number | boolean | Date | null;

export interface Merge { top: number; left: number; bottom: number; right: number }

/** One worksheet as read (0-based rows and columns; merges in the same terms). */
export interface Grid {
  name: string;
  rows: CellValue[][];
  merges: Merge[];
  /** The workbook uses the 1904 date system. */
  date1904?: boolean;
}

export interface RowError { sheet: string; row: number; column: string | null; field: SheetField | null; reason: string }
export interface SkippedRow { sheet: string; row: number; why: 'blank' | 'note' | 'signature' }

export interface DraftTask {
  row: number;
  measures: string;
  leader: string | null;
  department: string | null;
  person: string | null;
  deadline: SheetDeadline;
  /** The cell as written (shown beside what was made of it). */
  deadlineText: string;
  progress: string | null;
  completion: string | null;
  evidence: string | null;
  closeout: string | null;
  remark: string | null;
}

export interface DraftProblem {
  sheet: string;
  /** The first row of the problem (1-based, as Excel numbers rows). */
  row: number;
  seq: string | null;
  unit: string | null;
  category: string | null;
  description: string;
  tasks: DraftTask[];
}

export interface SheetRead {
  sheet: string;
  header: { row: number; rows: 1 | 2; mapping: ColumnMapping; titles: string[] } | null;
  /** The year a cell with no year (6月底) is given: from the sheet's 填报日期, else the caller's. */
  year: number | null;
  /** The sheet's 填报日期 (above the header), if it has one. */
  date: string | null;
  problems: DraftProblem[];
  errors: RowError[];
  skipped: SkippedRow[];
}

export interface ReadOptions {
  /** Use this mapping instead of the one found (the header row must still be found, or given). */
  mapping?: ColumnMapping;
  /** 0-based index of the last header row, when the caller knows it. */
  headerRow?: number;
  /** Year for cells that name none, when the sheet has no 填报日期. */
  year?: number | null;
  /** The unit for every row without a unit column of its own (else the sheet's name, one sheet per unit). */
  unit?: string | null;
}

/** A cell's text: numbers as written, dates as YYYY-MM-DD, line breaks kept, ends trimmed. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(10)));
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v.replace(/\r\n?/g, '\n').trim();
}

/** Every cell of a merged range takes its top-left value; `startOf` tells the range's first row per cell. */
function fillMerges(g: Grid): { rows: CellValue[][]; mergedFrom: Map<string, number> } {
  const rows = g.rows.map((r) => [...r]);
  const mergedFrom = new Map<string, number>();
  for (const m of g.merges) {
    const v = rows[m.top]?.[m.left] ?? null;
    for (let r = m.top; r <= m.bottom; r++) {
      rows[r] ??= [];
      for (let c = m.left; c <= m.right; c++) {
        rows[r]![c] = v;
        mergedFrom.set(`${r}:${c}`, m.top);
      }
    }
  }
  return { rows, mergedFrom };
}

const FIELD_MAX: Partial<Record<SheetField, number>> = { description: 4000, measures: 4000, progress: 4000, completion: 4000, evidence: 4000, remark: 2000 };

/** Reads one sheet. */
export function readSheet(g: Grid, o: ReadOptions = {}): SheetRead {
  const { rows, mergedFrom } = fillMerges(g);
  const texts = rows.map((r) => (r ?? []).map(cellText));
  const found = o.headerRow !== undefined
    ? { row: o.headerRow, rows: 1 as const, mapping: o.mapping ?? {}, titles: texts[o.headerRow] ?? [] }
    : findHeader(texts);
  const out: SheetRead = { sheet: g.name, header: null, year: null, date: null, problems: [], errors: [], skipped: [] };
  if (!found) {
    out.errors.push({ sheet: g.name, row: 1, column: null, field: null, reason: '未找到表头行（应包含“问题描述”“整改措施”“整改时限”等列名）。' });
    return out;
  }
  const mapping = o.mapping ?? found.mapping;
  out.header = { ...found, mapping };
  // The sheet's own date (填报日期) above the header gives the year for cells that name none.
  const sheetDate = texts.slice(0, found.row).map((r) => findSheetDate(r.join(' '))).find((d) => d !== null) ?? null;
  out.date = sheetDate;
  out.year = sheetDate ? Number(sheetDate.slice(0, 4)) : (o.year ?? null);
  const err = (row: number, field: SheetField | null, reason: string) =>
    out.errors.push({ sheet: g.name, row: row + 1, column: field && mapping[field] !== undefined ? columnLetter(mapping[field]!) : null, field, reason });
  if (mapping.description === undefined && mapping.measures === undefined) {
    err(found.row, null, '列对应关系中缺少“问题描述”和“整改措施”。');
    return out;
  }
  const get = (r: number, f: SheetField): string => (mapping[f] === undefined ? '' : texts[r]?.[mapping[f]!] ?? '');
  const raw = (r: number, f: SheetField): CellValue => (mapping[f] === undefined ? null : rows[r]?.[mapping[f]!] ?? null);
  const isMergeContinuation = (r: number, f: SheetField) => mapping[f] !== undefined && (mergedFrom.get(`${r}:${mapping[f]}`) ?? r) < r;

  // The 填报单位 line above the header names the unit; else one sheet per unit: the sheet's name,
  // unless it is a default one (Sheet1, 工作表1).
  const filedBy = texts.slice(0, found.row).flatMap((r) => r).map((c) => /填报单位[:：]\s*([^\s:：]+)/.exec(c)?.[1] ?? null).find((u) => u) ?? null;
  const sheetUnit = filedBy ?? (/^(sheet|工作表|表|csv)\s*\d*$/i.test(g.name.trim()) ? null : g.name.trim() || null);
  let current: DraftProblem | null = null;
  let currentStart = -1;
  for (let r = found.row + 1; r < texts.length; r++) {
    const cells = texts[r] ?? [];
    const non = isNonDataRow(cells);
    if (non) {
      out.skipped.push({ sheet: g.name, row: r + 1, why: non });
      if (non !== 'blank') current = null; // a note or signature ends the table's run of a problem
      continue;
    }
    const description = get(r, 'description');
    const seq = get(r, 'seq');
    // Same problem: its cell merged down onto this row; or repeated text on the next row; or a row
    // with neither a number nor a description of its own under a problem row.
    const continues = current !== null && (
      isMergeContinuation(r, 'description') && mergedFrom.get(`${r}:${mapping.description}`) === currentStart
      || (description !== '' && description === current.description && (get(r, 'unit') || o.unit || sheetUnit) === current.unit
        && (seq === '' || seq === (current.seq ?? '') || isMergeContinuation(r, 'seq')))
      || (description === '' && (seq === '' || isMergeContinuation(r, 'seq')))
    );
    if (!continues) {
      if (description === '') {
        err(r, 'description', '问题描述为空，且不在上一问题之下。');
        current = null;
        continue;
      }
      const unit = get(r, 'unit') || o.unit || sheetUnit;
      current = { sheet: g.name, row: r + 1, seq: seq || null, unit, category: get(r, 'category') || null, description, tasks: [] };
      currentStart = mergedFrom.get(`${r}:${mapping.description}`) ?? r;
      if (!unit) err(r, 'unit', '无法确定被巡视单位（没有“单位”列，工作表名称也不是单位名称，且未指定单位）。');
      else out.problems.push(current);
      for (const f of ['description'] as const) if (description.length > FIELD_MAX[f]!) err(r, f, `${SHEET_FIELD_LABELS[f]}超过${FIELD_MAX[f]}字。`);
    }
    const measures = get(r, 'measures');
    if (measures === '') {
      err(r, 'measures', '整改措施为空。');
      continue;
    }
    const d = parseSheetDeadline(raw(r, 'deadline') as string | number | Date | null, { year: out.year, date1904: g.date1904 === true });
    if (!d.ok) {
      err(r, 'deadline', d.reason);
      continue;
    }
    const long = (['measures', 'progress', 'completion', 'evidence', 'remark'] as const).find((f) => get(r, f).length > FIELD_MAX[f]!);
    if (long) {
      err(r, long, `${SHEET_FIELD_LABELS[long]}超过${FIELD_MAX[long]}字。`);
      continue;
    }
    const opt = (f: SheetField) => get(r, f) || null;
    current!.tasks.push({
      row: r + 1, measures, leader: opt('leader'), department: opt('department'), person: opt('person'),
      deadline: d.value, deadlineText: get(r, 'deadline'), progress: opt('progress'), completion: opt('completion'),
      evidence: opt('evidence'), closeout: opt('closeout'), remark: opt('remark'),
    });
  }
  // A problem none of whose rows could be read is not imported on its own: its rows are listed.
  out.problems = out.problems.filter((p) => p.tasks.length > 0);
  return out;
}
