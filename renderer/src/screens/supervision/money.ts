/**
 * 追赃挽损 amounts: the engine stores whole fen (1/100 yuan) so sums are exact; people type and
 * read yuan. Conversion goes through the decimal text, never through floating-point arithmetic
 * (12345.67 * 100 is 1234566.9999999998 in binary floating point).
 */

/** '12345.67' → 1234567; null when the text is not a non-negative amount with at most 2 decimals. */
export function yuanToFen(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const s = String(text).trim().replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** 1234567 → '12,345.67' (thousands separated, always two decimals). */
export function fenToYuan(fen: number): string {
  const neg = fen < 0;
  const n = Math.abs(Math.trunc(fen));
  const whole = Math.floor(n / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}.${String(n % 100).padStart(2, '0')}`;
}

/** 1234567 → '12345.67' (for an input field: no separators). */
export function fenToYuanPlain(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
