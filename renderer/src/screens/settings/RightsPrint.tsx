/**
 * The printed 问题线索查看权限报告: title, date and counts, the holders, the pending proposals and
 * the history, each a table whose header repeats on every page, and signature lines; in the page
 * margins the security marking and page numbers (as the printed ledgers, components/print). Shown
 * only on paper: while it is mounted, printing shows only it.
 */
import { useEffect } from 'react';
import { PrintPage } from '../../components/print/PrintLedger.js';
import '../../components/print/print.css';

export interface PrintSection {
  title: string;
  /** Shown instead of an empty table. */
  empty: string;
  columns: { title: string; width: number }[];
  rows: string[][];
}

const STYLE = `
  .xz-rights-print h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
  .xz-rights-print p.xz-rights-empty { margin: 0 0 2mm; }
`;

export function RightsPrint(p: { title: string; meta: string[]; sections: PrintSection[]; onDone(): void }) {
  const { onDone } = p;

  // While mounted, printing shows only the report; the system dialog opens once it is laid out.
  useEffect(() => {
    document.body.classList.add('xz-printing');
    const done = () => onDone();
    window.addEventListener('afterprint', done);
    const id = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(id);
      window.removeEventListener('afterprint', done);
      document.body.classList.remove('xz-printing');
    };
  }, [onDone]);

  return (
    <PrintPage title={p.title} className="xz-rights-print" testId="rights-print" style={STYLE}>
      <div className="xz-print-meta">
        {p.meta.map((m) => <span key={m}>{m}</span>)}
      </div>
      {p.sections.map((s) => (
        <section key={s.title}>
          <h2>{s.title}</h2>
          {s.rows.length === 0 ? <p className="xz-rights-empty">{s.empty}</p> : (
            <table>
              <colgroup>{s.columns.map((c) => <col key={c.title} style={{ width: `${c.width}%` }} />)}</colgroup>
              <thead><tr>{s.columns.map((c) => <th key={c.title}>{c.title}</th>)}</tr></thead>
              <tbody>
                {s.rows.map((r, i) => <tr key={i}>{r.map((cell, j) => <td key={j}>{cell}</td>)}</tr>)}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </PrintPage>
  );
}
