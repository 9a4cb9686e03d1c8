/**
 * A report draft (db/domain/report-draft.ts, possibly edited by the user) as a Word document,
 * laid out after GB/T 9704-2012 《党政机关公文格式》:
 * - A4 (210 × 297 mm); 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (5.2.1, 5.2.2);
 * - body in 3号仿宋 (16 pt), 22 lines a page (5.2.3: 一般每面排22行, 每行排28个字), so an exact
 *   line pitch of 225 mm / 22 ≈ 28.95 pt; paragraphs indented two characters;
 * - title in 2号小标宋 (22 pt), centred (7.3.1); 主送机关 flush left under it (7.3.2);
 * - headings: 一级 黑体, 二级 楷体, 三级 仿宋 (7.3.3 结构层次序数 一、（一）1.（1）);
 * - page numbers in the footer, 4号半角宋体 "— 1 —", odd pages right and even pages left, each
 *   one character in from the edge (7.5);
 * - 发文机关署名 and 成文日期 right-aligned, the date starting two characters right of the issuer
 *   (7.3.5.2).
 * Font names are the ones the standard's templates use (仿宋_GB2312, 楷体_GB2312, 方正小标宋简体,
 * 黑体); the font table names their common substitutes (仿宋, 楷体, 宋体) for machines without them.
 *
 * The function takes the draft, not the ledger: what the user edited is what is written.
 */
import { writeFileSync } from 'node:fs';
import {
  AlignmentType, BorderStyle, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, Table, TableCell, TableRow,
  TextRun, VerticalAlignTable, WidthType, type FileChild, type IRunOptions,
} from 'docx';
import type { DraftBlock, ReportDraft } from '../domain/report-draft.js';
import { itemMarker } from '../domain/report-text.js';

/** Font names (w:rFonts) per role. */
export const DOCX_FONTS = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

/** What Word or WPS should use when a font above is not installed (font table w:altName). */
const ALT_NAMES: Record<string, string> = {
  '仿宋_GB2312': '仿宋',
  '楷体_GB2312': '楷体',
  '方正小标宋简体': '宋体',
};

const MM = 56.6929; // twips per millimetre
const twips = (mm: number) => Math.round(mm * MM);
/** Sizes in half-points (w:sz). */
const SIZE = { 二号: 44, 三号: 32, 四号: 28, 小四: 24, 五号: 21 } as const;
/** One character of 三号 (16 pt) in twips: indents are counted in characters. */
const CHAR = 16 * 20;
/** 225 mm / 22 lines. */
const LINE = Math.round((twips(225) / 22));

const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: 'eastAsia' });

/** zh-CN, so that a renderer substituting a missing font picks Simplified Chinese glyphs (not Japanese ones). */
const LANG = { value: 'zh-CN', eastAsia: 'zh-CN' };

function run(text: string, o: IRunOptions = {}): TextRun {
  return new TextRun({ text, font: font(DOCX_FONTS.body), size: SIZE.三号, language: LANG, ...o });
}

function bodyParagraph(text: string, o: { font?: string; bold?: boolean; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: [run(text, { font: font(o.font ?? DOCX_FONTS.body), bold: o.bold })],
    indent: { firstLine: 2 * CHAR },
    keepNext: o.keepNext,
    alignment: AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
  });
}

function blank(): Paragraph {
  return new Paragraph({ children: [run('')], spacing: { line: LINE, lineRule: LineRuleType.EXACT } });
}

/** Width of a text in characters of the body size: CJK and full-width count 1, ASCII ½. */
function charWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

function cellParagraph(text: string, o: { size: number; bold?: boolean; centre?: boolean }): Paragraph[] {
  // A cell may hold several lines (an edited draft): one paragraph each.
  return text.split('\n').map((line) => new Paragraph({
    children: [run(line, { size: o.size, bold: o.bold, font: font(o.bold ? DOCX_FONTS.heading1 : DOCX_FONTS.body) })],
    alignment: o.centre ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { line: Math.round(o.size * 10 * 1.25), lineRule: LineRuleType.AT_LEAST },
  }));
}

function table(b: Extract<DraftBlock, { type: 'table' }>): FileChild[] {
  const width = twips(156);
  const cols = Math.max(1, b.columns.length);
  // A wide table of figures takes 五号; a narrow one 小四 (tables are not bound to the body size).
  const size = cols > 6 ? SIZE.五号 : SIZE.小四;
  // The first column holds names (units, kinds): a unit's name (某某集团有限公司) on one line if it can.
  const shares = b.columns.map((_, k) => (k === 0 && cols > 2 ? 2.6 : 1));
  const total = shares.reduce((a, x) => a + x, 0);
  const widths = shares.map((x) => Math.floor((width * x) / total));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const cell = (text: string, k: number, head: boolean) => new TableCell({
    children: cellParagraph(text, { size, bold: head, centre: head || k > 0 }),
    width: { size: widths[k] ?? widths[0]!, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    borders,
  });
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c, k) => cell(c, k, true)) });
  const rows = b.rows.map((r) => new TableRow({
    cantSplit: true,
    children: b.columns.map((_, k) => cell(r[k] ?? '', k, false)),
  }));
  const caption = new Paragraph({
    children: [run(b.caption, { font: font(DOCX_FONTS.heading1), size: SIZE.四号 })],
    alignment: AlignmentType.CENTER,
    keepNext: true,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
  });
  const out: FileChild[] = [];
  if (b.caption) out.push(caption);
  out.push(new Table({ rows: [header, ...rows], width: { size: width, type: WidthType.DXA }, columnWidths: widths }));
  return out;
}

function blockChildren(b: DraftBlock): FileChild[] {
  switch (b.type) {
    case 'paragraph': return b.text.split('\n').map((t) => bodyParagraph(t));
    case 'subheading': return [bodyParagraph(b.text, { font: DOCX_FONTS.heading2, keepNext: true })];
    case 'list': return b.items.map((it, k) => bodyParagraph(`${itemMarker(k)}${it}`));
    case 'table': return [...table(b), blank()];
  }
}

function pageNumberFooter(align: 'right' | 'left'): Footer {
  const pn = { font: font(DOCX_FONTS.pageNumber), size: SIZE.四号 };
  return new Footer({
    children: [new Paragraph({
      alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
      indent: align === 'right' ? { right: 14 * 20 } : { left: 14 * 20 },
      children: [new TextRun({ text: '— ', ...pn }), new TextRun({ children: [PageNumber.CURRENT], ...pn }), new TextRun({ text: ' —', ...pn })],
    })],
  });
}

/** The draft as a .docx document (bytes). */
export async function draftDocxBytes(draft: ReportDraft): Promise<Buffer> {
  const children: FileChild[] = [];
  if (draft.marking) {
    children.push(new Paragraph({ children: [run(draft.marking, { font: font(DOCX_FONTS.heading1) })], spacing: { line: LINE, lineRule: LineRuleType.EXACT } }));
  }
  children.push(blank());
  for (const line of draft.title.split('\n')) {
    children.push(new Paragraph({
      children: [run(line, { font: font(DOCX_FONTS.title), size: SIZE.二号 })],
      alignment: AlignmentType.CENTER,
      spacing: { line: twips(13), lineRule: LineRuleType.EXACT },
    }));
  }
  children.push(blank());
  if (draft.addressee) {
    children.push(new Paragraph({ children: [run(draft.addressee)], spacing: { line: LINE, lineRule: LineRuleType.EXACT } }));
  }
  for (const sec of draft.sections) {
    if (sec.heading) children.push(new Paragraph({ ...headingProps(), children: [run(sec.heading, { font: font(DOCX_FONTS.heading1) })] }));
    for (const b of sec.blocks) children.push(...blockChildren(b));
  }
  // 署名 and 成文日期 (GB/T 9704 7.3.5.2): the issuer two characters in from the right, the date
  // starting two characters to the right of the issuer's first character.
  const { issuer, date } = draft.signature;
  if (issuer || date) {
    children.push(blank());
    const issuerRight = 2;
    const issuerStart = issuerRight + charWidth(issuer);
    const dateRight = Math.max(0, issuerStart - 2 - charWidth(date));
    if (issuer) children.push(new Paragraph({ children: [run(issuer)], alignment: AlignmentType.RIGHT, indent: { right: Math.round(issuerRight * CHAR) }, spacing: { line: LINE, lineRule: LineRuleType.EXACT } }));
    if (date) children.push(new Paragraph({ children: [run(date)], alignment: AlignmentType.RIGHT, indent: { right: Math.round(dateRight * CHAR) }, spacing: { line: LINE, lineRule: LineRuleType.EXACT } }));
  }

  const doc = new Document({
    title: draft.title,
    creator: '巡视整改监督台账',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(DOCX_FONTS.body), size: SIZE.三号, language: LANG },
          paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT } },
        },
      },
    },
    sections: [{
      properties: {
        page: {
          size: { width: 11906, height: 16838 },
          margin: { top: twips(37), bottom: twips(35), left: twips(28), right: twips(26), header: twips(15), footer: twips(22) },
        },
      },
      footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
      children,
    }],
  });
  const bytes = await Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
  return bytes;
}

function headingProps() {
  return { indent: { firstLine: 2 * CHAR }, keepNext: true, spacing: { line: LINE, lineRule: LineRuleType.EXACT } };
}

/** The font table, naming a substitute (w:altName) for each official-document font. */
function fontTableXml(): string {
  const names = [...new Set(Object.values(DOCX_FONTS))];
  const fontXml = names.map((name) => `<w:font w:name="${name}">${ALT_NAMES[name] ? `<w:altName w:val="${ALT_NAMES[name]}"/>` : ''}<w:charset w:val="86"/><w:family w:val="${name === '黑体' || name === '宋体' ? 'auto' : 'modern'}"/><w:pitch w:val="fixed"/></w:font>`).join('');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    + '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + `${fontXml}<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>`;
}

/** Write the draft to `path` as .docx; returns the bytes written. */
export async function writeDraftDocx(draft: ReportDraft, path: string): Promise<number> {
  const bytes = await draftDocxBytes(draft);
  writeFileSync(path, bytes);
  return bytes.length;
}
