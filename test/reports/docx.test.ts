/**
 * The .docx writer (db/reports/docx.ts) on a draft filled from a real ledger and then edited:
 * the package's XML (text, fonts, A4 page, footer page field), and LibreOffice's reading of it
 * (headless conversion to PDF, text extracted with pdftotext, page 1 rendered to PNG for a look).
 * One LibreOffice conversion for the whole file (it takes seconds to start).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDraft } from '../../db/domain/report-draft.js';
import { buildDraft, type DraftResult } from '../../db/reports/drafts.js';
import { writeDraftDocx } from '../../db/reports/docx.js';
import { makeReportWorld } from './report-world.js';
import { unzipEntries } from './zip.js';

const EDITED_TITLE = '某某集团有限公司等单位关于某省委第一轮巡视反馈意见集中整改进展情况的报告（送审稿）';

let dir: string;
let result: DraftResult;
let edited: ReportDraft;
let path: string;
let written: number;
let parts: Map<string, Buffer>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-docx-'));
  const w = makeReportWorld();
  try {
    result = buildDraft(w.t.as(w.t.users.readonly), { kind: 'progress', roundId: w.round.id });
  } finally {
    w.t.close();
  }
  // What the user edited is what is written: a new title and an added paragraph.
  edited = {
    ...result.draft,
    title: EDITED_TITLE,
    sections: result.draft.sections.map((s, k) => (k === 0 ? { ...s, blocks: [...s.blocks, { type: 'paragraph', text: '此段为用户补充的内容。' }] } : s)),
  };
  path = join(dir, '进展情况报告.docx');
  written = await writeDraftDocx(edited, path);
  parts = unzipEntries(readFileSync(path));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xml = (name: string) => parts.get(name)?.toString('utf8') ?? '';
/** The text of the runs of a WordprocessingML part, in order. */
const textOf = (x: string) => [...x.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe('writeDraftDocx', () => {
  it('writes the file and returns its size', () => {
    expect(written).toBe(statSync(path).size);
    expect(written).toBeGreaterThan(5000);
  });

  it('holds the edited draft’s text and the figures of the aggregates in a table', () => {
    const doc = xml('word/document.xml');
    const text = textOf(doc);
    expect(text).toContain(EDITED_TITLE);
    expect(text).toContain('此段为用户补充的内容。');
    expect(text).toContain('一、整改工作总体情况');
    expect(text).toContain('销号率25%');
    expect(doc).toContain('<w:tbl>');
    expect(doc).toContain('<w:tblHeader/>');
    const f = result.facts.figures;
    expect(text).toContain(`合计${f.problems}${f.tasks}${f.completed}${f.tasks - f.completed}${f.overdue}${f.closed}25%${f.longTermOpen}`);
  });

  it('sets the official-document fonts: 仿宋 body, 小标宋 title, 黑体 and 楷体 headings, 三号 and 二号', () => {
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/<w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/);
    expect(doc).toMatch(/<w:rFonts [^>]*w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>/);
    expect(doc).toMatch(/<w:rFonts [^>]*w:eastAsia="黑体"/);
    expect(doc).toMatch(/<w:rFonts [^>]*w:eastAsia="楷体_GB2312"/);
    expect(doc).toContain('<w:sz w:val="32"/>');
    expect(xml('word/styles.xml')).toMatch(/<w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/);
    // A machine without the GB2312 fonts is told their usual substitutes.
    expect(xml('word/fontTable.xml')).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
  });

  it('lays the page out on A4 with the GB/T 9704 margins, and numbers pages in the footer as — N —', () => {
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(doc).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    const footers = [...parts.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map(xml);
    expect(footers).toHaveLength(2); // odd pages right, even pages left
    for (const f of footers) {
      expect(f).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>|<w:fldSimple w:instr="\s*PAGE/);
      expect(textOf(f)).toBe('—  —');
    }
    expect(xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
  });

  it('opens in LibreOffice: converts to an A4 PDF whose text has the title, figures and page numbers', () => {
    const out = join(dir, 'pdf');
    try {
      execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, path], { stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      throw new Error(`LibreOffice could not convert the .docx (soffice with Writer: Debian package libreoffice-writer-nogui): ${String(e)}`);
    }
    const pdf = join(out, '进展情况报告.pdf');
    expect(existsSync(pdf), 'no PDF: LibreOffice Writer (libreoffice-writer-nogui) is needed to read .docx').toBe(true);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    // LibreOffice spaces Latin digits from CJK text (autospace), and wraps lines: compare without white space.
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(EDITED_TITLE);
    expect(text).toContain('共有反馈问题5个，制定整改任务8项，已完成4项，尚未完成4项（其中逾期3项）；已销号2项，销号率25%');
    expect(text).toContain('合计58443225%1');
    for (let k = 1; k <= pages; k++) expect(text).toContain(`—${k}—`);
    // Page 1 as a picture, to be looked at when the layout changes (kept in the temp folder only).
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(out, 'page')]);
    const png = [join(out, 'page-1.png'), join(out, 'page-01.png')].find(existsSync);
    expect(png).toBeDefined();
    expect(statSync(png!).size).toBeGreaterThan(10_000);
  });
});
