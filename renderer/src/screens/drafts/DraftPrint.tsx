/**
 * The printed report draft: the shared print frame (components/print PrintPage: marking and title
 * in the top margin, 第N页 共M页 at the bottom, through Chromium's print engine in Electron and in
 * the browser) turned to A4 portrait with official-document margins (GB/T 9704: 版心 156 × 225 mm),
 * the body in 仿宋 16pt, headings 黑体 / 楷体, the draft's own marking in the margin, and the
 * signature of the draft instead of the ledgers' 填报人 lines. Text is React text only (never
 * HTML). While mounted, printing shows only it and the system print dialog opens (另存为PDF there).
 */
import { useEffect } from 'react';
import type { DraftBlock, ReportDraft } from '../../../../db/domain/report-draft.js';
import { itemMarker } from '../../../../db/domain/report-text.js';
import { cssString, PrintPage } from '../../components/print/PrintLedger.js';
import { useSavePdf } from '../../components/print/savePdf.js';
import '../../components/print/print.css';

const FANGSONG = '"FangSong", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", serif';
const HEITI = '"SimHei", "黑体", "Noto Sans CJK SC", sans-serif';
const KAITI = '"KaiTi", "楷体_GB2312", "STKaiti", "Noto Serif CJK SC", serif';

function style(marking: string): string {
  return `
  @page { size: A4 portrait; margin: 30mm 26mm 28mm 28mm;
    ${marking ? `@top-right { content: ${cssString(marking)}; }` : ''}
  }
  .xz-draft-print { font-family: ${FANGSONG}; font-size: 16pt; line-height: 1.65; }
  .xz-draft-print h1 { font-size: 22pt; line-height: 1.4; margin: 0 0 8mm; letter-spacing: 0; }
  .xz-draft-print p { margin: 0; text-align: justify; text-indent: 2em; orphans: 2; widows: 2; }
  .xz-draft-print p.xz-draft-addressee { text-indent: 0; }
  .xz-draft-print h2 { font-family: ${HEITI}; font-size: 16pt; font-weight: 400; margin: 0; text-indent: 2em; break-after: avoid; }
  .xz-draft-print h3 { font-family: ${KAITI}; font-size: 16pt; font-weight: 400; margin: 0; text-indent: 2em; break-after: avoid; }
  .xz-draft-print .xz-draft-caption { text-align: center; text-indent: 0; font-family: ${HEITI}; font-size: 12pt; margin-top: 2mm; break-after: avoid; }
  .xz-draft-print table { margin: 1mm 0 3mm; table-layout: auto; }
  /* Figures stay on one line (34.4% never breaks); the first column (unit names) wraps. */
  .xz-draft-print th, .xz-draft-print td { font-size: 9pt; line-height: 1.3; padding: 1mm 1mm; }
  .xz-draft-print td { text-align: center; white-space: nowrap; }
  .xz-draft-print td:first-child { white-space: normal; text-align: left; }
  .xz-draft-print .xz-draft-sign { margin-top: 10mm; text-align: right; padding-right: 4em; break-inside: avoid; }
  .xz-draft-print .xz-draft-sign p { text-indent: 0; text-align: right; }
  .xz-draft-print .xz-print-signs { display: none; }
`;
}

function PrintBlock({ b }: { b: DraftBlock }) {
  switch (b.type) {
    case 'paragraph':
      return <p>{b.text}</p>;
    case 'subheading':
      return <h3>{b.text}</h3>;
    case 'list':
      return <>{b.items.map((it, k) => <p key={k}>{itemMarker(k)}{it}</p>)}</>;
    case 'table':
      return (
        <>
          <p className="xz-draft-caption">{b.caption}</p>
          <table>
            <thead><tr>{b.columns.map((c, j) => <th key={j}>{c}</th>)}</tr></thead>
            <tbody>{b.rows.map((r, k) => <tr key={k}>{r.map((cell, j) => <td key={j}>{cell}</td>)}</tr>)}</tbody>
          </table>
        </>
      );
  }
}

export function DraftPrint({ draft, onDone, pdf }: { draft: ReportDraft; onDone(): void; pdf?: boolean }) {
  const savePdf = useSavePdf();
  // While mounted, printing shows only the draft; once it is laid out the system dialog opens, or
  // with `pdf` the shell saves it as PDF (the dialog where it cannot).
  useEffect(() => {
    document.body.classList.add('xz-printing');
    window.addEventListener('afterprint', onDone);
    const id = requestAnimationFrame(() => {
      if (pdf) void savePdf(draft.title).finally(onDone);
      else window.print();
    });
    return () => {
      cancelAnimationFrame(id);
      window.removeEventListener('afterprint', onDone);
      document.body.classList.remove('xz-printing');
    };
  }, [onDone]);

  return (
    <PrintPage title={draft.title} className="xz-draft-print" testId="draft-print" style={style(draft.marking.trim())}>
      {draft.addressee && <p className="xz-draft-addressee">{draft.addressee}</p>}
      {draft.sections.map((sec, s) => (
        <section key={s}>
          <h2>{sec.heading}</h2>
          {sec.blocks.map((b, k) => <PrintBlock key={k} b={b} />)}
        </section>
      ))}
      <div className="xz-draft-sign">
        <p>{draft.signature.issuer}</p>
        <p>{draft.signature.date}</p>
      </div>
    </PrintPage>
  );
}
