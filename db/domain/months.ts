/**
 * Calendar arithmetic on local dates written 'YYYY-MM-DD'. Pure integer arithmetic on a day
 * number (days since 1970-01-01 in the proleptic Gregorian calendar): no Date object, so no time
 * zone or daylight-saving drift can move a deadline by a day (DOMAIN.md: "dates are local
 * calendar dates").
 *
 * Convention for "within N months after D" (…后N个月内), used by every month-based clock:
 * the due date is addMonths(D, N) and that day itself is still on time. This is the rule of
 * 《民法典》第二百零一条、第二百零二条: the day of the event is not counted, and the period ends on
 * the corresponding day of the due month, or on that month's last day when it has no such day
 * (2024-01-31 + 1 month = 2024-02-29). 第二百零三条 (a period ending on a public holiday runs to the
 * next working day) is deliberately NOT applied to the month clocks: the inspection rules do not
 * invoke it, and the earlier date is the safe one to warn on. Working-day clocks (函询回复) count
 * holidays themselves, see working-days.ts.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(y: number, m: number): number {
  if (m === 2 && isLeapYear(y)) return 29;
  return MONTH_DAYS[m - 1] ?? 0;
}

/** True for a real calendar date in the form 'YYYY-MM-DD' (years 0001-9999). */
export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Split a date; a malformed or impossible date is a programming error (inputs are validated). */
export function parseDate(s: string): Ymd {
  if (!isValidDate(s)) throw new RangeError(`不是有效日期：${s}`);
  return { y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)), d: Number(s.slice(8, 10)) };
}

export function formatDate({ y, m, d }: Ymd): string {
  if (y < 1 || y > 9999) throw new RangeError(`日期超出范围：${y}年`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Days from/to civil dates (H. Hinnant's algorithms), exact for the whole proleptic calendar.
function daysFromCivil(yy: number, m: number, d: number): number {
  const y = m <= 2 ? yy - 1 : yy;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Day number: days since 1970-01-01 (negative before). */
export function toDayNumber(s: string): number {
  const { y, m, d } = parseDate(s);
  return daysFromCivil(y, m, d);
}

export function fromDayNumber(n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`天数应为整数：${n}`);
  return formatDate(civilFromDays(n));
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`天数应为整数：${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function diffDays(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * Add calendar months, clamping to the last day of a shorter month (民法典第二百零二条):
 * 2024-01-31 + 1 = 2024-02-29, 2023-01-31 + 1 = 2023-02-28, 2024-02-29 + 12 = 2025-02-28.
 * Negative `n` counts back the same way.
 */
export function addMonths(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`月数应为整数：${n}`);
  const { y, m, d } = parseDate(date);
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = idx - ny * 12 + 1;
  return formatDate({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/** -1, 0 or 1. Valid 'YYYY-MM-DD' strings order like their dates; validated anyway. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const x = toDayNumber(a);
  const y = toDayNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday (the convention of JavaScript's getDay). */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const w = dayOfWeek(date);
  return w === 0 || w === 6;
}

/** The earlier of two dates (null-tolerant: a missing date never wins). */
export function minDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compare(a, b) <= 0 ? a : b;
}
