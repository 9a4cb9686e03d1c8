/** Dates cross the bridge as local calendar days 'YYYY-MM-DD' (no time zone drift). */
import dayjs, { type Dayjs } from 'dayjs';

export const DAY = 'YYYY-MM-DD';

/** A date picker's value as the engine's day, or null. */
export function toDay(d: Dayjs | null | undefined): string | null {
  return d ? d.format(DAY) : null;
}

/** The engine's day as a date picker's value, or null. */
export function fromDay(s: string | null | undefined): Dayjs | null {
  return s ? dayjs(s, DAY) : null;
}

/** Today as a local calendar day (a form's default date). */
export function today(): string {
  return dayjs().format(DAY);
}
