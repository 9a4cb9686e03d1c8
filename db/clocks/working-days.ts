import type { ServiceContext } from '../core/context.js';
import { addDays, compare, isValidDate, isWeekend } from '../domain/months.js';

/**
 * Working days (工作日) under the official holiday calendar with its 调休: Monday to Friday are
 * working days unless listed as `holiday`; Saturday and Sunday are not, unless listed as
 * `workday` (a make-up working day). The list is data (calendar_days), edited in 设置, because
 * each year's arrangement is only published in the previous November (国务院办公厅通知).
 */
export interface CalendarOverride {
  day: string;
  kind: 'holiday' | 'workday';
}

export interface WorkCalendar {
  isWorkingDay(date: string): boolean;
  /**
   * The deadline of "within n working days after D" (…后n个工作日内): the day of the event is not
   * counted (《民法典》第二百零一条), so the count starts the day after D; the nth working day is
   * the last day that is still on time. n = 0 gives D itself.
   */
  addWorkingDays(date: string, n: number): string;
  /**
   * Working days in (from, to]: the inverse of addWorkingDays, so
   * workingDaysBetween(d, addWorkingDays(d, n)) === n. Negative when `to` is before `from`.
   */
  workingDaysBetween(from: string, to: string): number;
}

/** Longest span accepted: a bound so a bad input cannot spin (no real clock runs for years). */
const MAX_WORKING_DAYS = 3660;

export function makeWorkCalendar(rows: Iterable<CalendarOverride>): WorkCalendar {
  const overrides = new Map<string, 'holiday' | 'workday'>();
  for (const r of rows) {
    if (!isValidDate(r.day)) throw new RangeError(`节假日日历中的日期无效：${r.day}`);
    overrides.set(r.day, r.kind);
  }

  const isWorkingDay = (date: string): boolean => {
    const o = overrides.get(date);
    if (o === 'holiday') return false;
    if (o === 'workday') return true;
    return !isWeekend(date);
  };

  const addWorkingDays = (date: string, n: number): string => {
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
      throw new RangeError(`工作日数应为0到${MAX_WORKING_DAYS}之间的整数：${n}`);
    }
    let d = date;
    let left = n;
    while (left > 0) {
      d = addDays(d, 1);
      if (isWorkingDay(d)) left -= 1;
    }
    return d;
  };

  const workingDaysBetween = (from: string, to: string): number => {
    const c = compare(from, to);
    if (c === 0) return 0;
    if (c > 0) return -workingDaysBetween(to, from);
    let n = 0;
    for (let d = addDays(from, 1); compare(d, to) <= 0; d = addDays(d, 1)) {
      if (isWorkingDay(d)) n += 1;
    }
    return n;
  };

  return { isWorkingDay, addWorkingDays, workingDaysBetween };
}

/** The ledger's calendar: live calendar_days rows (a soft-deleted row no longer applies). */
export function loadCalendar(ctx: ServiceContext): WorkCalendar {
  const rows = ctx.ledger
    .prepare('SELECT day, kind FROM calendar_days WHERE deleted_at IS NULL')
    .all() as CalendarOverride[];
  return makeWorkCalendar(rows);
}
