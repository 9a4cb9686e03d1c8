/**
 * The pieces the list filters share: argument fields for filters a caller may leave out (every key
 * of a list's argument is optional: absent, null or '' means "no filter") and the text search.
 */
import * as f from '../domain/fields.js';

/** An optional record filter (absent, null or '' = none). */
export const idFilter = (label: string) => f.v.optional(f.optId(label), null);

/** An optional exact-text filter (trimmed; blank = none). */
export const textFilter = (label: string, max: number = f.LEN.name) => f.v.optional(f.optText(label, max), null);

/** An optional date filter. */
export const dateFilter = (label: string) => f.v.optional(f.optDate(label), null);

/** An optional choice among codes. */
export const choiceFilter = <const T extends readonly [string, ...string[]]>(codes: T, label: string) => f.v.optional(f.optOneOf(codes, label), null);

/** Tri-state flag: absent/null = no filter; true/false = only rows with that value. */
export const flagFilter = (label: string) => f.v.nullish(f.v.boolean(`${label}应为是或否。`), null);

/**
 * 来源单位 (aggregation upward, docs/exchange-format.md): records created by this office, i.e.
 * their `origin_office_id`. The choices are the `offices` rows: this office and its partners.
 */
export const originFilter = idFilter('来源单位');

/** 只看有冲突的 (true) or without one (false): a field of the record or of a part in conflict (db/queries/conflicted.ts). */
export const conflictedFilter = flagFilter('有冲突');

/** The search box: words that must all occur. */
export const searchFilter = textFilter('搜索词', 100);

/** Escape LIKE wildcards so '%' or '_' typed by a user match themselves (ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * Search terms (split on blanks, all must match). FTS5 trigram finds substrings of 3+ characters
 * from the index; it silently matches nothing for 1–2 characters, so those terms use LIKE instead
 * (db/migrations/0001_fts.sql).
 *
 * `narrow`: the other filters already pin the rows to one unit (or one problem). Then every term
 * uses LIKE: the FTS subquery would list every match in the whole ledger first (40 ms for a common
 * term on 1,000,000 problems), while LIKE only reads the unit's own rows (about 1.5 ms). Both
 * match the same substrings (ASCII case-insensitively, like the trigram tokenizer's default).
 */
export function searchClauses(
  q: string | null, ftsTable: string, rowidColumn: string, textColumn: string, narrow = false,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!q) return { where, params };
  const terms = q.split(/\s+/).filter((t) => t.length > 0).slice(0, 8);
  const long = narrow ? [] : terms.filter((t) => [...t].length >= 3);
  const short = narrow ? terms : terms.filter((t) => [...t].length < 3);
  if (long.length > 0) {
    // Each term as an FTS5 string ("…" with quotes doubled): no operator or column syntax leaks through.
    where.push(`${rowidColumn} IN (SELECT rowid FROM ${ftsTable} WHERE ${ftsTable} MATCH ?)`);
    params.push(long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND '));
  }
  for (const t of short) {
    where.push(`${textColumn} LIKE ? ESCAPE '\\'`);
    params.push(likePattern(t));
  }
  return { where, params };
}
