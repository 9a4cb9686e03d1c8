/**
 * `npm run ledger -- excel-import FILE --ledger L …`: an office's old Excel/WPS/CSV ledger sheets
 * into a ledger, scriptable for migrating many sheets (db/excel/import.ts). --dry-run prints what
 * would be created (problems and tasks with their deadlines and terms), the rows already in the
 * ledger and every bad row (sheet, row, column, reason), and changes nothing; without --yes the
 * dry run is shown and the user is asked on the terminal.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SHEET_FIELD_LABELS, SHEET_FIELDS, type ColumnMapping, type SheetField } from '../../db/domain/sheet-columns.js';
import { DomainError } from '../../db/domain/errors.js';
import { exportLedgerXlsx } from '../../db/excel/export.js';
import { importExcel, planExcelImport, type ExcelDryRun, type ExcelImportOptions } from '../../db/excel/import.js';
import { columnIndex } from '../../db/excel/rows.js';
import { MAX_FILE_BYTES } from '../../db/excel/workbook.js';
import { UsageError, required, type Parsed } from './args.js';
import type { Outcome } from './commands.js';
import { ask, cancelled, withLedger } from './session.js';

/** A column given as a letter (C) or a 1-based number (3), to the 0-based index. */
function mappedColumn(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v - 1;
  if (typeof v === 'string' && /^[A-Za-z]{1,3}$/.test(v)) return columnIndex(v);
  throw new UsageError('bad_mapping', `列对应关系文件中 ${where} 的列应写作字母（如 C）或从1开始的列号。`);
}

/**
 * --mapping F: JSON, `{ "问题描述": "C", "整改措施": "D", … }` for every sheet, or per sheet
 * `{ "sheets": { "某某集团": { … } } }`; keys are the statutory column titles or the field names.
 */
export function readMapping(path: string): { sheets: Record<string, ColumnMapping> } | { all: ColumnMapping } {
  let json: unknown;
  try {
    if (statSync(path).size > 1024 * 1024) throw new Error('too large');
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError('bad_mapping', `无法读取列对应关系文件 ${path}：${e instanceof Error ? e.message : String(e)}`);
  }
  // The statutory column titles (and 单位 for 被巡视单位), or the field names.
  const titles: Record<string, SheetField> = { 单位: 'unit', ...Object.fromEntries(SHEET_FIELDS.map((f) => [SHEET_FIELD_LABELS[f], f])) };
  const one = (o: unknown, where: string): ColumnMapping => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError('bad_mapping', `列对应关系文件的 ${where} 应是一个对象。`);
    const m: ColumnMapping = {};
    for (const [k, v] of Object.entries(o)) {
      const f = titles[k] ?? ((SHEET_FIELDS as readonly string[]).includes(k) ? (k as SheetField) : null);
      if (!f) throw new UsageError('bad_mapping', `列对应关系文件中有未知的列名“${k}”。`);
      m[f] = mappedColumn(v, `“${k}”`);
    }
    return m;
  };
  if (typeof json === 'object' && json !== null && 'sheets' in json) {
    const sheets = (json as { sheets: unknown }).sheets;
    if (typeof sheets !== 'object' || sheets === null) throw new UsageError('bad_mapping', '列对应关系文件的 sheets 应是一个对象。');
    return { sheets: Object.fromEntries(Object.entries(sheets).map(([name, m]) => [name, one(m, `工作表“${name}”`)])) };
  }
  return { all: one(json, '内容') };
}

function dryRunLines(file: string, d: ExcelDryRun): string[] {
  const lines = [`Excel 导入预览：${file}`];
  for (const s of d.sheets) lines.push(`  工作表“${s.name}”：${s.header ? `表头在第 ${s.header.row + 1} 行，${s.problems} 个问题、${s.tasks} 项任务，跳过 ${s.skipped} 行` : '未找到台账表头'}`);
  lines.push(`  将新建：问题 ${d.counts.problems} 个，整改任务 ${d.counts.tasks} 项；台账中已有 ${d.counts.existing} 个问题（不重复导入）。`);
  if (d.newUnits.length) lines.push(`  新的被巡视单位：${d.newUnits.join('、')}`);
  if (d.newCategories.length) lines.push(`  新的问题类别：${d.newCategories.join('、')}`);
  if (d.errors.length) {
    lines.push(`  有误的行 ${d.errors.length} 处：`);
    for (const e of d.errors.slice(0, 200)) lines.push(`    工作表“${e.sheet}”第 ${e.row} 行${e.column ? `第 ${e.column} 列` : ''}：${e.reason}`);
    if (d.errors.length > 200) lines.push(`    ……另有 ${d.errors.length - 200} 处（加 --json 查看全部）`);
  }
  return lines;
}

function dryRunJson(d: ExcelDryRun) {
  return {
    counts: d.counts, sheets: d.sheets, newUnits: d.newUnits, newCategories: d.newCategories, existing: d.existing, errors: d.errors,
    problems: d.problems.map((p) => ({
      sheet: p.sheet, row: p.row, unit: p.unit, category: p.category, description: p.description,
      tasks: p.tasks.map((t) => ({ row: t.row, measures: t.measures, term: t.term, deadline: t.deadline, deadlineText: t.deadlineText, deadlineNote: t.deadlineNote })),
    })),
  };
}

export const excelImport = ({ values, args }: Parsed, usage: string): Promise<Outcome> => {
  const file = resolve(args[0]!);
  const dryRun = values['dry-run'] === true;
  if (dryRun && values.yes) throw new UsageError('conflicting_options', '--dry-run 与 --yes 不能同时使用。');
  if (!dryRun && !values.yes && !process.stdin.isTTY) {
    throw new UsageError('needs_confirmation', '标准输入不是终端，无法询问确认：请先用 --dry-run 查看预览，确认无误后加 --yes 导入。');
  }
  const o: ExcelImportOptions = { fileName: basename(file), skipBadRows: values['skip-bad-rows'] === true };
  if (values.unit?.length) {
    if (values.unit.length > 1) throw new UsageError('bad_arguments', 'excel-import 只接受一个 --unit。');
    o.unit = values.unit[0]!;
  }
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year)) throw new UsageError('bad_arguments', '--year 应为四位年份，如 2024。');
    o.year = Number(values.year);
  }
  if (values.round !== undefined) o.roundId = values.round;
  if (values.mapping !== undefined) {
    const m = readMapping(resolve(values.mapping));
    if ('sheets' in m) o.mappings = m.sheets;
    else o.mapping = m.all;
  }
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new DomainError('VALIDATION', `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请按单位或轮次拆分后分别导入。`, { reason: 'excel_too_large' });
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('NOT_FOUND', `找不到或无法读取文件：${file}（${(e as NodeJS.ErrnoException).code ?? 'EIO'}）。`, { reason: 'file_missing' });
  }
  return withLedger(values, usage, async (l) => {
    if (values.category !== undefined) {
      const c = l.ctx().ledger.prepare('SELECT id FROM problem_categories WHERE name = ? AND deleted_at IS NULL AND active = 1').get(values.category) as { id: string } | undefined;
      if (!c) throw new DomainError('NOT_FOUND', `台账中没有问题类别“${values.category}”。`, { reason: 'category_not_found' });
      o.categoryId = c.id;
    }
    const d = await planExcelImport(l.ctx(), bytes, o);
    if (dryRun) return { json: { file, dryRun: true, ...dryRunJson(d) }, text: [...dryRunLines(file, d), '（预览，台账未改变。）'] };
    if (!values.yes) {
      for (const line of dryRunLines(file, d)) console.error(line);
      if (!(await ask('确认导入？/ Import? [y/N] '))) throw cancelled();
    }
    // Progress on standard error (a large sheet takes a while): every tenth, unless --json.
    let shown = -1;
    const r = await importExcel(l.ctx(), bytes, {
      ...o,
      onProgress: (done, total) => {
        const tenth = Math.floor((done / total) * 10);
        if (values.json || tenth === shown) return;
        shown = tenth;
        process.stderr.write(`  已写入 ${done} / ${total} 个问题\n`);
      },
    });
    return {
      json: { file, imported: true, created: r.created, counts: r.dryRun.counts, skippedBadRows: r.dryRun.errors.length },
      text: [`已导入：问题 ${r.created.problems} 个，整改任务 ${r.created.tasks} 项，新建单位 ${r.created.units} 个、问题类别 ${r.created.categories} 个。`, ...(r.dryRun.errors.length ? [`跳过有误的行 ${r.dryRun.errors.length} 处。`] : [])],
    };
  });
};

/** `excel-export --ledger L [--unit NAME] [--round ID] --out F.xlsx`: the statutory 巡视整改台账 layout. */
export const excelExport = ({ values }: Parsed, usage: string): Promise<Outcome> => {
  const out = resolve(required(values, 'out', usage));
  if (!/\.xlsx$/i.test(out)) throw new UsageError('bad_arguments', '--out 应是 .xlsx 文件。');
  if ((values.unit?.length ?? 0) > 1) throw new UsageError('bad_arguments', 'excel-export 只接受一个 --unit。');
  return withLedger(values, usage, async (l) => {
    let unitId: string | null = null;
    if (values.unit?.length) {
      const u = l.ctx().ledger.prepare('SELECT id FROM units WHERE name = ? AND deleted_at IS NULL').get(values.unit[0]) as { id: string } | undefined;
      if (!u) throw new DomainError('NOT_FOUND', `台账中没有被巡视单位“${values.unit[0]}”。`, { reason: 'unit_not_found' });
      unitId = u.id;
    }
    const r = await exportLedgerXlsx(l.ctx(), out, { unitId, roundId: values.round ?? null });
    return { json: { out, ...r }, text: [`已导出台账：${out}（问题 ${r.problems} 个，任务 ${r.rows} 行）`] };
  });
};
