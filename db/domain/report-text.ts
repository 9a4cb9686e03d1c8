/**
 * How report drafts write numbers, rates and dates: one set of functions for the .docx writer
 * (db/reports/docx.ts), the engine's drafts (db/reports/drafts.ts) and the screen, so that a
 * figure reads the same wherever it is shown. Pure: no Node, no DOM.
 *
 * Conventions of Chinese official documents (党政机关公文):
 * - dates in full: 2024年6月15日 (no leading zeros, GB/T 9704-2012 7.3.5.3 成文日期 uses Arabic numerals);
 * - counts as Arabic numerals without thousands separators ("反馈问题12个");
 * - rates as percentages with at most one decimal, trailing ".0" dropped (85.7%, 100%);
 * - numbered items 1. 2. 3. (the third level of GB/T 9704's 一、（一）1.（1） scheme).
 */

/** 'YYYY-MM-DD' → '2024年6月15日'. Anything else is returned unchanged (an edited draft may hold free text). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** 'YYYY-MM-DD' → '2024年6月' (staged goals and periods are often named by month). */
export function formatMonth(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(iso);
  return m ? `${Number(m[1])}年${Number(m[2])}月` : iso;
}

/**
 * The local calendar day of an instant stored as an ISO timestamp (closedAt, decidedAt…), in the
 * same sense as the engine's clock (db/core/clock.ts: local date, no time-zone drift in the UI).
 */
export function dayOfInstant(isoInstant: string | null | undefined): string | null {
  if (!isoInstant) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(isoInstant)) return isoInstant;
  const ms = Date.parse(isoInstant);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A count: '12'. Non-finite input (a bug upstream) shows as '—' rather than 'NaN'. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return String(Math.trunc(n));
}

/**
 * A rate in 0..1 as a percentage: 0.857142 → '85.7%', 1 → '100%', 0 → '0%'. null (no tasks, so
 * no rate) → '—', never a misleading '0%'. Rounded half up on the tenth of a percent, computed on
 * integers so 0.0005-style float noise cannot flip a digit.
 */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const tenths = Math.round(Math.round(rate * 1e6) / 1000); // rate × 1000, via an integer of millionths
  const whole = Math.trunc(tenths / 10);
  const frac = Math.abs(tenths % 10);
  return frac === 0 ? `${whole}%` : `${whole}.${frac}%`;
}

/** Money kept in fen (1/100 yuan) as 万元 with two decimals: 1234567 → '12.35万元'. */
export function formatWanYuan(fen: number): string {
  return `${(Math.round(fen / 100) / 10000).toFixed(2)}万元`;
}

/** The marker of the k-th item (0-based) of a numbered list: '1.', '2.' … */
export function itemMarker(k: number): string {
  return `${k + 1}.`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..99 in Chinese numerals: 1 → '一', 10 → '十', 12 → '十二', 20 → '二十', 21 → '二十一'. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.trunc(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** First-level heading number: 0 → '一、'. */
export function sectionNumber(k: number): string {
  return `${chineseNumeral(k + 1)}、`;
}

/** Second-level heading number: 0 → '（一）'. */
export function subsectionNumber(k: number): string {
  return `（${chineseNumeral(k + 1)}）`;
}

/** The page number in the footer of an official document: 1 → '— 1 —' (GB/T 9704-2012 7.5 页码). */
export function pageNumberText(n: number): string {
  return `— ${n} —`;
}
