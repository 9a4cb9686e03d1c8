/**
 * The printed form of each statutory ledger as one shape (a SheetDoc): columns, sections (one per
 * unit in the 巡视整改台账) and groups of rows. A group's `span` cells (序号, 问题类别, 问题描述 of a
 * problem) span its rows; when the group is cut by a page break, the part on the next page repeats
 * them marked （续） (`spanCont`): Chromium's print engine does not repeat a rowspan cell's text on
 * the next page (measured: the cell continues there empty), so pages are laid out here instead.
 */
import type { TFunction } from 'i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { ledgerColumnShares } from '../../../../db/domain/ledger-layout.js';

export const LEDGER_KINDS = ['rectification', 'supervision', 'summary', 'clues'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export type LedgerData = Awaited<ResultOf<'ledgers:rectification'>> | Awaited<ResultOf<'ledgers:supervision'>>
  | Awaited<ResultOf<'ledgers:summary'>> | Awaited<ResultOf<'ledgers:clues'>>;

export interface SheetColumn {
  key: string;
  /** Share of the table width, per cent. */
  width: number;
  align?: 'center' | 'right';
  /** The cell spans the group's rows. */
  span?: boolean;
}

export interface SheetGroup {
  key: string;
  /** The spanning cells' text, in the order of the span columns; the continuation's text. */
  span: string[];
  spanCont: string[];
  /** Each row's other cells, in the order of the other columns. */
  rows: string[][];
  /** A row set off (合计). */
  total?: boolean;
}

export interface SheetSection {
  key: string;
  /** A line above the section's table on each of its pages (被巡视单位：…), or null. */
  caption: string | null;
  groups: SheetGroup[];
}

export interface SheetDoc {
  kind: LedgerKind;
  title: string;
  /** Under the title on the first page: round, unit, date. */
  meta: string[];
  columns: (SheetColumn & { title: string })[];
  sections: SheetSection[];
  rows: number;
}

const col = (key: string, width: number, o: Partial<SheetColumn> = {}): SheetColumn => ({ key, width, ...o });

const RECTIFICATION_KEYS = ['seq', 'category', 'description', 'measures', 'leader', 'department', 'person', 'deadline', 'progress', 'completion', 'evidence', 'closeout', 'remark'] as const;
const RECTIFICATION_SHARES = ledgerColumnShares('A4');

export const COLUMNS: Record<LedgerKind, SheetColumn[]> = {
  // The statutory columns' shares of the page, as the exported .xlsx has them (db/domain/ledger-layout.ts).
  rectification: RECTIFICATION_KEYS.map((key, i) => col(key, RECTIFICATION_SHARES[i]!, key === 'seq' ? { align: 'center', span: true } : key === 'category' || key === 'description' ? { span: true } : {})),
  supervision: [
    col('seq', 4, { align: 'center' }), col('activityDate', 10), col('activityKind', 10), col('activityTitle', 14), col('unitName', 12),
    col('participants', 9), col('findings', 19), col('linked', 18), col('remark', 4),
  ],
  summary: [
    col('seq', 5, { align: 'center' }), col('unitName', 31), col('problems', 8.5, { align: 'right' }), col('tasks', 9, { align: 'right' }),
    col('completed', 8.5, { align: 'right' }), col('closed', 8.5, { align: 'right' }), col('closeRate', 9, { align: 'right' }),
    col('overdue', 8.5, { align: 'right' }), col('longTermOpen', 12, { align: 'right' }),
  ],
  clues: [
    col('seq', 4, { align: 'center' }), col('subjectName', 6), col('subjectPost', 8), col('unitName', 8), col('summary', 12), col('receivedOn', 10),
    col('receivingOrgan', 8), col('disposition', 7), col('steps', 14), col('outcome', 6), col('money', 7, { align: 'right' }), col('concludedOn', 10),
  ],
};

const n = (x: number) => x.toLocaleString('zh-CN');
const pct = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/** The SheetDoc of an engine answer; `title` as the user named it. */
export function sheetOf(data: LedgerData, title: string, t: TFunction<'ledgers'>): SheetDoc {
  const h = data.head;
  const meta = [
    t('meta.round', { r: h.roundName ?? t('meta.allRounds') }),
    t('meta.unit', { u: h.unitName ?? t('meta.allUnits') }),
    t('meta.date', { d: h.printedOn }),
  ];
  const columns = COLUMNS[data.kind].map((c) => ({ ...c, title: t(`columns.${c.key}`) }));
  const one = (key: string, cells: string[], total = false): SheetGroup => ({ key, span: [], spanCont: [], rows: [cells], total });
  let sections: SheetSection[];
  let rows: number;
  switch (data.kind) {
    case 'rectification':
      sections = data.units.map((u) => ({
        key: u.unitId,
        caption: data.units.length > 1 || !h.unitName ? t('meta.unit', { u: u.unitName }) : null,
        groups: u.problems.map((p) => ({
          key: p.problemId,
          span: [String(p.seq), p.category, p.description],
          spanCont: [`${p.seq}\n${t('contShort')}`, p.category, `${t('cont')}${p.description}`],
          rows: p.tasks.map((x) => x.cells),
        })),
      }));
      rows = data.rows;
      break;
    case 'supervision':
      sections = [{ key: 'all', caption: null, groups: data.rows.map((r, i) => one(r.id, [String(i + 1), r.activityDate, r.kind, r.title, r.unitName, r.participants, r.findings, r.problems, ''])) }];
      rows = data.rows.length;
      break;
    case 'summary': {
      const fig = (r: (typeof data.rows)[number] | typeof data.totals) => [n(r.problems), n(r.tasks), n(r.completed), n(r.closed), pct(r.closeRate), n(r.overdue), n(r.longTermOpen)];
      sections = [{
        key: 'all', caption: null,
        groups: [...data.rows.map((r, i) => one(r.key ?? 'none', [String(i + 1), r.label, ...fig(r)])), one('total', ['', t('total'), ...fig(data.totals)], true)],
      }];
      rows = data.rows.length;
      break;
    }
    case 'clues':
      sections = [{
        key: 'all', caption: null,
        groups: data.rows.map((r, i) => one(r.id, [String(i + 1), r.subjectName, r.subjectPost, r.unitName, r.summary, r.receivedOn, r.receivingOrgan, r.disposition, r.steps, r.outcome, r.money, r.concludedOn])),
      }];
      rows = data.rows.length;
      break;
  }
  return { kind: data.kind, title, meta, columns, sections, rows };
}

/** The default title: the unit's name when one unit is printed, else the office's. */
export function defaultTitle(kind: LedgerKind, who: string, t: TFunction<'ledgers'>): string {
  return t(`titles.${kind}`, { who });
}

// ---------------------------------------------------------------------------------------------
// Pages

/** A slice of a group on one page: rows [from, to); `cont` when the group began on an earlier page. */
export interface Fragment {
  group: SheetGroup;
  from: number;
  to: number;
  cont: boolean;
}
export interface SheetPage {
  section: SheetSection;
  fragments: Fragment[];
  /** Only the signature block (it did not fit under the last table). */
  signsOnly?: boolean;
}

/** Measured heights, in CSS px. */
export interface Measures {
  /** Content box of a page. */
  pageHeight: number;
  /** Title and meta line (first page only), caption line, header row, signature block. */
  top: number;
  caption: number;
  head: number;
  signs: number;
  /** Per group: the span cells' height, as first part and as continuation; each row's height. */
  groups: Map<SheetGroup, { span: number; cont: number; rows: number[] }>;
}

/**
 * Fill pages greedily, cutting a group only between its rows: a fragment takes as many rows as
 * fit with its span cells (a fragment is as tall as the taller of its rows and its span cells);
 * each section starts a page. A row taller than a whole page goes alone on its page.
 */
export function paginate(doc: SheetDoc, m: Measures): SheetPage[] {
  const pages: SheetPage[] = [];
  let first = true;
  for (const section of doc.sections) {
    const cap = section.caption ? m.caption : 0;
    let page: SheetPage = { section, fragments: [] };
    let room = m.pageHeight - (first ? m.top : 0) - cap - m.head;
    first = false;
    const newPage = () => {
      pages.push(page);
      page = { section, fragments: [] };
      room = m.pageHeight - cap - m.head;
    };
    for (const group of section.groups) {
      const g = m.groups.get(group)!;
      let i = 0;
      while (i < group.rows.length) {
        const cont = i > 0;
        const spanH = cont ? g.cont : g.span;
        let sum = 0;
        let j = i;
        while (j < group.rows.length && Math.max(spanH, sum + g.rows[j]!) <= room) sum += g.rows[j++]!;
        if (j === i) {
          if (page.fragments.length > 0) {
            newPage();
            continue;
          }
          sum = g.rows[j++]!; // taller than a page: alone, the print engine cuts it
        }
        page.fragments.push({ group, from: i, to: j, cont });
        room -= Math.max(spanH, sum);
        i = j;
        if (i < group.rows.length) newPage();
      }
    }
    pages.push(page);
    // The signature block follows the last table, or starts a page of its own.
    if (section === doc.sections.at(-1) && room < m.signs) pages.push({ section, fragments: [], signsOnly: true });
  }
  return pages;
}
