/**
 * A report draft (报告文稿) as the engine fills it from the ledger (db/reports/drafts.ts) and as
 * the user edits it before export: plain text only, in sections of paragraphs, second-level
 * headings, numbered lists and tables. The .docx writer (db/reports/docx.ts) and the screen both
 * render this structure, so it carries no styling: headings carry their own numbers as text
 * (一、…, （一）…), list items do not (the renderers number them with report-text.ts itemMarker).
 *
 * `schema` validates an edited draft coming back from the UI (for the save-as-.docx call).
 */
import * as v from 'valibot';
import { itemMarker } from './report-text.js';

export const DRAFT_KINDS = ['progress', 'supervision', 'disclosure'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** What each kind is called (REPORT_KINDS labels where the kinds coincide). */
export const DRAFT_KIND_LABELS: Record<DraftKind, string> = {
  progress: '集中整改进展情况报告',
  supervision: '纪检监察机关整改监督情况报告',
  disclosure: '整改情况公开',
};

export type DraftBlock =
  | { type: 'paragraph'; text: string }
  /** A second-level heading inside a section: （一）… in 楷体 (GB/T 9704). */
  | { type: 'subheading'; text: string }
  /** Numbered items 1. 2. …; the numbers are not part of the text. */
  | { type: 'list'; items: string[] }
  /** A table of figures: every cell is text already formatted (report-text.ts). */
  | { type: 'table'; caption: string; columns: string[]; rows: string[][] };

export interface DraftSection {
  /** A first-level heading with its number: '一、整改工作总体情况' (黑体). */
  heading: string;
  blocks: DraftBlock[];
}

export interface ReportDraft {
  kind: DraftKind;
  title: string;
  /** 主送机关 with its colon, or '' when the kind has none (a public disclosure). */
  addressee: string;
  /** A marking printed above the title (e.g. 内部资料 注意保存), or ''. */
  marking: string;
  sections: DraftSection[];
  /** 发文机关署名 and 成文日期 (already written out: 2024年6月15日). */
  signature: { issuer: string; date: string };
}

const s = (max: number) => v.pipe(v.string('应为文字。'), v.maxLength(max, `不能超过${max}个字。`));
const TEXT = 20000;
/** An object of the draft: a key it does not know is refused in words (not valibot's English). */
const obj = <E extends v.ObjectEntries>(entries: E) => v.strictObject(entries, '文稿内容格式不正确。');
/** A list of at most `max` items (and at least `min`), refused in words. */
const list = <S extends v.GenericSchema>(item: S, max: number, min = 0) => v.pipe(
  v.array(item, '文稿内容格式不正确。'),
  v.minLength(min, '表格至少应有一列。'),
  v.maxLength(max, `不能超过${max}项。`),
);

const block = v.variant('type', [
  obj({ type: v.literal('paragraph'), text: s(TEXT) }),
  obj({ type: v.literal('subheading'), text: s(1000) }),
  obj({ type: v.literal('list'), items: list(s(TEXT), 5000) }),
  obj({
    type: v.literal('table'), caption: s(1000),
    columns: list(s(200), 30, 1),
    rows: list(list(s(4000), 30), 10000),
  }),
], '文稿内容格式不正确。');

/** An edited draft as the UI sends it back. */
export const draftSchema = obj({
  kind: v.picklist(DRAFT_KINDS, '报告类型不正确。'),
  title: s(500),
  addressee: s(500),
  marking: s(200),
  sections: list(obj({ heading: s(1000), blocks: list(block, 5000) }), 200),
  signature: obj({ issuer: s(500), date: s(100) }),
});

/** Every text of a draft in reading order, one line each (searching, tests, a plain-text export). */
export function draftText(d: ReportDraft): string {
  const out: string[] = [];
  if (d.marking) out.push(d.marking);
  out.push(d.title);
  if (d.addressee) out.push(d.addressee);
  for (const sec of d.sections) {
    out.push(sec.heading);
    for (const b of sec.blocks) {
      if (b.type === 'paragraph' || b.type === 'subheading') out.push(b.text);
      else if (b.type === 'list') b.items.forEach((it, k) => out.push(`${itemMarker(k)}${it}`));
      else {
        out.push(b.caption, b.columns.join('\t'));
        for (const r of b.rows) out.push(r.join('\t'));
      }
    }
  }
  out.push(d.signature.issuer, d.signature.date);
  return out.join('\n');
}
