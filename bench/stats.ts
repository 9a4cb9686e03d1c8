/** Small helpers for the bench report: timing, percentiles, a plain-text table. */

export function timeMs<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of a sample (ms). */
export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { runs: s.length, median: round(at(0.5)), p95: round(at(0.95)), min: round(s[0] ?? NaN), max: round(s[s.length - 1] ?? NaN) };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Width of a string in a monospace terminal (CJK characters take two cells). */
function cells(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : c)));
  const widths = headers.map((h, i) => Math.max(cells(h), ...text.map((r) => cells(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => {
    const pad = ' '.repeat(widths[i]! - cells(c));
    return i === 0 ? c + pad : pad + c;
  }).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}
