/** Small formatting helpers shared by the problem and task detail views. */
import dayjs, { type Dayjs } from 'dayjs';

/** `2024-03-29`: the date form used in tables (UI.md). */
export function day(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD') : '—';
}

/** A timestamp to the minute, in local time. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/** Dates after today cannot be chosen (进展日期、形成日期、完成日期 are never in the future). */
export function isFuture(d: Dayjs): boolean {
  return d.isAfter(dayjs(), 'day');
}

/** A SHA-256 shortened for a table cell: first and last 8 hex digits. */
export function shortHash(h: string): string {
  return h.length > 20 ? `${h.slice(0, 8)}…${h.slice(-8)}` : h;
}

/** File size in B/KB/MB. */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
