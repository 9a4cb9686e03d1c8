/**
 * The laid-out pages of a statutory ledger, three ways from one page list:
 * - MeasureBox: hidden, at the page's real width in the print styles, measures the title, the
 *   header row and every different cell text so that `paginate` can cut pages the way paper will;
 * - PreviewSheets: the pages drawn as sheets of paper on screen (margins with the marking, the
 *   title and 第N页 共M页), the in-app print preview;
 * - PrintSheets: the same pages in the print root (PrintPage: CSS paged media draws the margins),
 *   each page's table beginning a new printed page with its header row.
 * Cell text is React text only (never HTML).
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PAGE_MARGIN_MM, PrintPage } from '../../components/print/PrintLedger.js';
import type { Measures, SheetDoc, SheetGroup, SheetPage } from './model.js';

export type Paper = 'A4' | 'A3';
const PAPER_MM: Record<Paper, { w: number; h: number }> = { A4: { w: 297, h: 210 }, A3: { w: 420, h: 297 } };
const PX_PER_MM = 96 / 25.4;
/** Room left unused at the foot of each page (px): rounding between screen and print layout. */
const SAFETY_PX = 10;

export function contentMm(paper: Paper): { w: number; h: number } {
  const p = PAPER_MM[paper];
  const m = PAGE_MARGIN_MM;
  return { w: p.w - m.left - m.right, h: p.h - m.top - m.bottom };
}

function cellClass(align: 'center' | 'right' | undefined): string | undefined {
  return align === 'center' ? 'xz-c' : align === 'right' ? 'xz-r' : undefined;
}

function Cols({ doc }: { doc: SheetDoc }) {
  return <colgroup>{doc.columns.map((c) => <col key={c.key} style={{ width: `${c.width}%` }} />)}</colgroup>;
}

function Head({ doc }: { doc: SheetDoc }) {
  return <thead><tr>{doc.columns.map((c) => <th key={c.key} scope="col">{c.title}</th>)}</tr></thead>;
}

/** Rows [from, to) of a group; the first carries the span cells over all of them. */
function GroupRows({ doc, group, from, to, cont }: { doc: SheetDoc; group: SheetGroup; from: number; to: number; cont: boolean }) {
  const out = [];
  for (let i = from; i < to; i++) {
    const cells = group.rows[i]!;
    let k = 0;
    let s = 0;
    out.push(
      <tr key={i} className={group.total ? 'xz-total' : undefined} data-group={group.key}>
        {doc.columns.map((c) => {
          if (c.span) {
            const text = (cont ? group.spanCont : group.span)[s++] ?? '';
            if (i !== from) return null;
            return <td key={c.key} rowSpan={to - from} className={[cellClass(c.align), cont ? 'xz-cont' : ''].filter(Boolean).join(' ') || undefined}>{text}</td>;
          }
          return <td key={c.key} className={cellClass(c.align)}>{cells[k++] ?? ''}</td>;
        })}
      </tr>,
    );
  }
  return <>{out}</>;
}

/** One page's table (and the section caption above it). */
function PageBody({ doc, page }: { doc: SheetDoc; page: SheetPage }) {
  if (page.signsOnly) return null;
  return (
    <>
      {page.section.caption && <div className="xz-print-caption">{page.section.caption}</div>}
      <table>
        <Cols doc={doc} />
        <Head doc={doc} />
        <tbody>
          {page.fragments.map((f) => <GroupRows key={`${f.group.key}-${f.from}`} doc={doc} group={f.group} from={f.from} to={f.to} cont={f.cont} />)}
        </tbody>
      </table>
    </>
  );
}

function Meta({ doc }: { doc: SheetDoc }) {
  return <div className="xz-print-meta">{doc.meta.map((m) => <span key={m}>{m}</span>)}</div>;
}

function Signs() {
  const { t } = useTranslation();
  return (
    <div className="xz-print-signs">
      <span>{t('print.filledBy')}</span>
      <span>{t('print.reviewedBy')}</span>
      <span>{t('print.headOf')}</span>
    </div>
  );
}

/** One text of one column (in a 合计 row or not), measured on its own row. */
interface Probe { col: number; text: string; total: boolean }

/** Each group's cells as probe numbers (-1: an empty cell): its span cells, first and continuation, and each row's other cells. */
type GroupProbes = { span: number[]; cont: number[]; rows: number[][] };

/**
 * The texts to measure: each different (column, text, 合计) once, the span cells' first and
 * continuation texts included. A row is as tall as its tallest cell, so each row's height is the
 * largest of its texts' heights (or an empty row's); a 1,000-row ledger repeats most of its
 * short cells, and each measured text is one cell instead of a row of thirteen.
 */
function probesOf(doc: SheetDoc): { probes: Probe[]; groups: Map<SheetGroup, GroupProbes> } {
  const probes: Probe[] = [];
  const ids = new Map<string, number>();
  const probe = (col: number, text: string | undefined, total: boolean): number => {
    if (!text) return -1;
    const key = `${col}\u0000${total ? 1 : 0}\u0000${text}`;
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = probes.length));
      probes.push({ col, text, total });
    }
    return id;
  };
  const spanCols = doc.columns.flatMap((c, i) => (c.span ? [i] : []));
  const rowCols = doc.columns.flatMap((c, i) => (c.span ? [] : [i]));
  const groups = new Map<SheetGroup, GroupProbes>();
  for (const s of doc.sections) {
    for (const g of s.groups) {
      const total = !!g.total;
      groups.set(g, {
        span: spanCols.map((c, k) => probe(c, g.span[k], total)),
        cont: spanCols.map((c, k) => probe(c, g.spanCont[k], total)),
        rows: g.rows.map((cells) => rowCols.map((c, k) => probe(c, cells[k], total))),
      });
    }
  }
  return { probes, groups };
}

/**
 * Hidden: the title, a caption, the header row, an empty row and each text to measure alone in
 * its column, at the page's width; reports the heights of each group's span cells and rows once
 * laid out.
 */
export function MeasureBox({ doc, paper, onMeasured }: { doc: SheetDoc; paper: Paper; onMeasured(m: Measures): void }) {
  const box = useRef<HTMLDivElement>(null);
  const done = useRef(onMeasured);
  done.current = onMeasured;
  const { probes, groups: probed } = useMemo(() => probesOf(doc), [doc]);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    let live = true;
    // System fonts need no download, but the first layout may precede their use: wait for them.
    void document.fonts.ready.then(() => {
      if (!live) return;
      const h = (sel: string) => (el.querySelector(sel) as HTMLElement | null)?.getBoundingClientRect().height ?? 0;
      // The empty row first, then one row per probe.
      const measured = [...el.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((r) => r.getBoundingClientRect().height);
      const empty = measured[0] ?? 0;
      const tallest = (ids: number[]) => ids.reduce((m, id) => (id < 0 ? m : Math.max(m, measured[id + 1] ?? 0)), empty);
      const groups: Measures['groups'] = new Map();
      for (const [g, p] of probed) groups.set(g, { span: tallest(p.span), cont: tallest(p.cont), rows: p.rows.map(tallest) });
      done.current({
        pageHeight: contentMm(paper).h * PX_PER_MM - SAFETY_PX,
        top: h('.xz-m-top'), caption: h('.xz-m-caption'), head: h('thead'), signs: h('.xz-m-signs'), groups,
      });
    });
    return () => {
      live = false;
    };
  }, [paper, probed]);
  const n = doc.columns.length;
  return (
    <div ref={box} className="xz-print-root xz-print-shown xz-ledger-measure" style={{ width: `${contentMm(paper).w}mm` }} aria-hidden="true">
      <div className="xz-m-top"><h1>{doc.title}</h1><Meta doc={doc} /></div>
      <div className="xz-m-caption"><div className="xz-print-caption">{doc.meta[1]}</div></div>
      <table>
        <Cols doc={doc} />
        <Head doc={doc} />
        <tbody>
          <tr><td colSpan={n} /></tr>
          {probes.map((p, i) => (
            <tr key={i} className={p.total ? 'xz-total' : undefined}>
              {p.col > 0 && <td colSpan={p.col} />}
              <td>{p.text}</td>
              {p.col < n - 1 && <td colSpan={n - 1 - p.col} />}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="xz-m-signs"><Signs /></div>
    </div>
  );
}

/** The pages as sheets of paper on screen, scaled to the preview's width. */
export function PreviewSheets({ doc, pages, paper, marking }: { doc: SheetDoc; pages: SheetPage[]; paper: Paper; marking: string }) {
  const { t } = useTranslation('ledgers');
  const { t: tc } = useTranslation();
  const size = PAPER_MM[paper];
  const m = PAGE_MARGIN_MM;
  const inner = contentMm(paper);
  return (
    <div className={`xz-sheets xz-sheets-${paper}`}>
      {pages.map((page, i) => (
        <section
          key={i} className="xz-sheet" aria-label={t('preview.page', { n: i + 1 })} data-testid="ledger-sheet"
          style={{ width: `${size.w}mm`, height: `${size.h}mm`, padding: `${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm` }}
        >
          <div className="xz-sheet-top" style={{ height: `${m.top}mm`, left: `${m.left}mm`, right: `${m.right}mm` }}>
            <span>{doc.title}</span><strong>{marking}</strong>
          </div>
          <div className="xz-print-root xz-print-shown xz-sheet-body" style={{ width: `${inner.w}mm`, height: `${inner.h}mm` }}>
            {i === 0 && <><h1>{doc.title}</h1><Meta doc={doc} /></>}
            <PageBody doc={doc} page={page} />
            {i === pages.length - 1 && <Signs />}
          </div>
          <div className="xz-sheet-foot" style={{ height: `${m.bottom}mm`, left: `${m.left}mm`, right: `${m.right}mm` }}>
            <span />
            <span data-testid="ledger-sheet-number">{tc('print.pageOf', { n: i + 1, m: pages.length })}</span>
            <strong>{marking}</strong>
          </div>
        </section>
      ))}
    </div>
  );
}

/** The pages in the print root: each page's table starts a printed page. */
export function PrintSheets({ doc, pages, paper, marking }: { doc: SheetDoc; pages: SheetPage[]; paper: Paper; marking: string }) {
  return (
    <PrintPage title={doc.title} testId="ledger-print-root" paper={paper} marking={marking} markFooter className={`xz-ledger-print xz-ledger-${doc.kind}`}>
      <Meta doc={doc} />
      {pages.filter((p) => !p.signsOnly).map((page, i) => (
        <div key={i} className="xz-sheet-page"><PageBody doc={doc} page={page} /></div>
      ))}
    </PrintPage>
  );
}
