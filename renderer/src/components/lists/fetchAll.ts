/**
 * Every row of a list's current filters and sort, page by page (keyset cursors), for 打印 and 导出:
 * `onPage` sees the count so far (a progress bar); a run that `current()` says is stale (the dialog
 * closed, or started again) stops and gives null; more than `max` rows stops with `tooMany`.
 */
import type { KeysetPage } from './useKeysetPages.js';

export async function fetchAllRows<R>(
  fetchPage: (cursor: string | null, limit: number) => Promise<KeysetPage<R>>,
  o: { pageSize: number; max: number; current(): boolean; onPage(got: number): void; tooMany(got: number): Error },
): Promise<R[] | null> {
  const rows: R[] = [];
  let cursor: string | null = null;
  do {
    const page: KeysetPage<R> = await fetchPage(cursor, o.pageSize);
    if (!o.current()) return null;
    rows.push(...page.rows);
    cursor = page.nextCursor;
    o.onPage(rows.length);
    if (rows.length > o.max) throw o.tooMany(rows.length);
  } while (cursor);
  return rows;
}
