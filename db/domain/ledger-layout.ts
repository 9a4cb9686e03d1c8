/**
 * The 巡视整改台账's columns on paper (issue 11), declared once for both ways it is printed: the
 * exported .xlsx (db/excel/export.ts) takes them as its column widths and prints fit to the page's
 * width; the app's own printed ledger (the 法定台账 screen) gives each column the same share of the
 * page. So the two print alike: the same column wraps the same text at about the same size.
 *
 * Widths are in Excel's unit (the width of a digit at the body font), one list per paper, in the
 * order of the statutory columns (序号 | 问题类别 | 问题描述 | 整改措施 | 责任领导 | 责任部门 | 责任人 |
 * 整改时限 | 整改进展 | 完成情况 | 佐证材料 | 销号情况 | 备注). On A3 the long text columns (问题描述,
 * 整改措施, 整改进展, 佐证材料) take the extra width. A four-character column title (责任领导,
 * 销号情况…) fits on one line at 9 pt in 10 units on A4, and a date (2024年10月15日) in 17. Pure
 * (shared layer).
 */
export const LEDGER_COLUMN_WIDTHS = {
  A4: [6, 10, 24, 24, 10, 10, 8, 17, 22, 11, 13, 10, 11],
  A3: [6, 10, 34, 34, 10, 10, 8, 17, 32, 11, 18, 10, 11],
} as const;

export type LedgerPaper = keyof typeof LEDGER_COLUMN_WIDTHS;

/** Each column's share of the table's width on `paper`, per cent. */
export function ledgerColumnShares(paper: LedgerPaper): number[] {
  const w = LEDGER_COLUMN_WIDTHS[paper];
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => (x * 100) / sum);
}
