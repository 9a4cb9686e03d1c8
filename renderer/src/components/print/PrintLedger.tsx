/**
 * The printed form of a list: a title, the round, filters and date, the rows in a table whose
 * header repeats on every page, signature lines at the end, and, in the page margins, the
 * security marking and "第N页 共M页" (CSS paged media, drawn by Chromium's print engine in both
 * Electron and the browser preview). Rendered into a portal outside the app; invisible on screen.
 * Cell text is React text only (never HTML).
 */
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import './print.css';

export interface PrintColumn<R> {
  key: string;
  title: string;
  /** Share of the page width, in per cent. */
  width: number;
  align?: 'center' | 'right';
  text(row: R): string;
}

export interface PrintDoc<R> {
  title: string;
  /** Lines under the title: round, filters. */
  meta: string[];
  /** Printing date, already in print form (2024年3月29日). */
  date: string;
  columns: PrintColumn<R>[];
  rows: R[];
  rowKey(row: R): string;
}

/** A string literal for CSS `content:` (quotes, backslashes and line breaks escaped). */
export function cssString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ')}"`;
}

/** The page margins of every printed document (mm): the marking, title and page number sit in them. */
export const PAGE_MARGIN_MM = { top: 14, right: 10, bottom: 14, left: 10 } as const;

/**
 * The page frame every printed document shares: A4 (or A3) landscape, the marking and the title in
 * the top margin, 第N页 共M页 at the bottom (and the marking again at the bottom right when
 * `markFooter`), the title, the content, and the 填报人/审核人/负责人 lines.
 */
export function PrintPage({ title, className, testId, style, children, paper = 'A4', marking, markFooter = false }: {
  title: string; className?: string; testId: string; style?: string; children: ReactNode;
  paper?: 'A4' | 'A3';
  /** The security marking (default: the catalogue's 内部资料 注意保存). */
  marking?: string;
  markFooter?: boolean;
}) {
  const { t } = useTranslation();
  const [before, middle, after] = t('print.pageOf', { n: '\u0001', m: '\u0002' }).split(/[\u0001\u0002]/);
  const mark = marking ?? t('marking');
  const m = PAGE_MARGIN_MM;
  const pageRule = `@page { size: ${paper} landscape; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm;
    @top-right { content: ${cssString(mark)}; font: 600 10pt "SimHei", "Noto Sans CJK SC", sans-serif; }
    @top-left { content: ${cssString(title)}; font: 9pt "Noto Serif CJK SC", serif; color: #444; }
    @bottom-center { content: ${cssString(before ?? '')} counter(page) ${cssString(middle ?? '')} counter(pages) ${cssString(after ?? '')}; font: 9pt "Noto Serif CJK SC", serif; }
    ${markFooter ? `@bottom-right { content: ${cssString(mark)}; font: 600 9pt "SimHei", "Noto Sans CJK SC", sans-serif; }` : ''}
  }`;
  return createPortal(
    <div className={className ? `xz-print-root ${className}` : 'xz-print-root'} data-testid={testId}>
      <style>{pageRule}{style}</style>
      <h1>{title}</h1>
      {children}
      <div className="xz-print-signs">
        <span>{t('print.filledBy')}</span>
        <span>{t('print.reviewedBy')}</span>
        <span>{t('print.headOf')}</span>
      </div>
    </div>,
    document.body,
  );
}

export function PrintLedger<R>({ doc }: { doc: PrintDoc<R> }) {
  const { t } = useTranslation();
  return (
    <PrintPage title={doc.title} testId="print-root">
      <div className="xz-print-meta">
        <span className="xz-print-filters">{doc.meta.join('　')}</span>
        <span>{t('print.rows', { n: doc.rows.length.toLocaleString('zh-CN') })}</span>
        <span>{t('print.date', { d: doc.date })}</span>
      </div>
      <table>
        <colgroup>{doc.columns.map((c) => <col key={c.key} style={{ width: `${c.width}%` }} />)}</colgroup>
        <thead>
          <tr>{doc.columns.map((c) => <th key={c.key}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {doc.rows.map((r) => (
            <tr key={doc.rowKey(r)}>
              {doc.columns.map((c) => <td key={c.key} className={c.align === 'center' ? 'xz-c' : c.align === 'right' ? 'xz-r' : undefined}>{c.text(r)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </PrintPage>
  );
}
