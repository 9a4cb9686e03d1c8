/**
 * Row heights for wrapped text in an exported sheet. Neither Excel nor LibreOffice sizes a row to
 * its wrapped text on opening a written file (and neither ever sizes a merged cell), so without
 * heights a 3-line 整改措施 prints as one line struck through by the next row's border. The export
 * therefore sets each row's height from its text, estimated from the column widths the way the
 * spreadsheet lays text out: a column of width w (in the default font's digit widths, 7 px) holds
 * about 7·w − 8 px of text; a CJK or full-width character takes one em, other characters about
 * 0.55 em; a line takes LINE_EM ems (the CJK fonts a workstation falls back to for 仿宋 have
 * ascent + descent ≈ 1.45 em). The estimate errs on the tall side: a little white space, never a
 * clipped line.
 */

const DIGIT_PX = 7;
const CELL_PADDING_PX = 8;
const LINE_EM = 1.45;
const ROW_PADDING_PT = 4;
const PX_PER_PT = 96 / 72;

/** Whether a character takes a full em (CJK ideographs, kana, hangul, full-width forms and punctuation). */
const wide = (cp: number) => cp >= 0x2e80 && !(cp >= 0xff61 && cp <= 0xffdc);

/** The width of one line of text, in ems. */
export function textEms(line: string): number {
  let ems = 0;
  for (const ch of line) ems += wide(ch.codePointAt(0)!) ? 1 : 0.55;
  return ems;
}

/** How many lines `text` takes in a wrapped cell of column width `width` at `fontPt`. */
export function wrappedLines(text: string, width: number, fontPt: number): number {
  const room = Math.max(1, width * DIGIT_PX - CELL_PADDING_PX);
  const em = fontPt * PX_PER_PT;
  let lines = 0;
  for (const line of text.split(/\r?\n/)) lines += Math.max(1, Math.ceil((textEms(line) * em) / room));
  return lines;
}

/** The column width that holds the longest line of `text` at `fontPt` without wrapping. */
export function widthFor(text: string, fontPt: number): number {
  const em = fontPt * PX_PER_PT;
  const ems = Math.max(...text.split(/\r?\n/).map(textEms));
  return Math.ceil((ems * em + CELL_PADDING_PX) / DIGIT_PX);
}

/** The height (pt) a row needs for `lines` lines at `fontPt`. */
const heightFor = (lines: number, fontPt: number) => Math.ceil(lines * fontPt * LINE_EM + ROW_PADDING_PT);

/** The height (pt) a row of `values` needs in columns of `widths`: its tallest cell. */
export function rowHeight(values: readonly unknown[], widths: readonly number[], fontPt: number): number {
  let lines = 1;
  values.forEach((v, k) => {
    if (v === null || v === undefined || v === '') return;
    lines = Math.max(lines, wrappedLines(String(v), widths[k] ?? 10, fontPt));
  });
  return heightFor(lines, fontPt);
}
