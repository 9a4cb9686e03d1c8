import dayjs, { type Dayjs } from 'dayjs';

/** Dates cross the bridge as local calendar days 'YYYY-MM-DD' (no time zone drift). */
export const DAY = 'YYYY-MM-DD';

export function toDay(d: Dayjs | null | undefined): string | null {
  return d ? d.format(DAY) : null;
}

export function fromDay(s: string | null | undefined): Dayjs | null {
  return s ? dayjs(s, DAY) : null;
}
