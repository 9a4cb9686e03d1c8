/**
 * 整改时限 as offices write it in their Excel/WPS ledgers, read into a date or a term (issue 11).
 * Pure (shared layer): the importer uses it, and the import preview shows what it made of a cell.
 *
 * Read:
 *   2024年3月29日 · 2024.3.29 · 2024/3/29 · 2024-03-29 · 2024年3月29号   → that day
 *   an Excel serial number (1900 date system, or 1904 when the workbook says so) → that day
 *   2024年6月底前 · 2024年6月底 · 2024年6月前 · 2024年6月 · 2024年6月份   → 2024-06-30
 *   6月底 · 6月底前 · 6月前 (no year)      → that month's last day in the context year
 *   年底前 · 年底 · 今年年底                  → 12-31 of the context year
 *   2024年底前 · 2024年底                   → 2024-12-31
 *   长期坚持 · 长期 · 持续推进 · 常态化      → term 长期坚持 (no date of its own)
 *   立行立改 · 立即整改 · 即知即改            → term 立行立改 (no date of its own)
 *   已完成 · 已整改 · 已完成整改              → done (no date of its own)
 *   长期坚持（2024年12月31日） · 立行立改（2024.3.31） → that term, with that date (what 导出台账 writes)
 * "X月前" is read as "by the end of X月" (完成于X月前), the way these sheets use it; the preview
 * shows the date made of every cell, so a reader who meant otherwise sees it before importing.
 * Anything else is an error with a zh-CN reason, never a guess. The context year is the year of
 * the sheet's 填报日期 or of the inspection's feedback, given by the caller.
 */
import { daysInMonth, formatDate, isValidDate } from './months.js';

export type SheetDeadline =
  | { kind: 'date'; date: string; /** the cell gave only a month or a year-end */ endOf?: 'month' | 'year'; /** a term written with the date */ term?: 'long_term' | 'immediate' }
  | { kind: 'term'; term: 'long_term' | 'immediate' }
  | { kind: 'done' };

export type SheetDeadlineResult = { ok: true; value: SheetDeadline } | { ok: false; reason: string };

export interface SheetDateContext {
  /** The year to give a cell that names no year (6月底, 年底前); null: such a cell is an error. */
  year: number | null;
  /** The workbook uses the 1904 date system (old Mac Excel). */
  date1904?: boolean;
}

const LONG_TERM = new Set(['长期坚持', '长期', '持续推进', '常态化', '长期推进', '持续整改', '长期坚持整改']);
const IMMEDIATE = new Set(['立行立改', '立即整改', '即知即改', '立查立改', '立知立改']);
const DONE = new Set(['已完成', '已整改', '已完成整改', '已整改完成', '完成']);

/** Full-width digits and punctuation to ASCII; spaces out. */
function normalise(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．。]/g, '.')
    .replace(/／/g, '/')
    .replace(/[－—–]/g, '-')
    .replace(/\s+/g, '')
    .replace(/[，,；;。.]$/, '');
}

const ok = (value: SheetDeadline): SheetDeadlineResult => ({ ok: true, value });
const bad = (reason: string): SheetDeadlineResult => ({ ok: false, reason });

function day(y: number, m: number, d: number, cell: string): SheetDeadlineResult {
  const s = formatDate({ y, m, d });
  if (y < 1990 || y > 2100) return bad(`“${cell}”的年份不在合理范围内（1990—2100年）。`);
  if (!isValidDate(s)) return bad(`“${cell}”不是有效的日期。`);
  return ok({ kind: 'date', date: s });
}

function monthEnd(y: number, m: number, cell: string): SheetDeadlineResult {
  if (m < 1 || m > 12) return bad(`“${cell}”中的月份不正确。`);
  const r = day(y, m, daysInMonth(y, m), cell);
  return r.ok && r.value.kind === 'date' ? ok({ ...r.value, endOf: 'month' }) : r;
}

/**
 * An Excel serial day number as a date. 1900 system: day 1 is 1900-01-01 and Excel counts a
 * 1900-02-29 that never was (serial 60), so serials from 61 on are one day ahead; 1904 system:
 * day 0 is 1904-01-01. A fraction (a time of day) is dropped.
 */
export function excelSerialDate(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 1) return null;
  const whole = Math.floor(serial);
  if (!date1904 && whole === 60) return null; // 1900-02-29 does not exist
  // Days from 1970-01-01: the 1900 system's serial 25569 and the 1904 system's 24107 are that day.
  const days = date1904 ? whole - 24107 : whole < 60 ? whole - 25568 : whole - 25569;
  const ms = days * 86_400_000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  return formatDate({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() });
}

/** Reads one 整改时限 cell (its text, or the number Excel stored for a date cell). */
export function parseSheetDeadline(cell: string | number | Date | null | undefined, ctx: SheetDateContext): SheetDeadlineResult {
  if (cell === null || cell === undefined || cell === '') return bad('整改时限为空。');
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return bad('整改时限不是有效的日期。');
    return day(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell.toISOString().slice(0, 10));
  }
  if (typeof cell === 'number') {
    const s = excelSerialDate(cell, ctx.date1904);
    if (!s) return bad(`整改时限“${cell}”不是有效的日期。`);
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return day(y, m, d, String(cell));
  }
  const raw = cell.trim();
  const s = normalise(raw);
  if (s === '') return bad('整改时限为空。');
  if (LONG_TERM.has(s)) return ok({ kind: 'term', term: 'long_term' });
  if (IMMEDIATE.has(s)) return ok({ kind: 'term', term: 'immediate' });
  if (DONE.has(s)) return ok({ kind: 'done' });
  // A term with its date in brackets: 长期坚持（2024年12月31日）.
  const withDate = /^([^（(]+)[（(](.+)[）)]$/.exec(s);
  if (withDate && (LONG_TERM.has(withDate[1]!) || IMMEDIATE.has(withDate[1]!))) {
    const inner = parseSheetDeadline(withDate[2]!, ctx);
    if (!inner.ok || inner.value.kind !== 'date') return bad(`无法识别整改时限“${raw}”中的日期。`);
    return ok({ ...inner.value, term: LONG_TERM.has(withDate[1]!) ? 'long_term' : 'immediate' });
  }
  // A number stored as text (a date cell pasted as values).
  if (/^\d{5}(\.\d+)?$/.test(s)) return parseSheetDeadline(Number(s), ctx);
  let m = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?(前|之前|以前)?$/.exec(s);
  if (m) return day(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = /^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(前|之前|以前)?$/.exec(s);
  if (m) return day(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = /^(\d{4})年(\d{1,2})月(份)?(底|末)?(前|之前|以前)?$/.exec(s);
  if (m) return monthEnd(Number(m[1]), Number(m[2]), raw);
  m = /^(\d{4})[./-](\d{1,2})(底|末)?(前|之前|以前)?$/.exec(s);
  if (m) return monthEnd(Number(m[1]), Number(m[2]), raw);
  m = /^(\d{4})年(年)?(底|末)(前|之前|以前)?$/.exec(s);
  if (m) {
    const r = day(Number(m[1]), 12, 31, raw);
    return r.ok && r.value.kind === 'date' ? ok({ ...r.value, endOf: 'year' }) : r;
  }
  m = /^(\d{1,2})月(份)?(底|末)?(前|之前|以前)?$/.exec(s);
  if (m) {
    if (ctx.year === null) return bad(`“${raw}”没有写年份，且无法从填报日期或反馈日期确定年份。`);
    return monthEnd(ctx.year, Number(m[1]), raw);
  }
  if (/^(今年)?年(底|末)(前|之前|以前)?$/.test(s)) {
    if (ctx.year === null) return bad(`“${raw}”没有写年份，且无法从填报日期或反馈日期确定年份。`);
    const r = day(ctx.year, 12, 31, raw);
    return r.ok && r.value.kind === 'date' ? ok({ ...r.value, endOf: 'year' }) : r;
  }
  return bad(`无法识别整改时限“${raw}”（可写作2024年6月30日、2024.6.30、2024年6月底前、长期坚持、立行立改等）。`);
}

/** A 填报日期 or similar sheet date in free text ("填报日期：2024年6月15日"), for the context year. */
export function findSheetDate(text: string): string | null {
  const s = normalise(text);
  const m = /(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})/.exec(s);
  if (!m) return null;
  const d = formatDate({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) });
  return isValidDate(d) ? d : null;
}
