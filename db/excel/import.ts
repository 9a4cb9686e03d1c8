/**
 * Excel 导入 (issue 11): an office's existing ledger sheets into this ledger.
 *
 * Dry run first (planExcelImport): every sheet read (workbook.ts, rows.ts), every problem and task
 * that would be created with the deadline and term made of its cell, matched to the ledger's
 * units and categories (new ones listed), every row already in the ledger (same unit and same
 * problem description: a re-import does not duplicate), and every row that is wrong (sheet, row,
 * column, zh-CN reason). Nothing is written.
 *
 * The workbook is parsed once for the dry runs and the import that follow it (workbook.ts keeps the
 * last one read for a few minutes, by its bytes' SHA-256).
 *
 * Then importExcel: all or nothing in one transaction, through the same services as the screens
 * (so every record is versioned, stamped and audited like any other), plus one audit entry naming
 * the file's SHA-256 and the counts. With bad rows it refuses unless the user explicitly chose to
 * import everything except the listed rows (`skipBadRows`).
 *
 * What a cell gives that has no field of its own is kept, not dropped: 整改进展, 完成情况, 佐证材料
 * and 销号情况 become one dated progress entry (整改进展) of the task; a task whose 整改时限 says
 * 长期坚持 or 立行立改 gets that term and a deadline the dry run shows (the year's end for 长期坚持,
 * the sheet's date for 立行立改 and 已完成). Close-outs are never made up: 已完成 and 已销号 stay words
 * in the progress entry until a reviewer closes the task in the ledger.
 */
import type { ServiceContext } from '../core/context.js';
import { inLongTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { can, requirePermission } from '../core/permissions.js';
import { DomainError } from '../domain/errors.js';
import type { ColumnMapping } from '../domain/sheet-columns.js';
import type { TaskTerm } from '../domain/enums.js';
import { createCategory } from '../services/categories.js';
import { createProblem } from '../services/problems.js';
import { addProgress } from '../services/progress.js';
import { createTask } from '../services/tasks.js';
import { createUnit } from '../services/units.js';
import { cellText, columnLetter, readSheet, type DraftTask, type RowError, type SheetRead, type SkippedRow } from './rows.js';
import { forgetWorkbook, readWorkbookKeyed } from './workbook.js';

export interface ExcelImportOptions {
  /** The file's name: one named .xlsx/.xls whose bytes are not a workbook is refused as such. */
  fileName?: string;
  /** The unit of sheets with no unit column whose name is not a unit's. */
  unit?: string | null;
  /** The year for cells that name none (6月底), when a sheet has no 填报日期. */
  year?: number | null;
  /** A corrected or saved mapping, per sheet name (else `mapping`, else the one found). */
  mappings?: Record<string, ColumnMapping>;
  /** A mapping for every sheet without one of its own in `mappings`. */
  mapping?: ColumnMapping;
  /** 0-based last header row per sheet, with a mapping of one's own. */
  headerRows?: Record<string, number>;
  /** Link every problem to this round (and to its unit's inspection in it, if there is one). */
  roundId?: string | null;
  /** The category of rows whose sheet has none. */
  categoryId?: string | null;
  /** Import everything except the listed bad rows (the user chose it explicitly). */
  skipBadRows?: boolean;
  /**
   * Called as the import writes (before the first problem, every 500 and at the end): problems written of all. The
   * import gives way to the event loop at each call, so a screen can ask for the progress while
   * the ledger is busy (every other call is refused until the import ends).
   */
  onProgress?: (done: number, total: number) => void;
}

export interface PlannedTask {
  row: number;
  measures: string;
  term: TaskTerm;
  deadline: string;
  /** How the deadline was made when the cell gave none (长期坚持, 立行立改, 已完成). */
  deadlineNote: string | null;
  deadlineText: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  remark: string | null;
  /** The progress entry made of 整改进展/完成情况/佐证材料/销号情况 (null: none). */
  progress: string | null;
}

export interface PlannedProblem {
  sheet: string;
  row: number;
  unit: string;
  /** null: a new unit of this name is created. */
  unitId: string | null;
  category: string | null;
  /** null: a new category of this name is created (or the default one is used when `category` is null). */
  categoryId: string | null;
  description: string;
  remark: string | null;
  tasks: PlannedTask[];
}

export interface ExcelDryRun {
  /**
   * Per sheet; `width` (its columns) and `sample` (the text of its first rows, cut short) let the
   * user choose the header row and the columns by hand when the header was not understood.
   */
  sheets: { name: string; header: SheetRead['header']; width: number; sample: string[][]; year: number | null; problems: number; tasks: number; skipped: number }[];
  problems: PlannedProblem[];
  /** Rows whose problem the ledger holds already (not imported again). */
  existing: { sheet: string; row: number; problemId: string; description: string }[];
  newUnits: string[];
  newCategories: string[];
  errors: RowError[];
  skipped: SkippedRow[];
  counts: { problems: number; tasks: number; existing: number; errors: number; skipped: number };
  /** SHA-256 of the file, hex. */
  sha256: string;
}

/** Problems written between two progress reports (and two turns of the event loop). */
const PROGRESS_EVERY = 500;
const SAMPLE_ROWS = 12;
const SAMPLE_COLUMNS = 40;
const SAMPLE_CHARS = 24;

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '');

function progressText(t: DraftTask): string | null {
  const parts = ([['整改进展', t.progress], ['完成情况', t.completion], ['佐证材料', t.evidence], ['销号情况', t.closeout]] as const)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}：${v}`);
  return parts.length ? parts.join('\n') : null;
}

/** The dry run: what importing `bytes` would do (nothing written). */
export async function planExcelImport(ctx: ServiceContext, bytes: Uint8Array, o: ExcelImportOptions = {}): Promise<ExcelDryRun> {
  requirePermission(ctx, 'ledger.write');
  const { grids, sha256 } = await readWorkbookKeyed(bytes, o.fileName);
  const today = ctx.clock.today();
  const unitIds = new Map((ctx.ledger.prepare('SELECT id, name FROM units WHERE deleted_at IS NULL').all() as { id: string; name: string }[]).map((u) => [norm(u.name), u.id]));
  const categoryIds = new Map<string, string>();
  for (const c of ctx.ledger.prepare('SELECT id, name FROM problem_categories WHERE deleted_at IS NULL AND active = 1 ORDER BY parent_id IS NULL, sort_order').all() as { id: string; name: string }[]) {
    if (!categoryIds.has(norm(c.name))) categoryIds.set(norm(c.name), c.id);
  }
  // A unit's live problems by description, normalised as the sheet's are (norm), read once per unit.
  const problemsOf = ctx.ledger.prepare('SELECT id, description FROM problems WHERE unit_id = ? AND deleted_at IS NULL');
  const byUnit = new Map<string, Map<string, string>>();
  const existingProblem = (unitId: string, description: string): string | undefined => {
    let m = byUnit.get(unitId);
    if (!m) {
      m = new Map();
      for (const r of problemsOf.all(unitId) as { id: string; description: string }[]) if (!m.has(norm(r.description))) m.set(norm(r.description), r.id);
      byUnit.set(unitId, m);
    }
    return m.get(norm(description));
  };
  const round = o.roundId ? ctx.ledger.prepare('SELECT id FROM rounds WHERE id = ? AND deleted_at IS NULL').get(o.roundId) : null;
  if (o.roundId && !round) throw new DomainError('NOT_FOUND', '所选巡视轮次不存在。', { field: 'roundId', reason: 'round_not_found' });
  const feedbackFloor = ctx.ledger.prepare(`SELECT min(f.feedback_date) AS d FROM inspections i JOIN feedbacks f ON f.inspection_id = i.id AND f.deleted_at IS NULL
    WHERE i.unit_id = ? AND i.round_id = ? AND i.deleted_at IS NULL`);

  const out: ExcelDryRun = {
    sheets: [], problems: [], existing: [], newUnits: [], newCategories: [], errors: [], skipped: [],
    counts: { problems: 0, tasks: 0, existing: 0, errors: 0, skipped: 0 }, sha256,
  };
  const newUnits = new Set<string>();
  const newCategories = new Set<string>();
  // Categories are reference data (设置, 管理员): an import by anyone else uses the ledger's own.
  const mayAddCategories = can(ctx.user, 'settings.write');
  for (const g of grids) {
    const s = readSheet(g, {
      ...(o.mappings?.[g.name] ?? o.mapping ? { mapping: o.mappings?.[g.name] ?? o.mapping } : {}),
      ...(o.headerRows?.[g.name] !== undefined ? { headerRow: o.headerRows[g.name] } : {}),
      year: o.year ?? Number(today.slice(0, 4)), unit: o.unit ?? null,
    });
    let width = 0;
    for (const r of g.rows) if (r.length > width) width = r.length;
    const sample = g.rows.slice(0, SAMPLE_ROWS).map((r) => r.slice(0, SAMPLE_COLUMNS).map((c) => cellText(c).slice(0, SAMPLE_CHARS)));
    out.sheets.push({ name: g.name, header: s.header, width, sample, year: s.year, problems: 0, tasks: 0, skipped: s.skipped.length });
    // A sheet with nothing on it is passed over; one with content but no ledger header is listed,
    // so the user sees that it was not read.
    if (s.header === null) {
      if (g.rows.some((r) => r.some((c) => c !== null && c !== ''))) out.errors.push(...s.errors);
      continue;
    }
    out.errors.push(...s.errors);
    out.skipped.push(...s.skipped);
    const sheetInfo = out.sheets.at(-1)!;
    // The date 立行立改 and 已完成 rows are registered with: the sheet's 填报日期, or today.
    const sheetDate = s.date ?? today;
    for (const p of s.problems) {
      const unitId = unitIds.get(norm(p.unit!)) ?? null;
      if (unitId) {
        const hit = existingProblem(unitId, p.description);
        if (hit) {
          out.existing.push({ sheet: p.sheet, row: p.row, problemId: hit, description: p.description });
          continue;
        }
      } else newUnits.add(p.unit!);
      let categoryId: string | null = null;
      if (p.category) {
        categoryId = categoryIds.get(norm(p.category)) ?? null;
        if (!categoryId && !mayAddCategories) {
          const col = s.header.mapping.category;
          out.errors.push({
            sheet: p.sheet, row: p.row, column: col === undefined ? null : columnLetter(col), field: 'category',
            reason: `问题类别“${p.category}”不是台账中的类别。新建类别须由管理员在“设置”中进行；也可在表中改用已有的类别。`,
          });
          continue;
        }
        if (!categoryId) newCategories.add(p.category);
      } else if (o.categoryId) categoryId = o.categoryId;
      else {
        out.errors.push({ sheet: p.sheet, row: p.row, column: null, field: 'category', reason: '没有问题类别（表中无“问题类别”列时，请指定默认类别）。' });
        continue;
      }
      const floor = unitId && o.roundId ? (feedbackFloor.get(unitId, o.roundId) as { d: string | null }).d : null;
      const tasks: PlannedTask[] = [];
      for (const t of p.tasks) {
        let term: TaskTerm = 'concentrated';
        let deadline: string;
        let deadlineNote: string | null = null;
        const d = t.deadline;
        if (d.kind === 'date') {
          deadline = d.date;
          if (d.term) term = d.term;
        }
        else if (d.kind === 'term' && d.term === 'long_term') {
          term = 'long_term';
          deadline = `${s.year ?? today.slice(0, 4)}-12-31`;
          deadlineNote = `长期坚持：整改时限按${deadline.slice(0, 4)}年年底登记，可在台账中调整并设分阶段目标。`;
        } else {
          if (d.kind === 'term') term = 'immediate';
          deadline = sheetDate > today ? today : sheetDate;
          deadlineNote = d.kind === 'done' ? `已完成：整改时限按${deadline}登记，完成情况记入整改进展。` : `立行立改：整改时限按${deadline}登记。`;
        }
        if (floor && deadline < floor) {
          out.errors.push({ sheet: p.sheet, row: t.row, column: null, field: 'deadline', reason: `整改时限（${deadline}）早于反馈日期（${floor}）。` });
          continue;
        }
        const progress = progressText(d.kind === 'done' && !t.completion ? { ...t, completion: '已完成' } : t);
        tasks.push({
          row: t.row, measures: t.measures, term, deadline, deadlineNote, deadlineText: t.deadlineText,
          responsibleLeader: t.leader, responsibleDepartment: t.department, responsiblePerson: t.person, remark: t.remark, progress,
        });
      }
      if (tasks.length === 0) continue;
      out.problems.push({ sheet: p.sheet, row: p.row, unit: p.unit!, unitId, category: p.category, categoryId, description: p.description, remark: null, tasks });
      sheetInfo.problems++;
      sheetInfo.tasks += tasks.length;
    }
  }
  out.newUnits = [...newUnits];
  out.newCategories = [...newCategories];
  out.counts = {
    problems: out.problems.length, tasks: out.problems.reduce((n, p) => n + p.tasks.length, 0), existing: out.existing.length,
    errors: out.errors.length, skipped: out.skipped.length,
  };
  if (out.problems.length === 0 && out.existing.length === 0 && out.errors.length === 0) {
    throw new DomainError('VALIDATION', '未在工作簿中找到台账表格（应有“问题描述”“整改措施”“整改时限”等列）。', { reason: 'excel_no_header' });
  }
  return out;
}

export interface ExcelImportResult {
  dryRun: ExcelDryRun;
  created: { problems: number; tasks: number; units: number; categories: number; progress: number };
}

/** Imports `bytes` in one transaction (see the file comment); a refusal changes nothing. */
export async function importExcel(ctx: ServiceContext, bytes: Uint8Array, o: ExcelImportOptions = {}): Promise<ExcelImportResult> {
  const dryRun = await planExcelImport(ctx, bytes, o);
  if (dryRun.errors.length > 0 && !o.skipBadRows) {
    throw new DomainError('VALIDATION', `有 ${dryRun.errors.length} 行无法导入，未导入任何内容。请修改后重新导入，或选择“跳过有误的行，导入其余内容”。`, { reason: 'excel_bad_rows' });
  }
  if (dryRun.problems.length === 0) {
    throw new DomainError('VALIDATION', dryRun.existing.length ? '工作簿中的问题在台账中都已存在，没有需要导入的内容。' : '没有可以导入的内容。', { reason: 'excel_nothing' });
  }
  const today = ctx.clock.today();
  const created = { problems: 0, tasks: 0, units: 0, categories: 0, progress: 0 };
  const units = new Map<string, string>();
  const categories = new Map<string, string>();
  const inspectionOf = ctx.ledger.prepare('SELECT id FROM inspections WHERE unit_id = ? AND round_id = ? AND deleted_at IS NULL LIMIT 1');
  /** One problem with its tasks and progress, through the services (synchronous: the hot path stays optimised). */
  const write = (p: PlannedProblem) => {
    let unitId = p.unitId ?? units.get(norm(p.unit));
    if (!unitId) {
      unitId = createUnit(ctx, { name: p.unit, sector: 'other' }).id;
      units.set(norm(p.unit), unitId);
      created.units++;
    }
    let categoryId = p.categoryId ?? (p.category ? categories.get(norm(p.category)) : undefined);
    if (!categoryId) {
      categoryId = createCategory(ctx, { name: p.category! }).id;
      categories.set(norm(p.category!), categoryId);
      created.categories++;
    }
    const inspection = o.roundId ? (inspectionOf.get(unitId, o.roundId) as { id: string } | undefined)?.id ?? null : null;
    const problem = createProblem(ctx, {
      ...(inspection ? { inspectionId: inspection } : { unitId, roundId: o.roundId ?? null }), categoryId, description: p.description, remark: p.remark,
    });
    created.problems++;
    for (const t of p.tasks) {
      const task = createTask(ctx, {
        problemId: problem.id, measures: t.measures, term: t.term, deadline: t.deadline, responsibleLeader: t.responsibleLeader,
        responsibleDepartment: t.responsibleDepartment, responsiblePerson: t.responsiblePerson, remark: t.remark, stages: [],
      });
      created.tasks++;
      if (t.progress) {
        addProgress(ctx, { taskId: task.id, entryDate: today, content: t.progress });
        created.progress++;
      }
    }
  };
  const total = dryRun.problems.length;
  await inLongTransaction(ctx, '正在导入Excel台账，请稍候。', async () => {
    o.onProgress?.(0, total);
    // In batches of PROGRESS_EVERY, giving way to the event loop between them (the screen asks
    // for the progress meanwhile). The batch runs in a plain function: code resumed after an
    // await runs unoptimised for a while, which made a per-problem loop here 15% slower.
    for (let from = 0; from < total; from += PROGRESS_EVERY) {
      if (from > 0) {
        o.onProgress?.(from, total);
        await new Promise((r) => setImmediate(r));
      }
      const end = Math.min(total, from + PROGRESS_EVERY);
      for (let k = from; k < end; k++) write(dryRun.problems[k]!);
    }
    o.onProgress?.(created.problems, total);
    appendEvent(ctx, { action: 'excel_imported', entity: 'excel_imports', entityId: dryRun.sha256, detail: { sha256: dryRun.sha256, counts: dryRun.counts, skippedBadRows: dryRun.errors.length > 0, created } });
  });
  // Imported: the workbook kept since its dry run is not needed again (a refusal keeps it for the next try).
  forgetWorkbook();
  return { dryRun, created };
}
