/**
 * reports:saveDocx over the bridge (db/bridge/report-calls.ts) on a ledger file held by a ledger
 * host, as the app and the browser harness run it: the draft reports:draft filled, edited as the
 * screen edits it, comes back as a .docx holding the edited text, in the 导出 folder for the page to
 * download (or where the save dialog said, or nowhere when it was cancelled). A malformed draft is
 * refused VALIDATION with the field and a reason, and nothing is written; an engine-only transport
 * refuses the channel; the right is checked before the argument.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTransport, dispatch, type BridgeResult } from '../../db/bridge/dispatch.js';
import { exportsDirOf, type SavedFile } from '../../db/bridge/file-calls.js';
import { makeHandlers, type ShellHooks } from '../../db/bridge/handlers.js';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import type { ReportDraft } from '../../db/domain/report-draft.js';
import { formatPercent } from '../../db/domain/report-text.js';
import type { DraftResult } from '../../db/reports/drafts.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { unzipEntries } from './zip.js';

const PW = 'baogao-mima-2024';
const EDITED_TITLE = '某某集团有限公司巡视整改进展情况（修改稿）';
const EDITED_PARAGRAPH = '此段由用户在文稿中改写：已召开专题会议逐项研究整改措施。';

let dir: string;
let host: LedgerHost;
const session: Session = { user: null };
let roundId: string;

const invoke = (shell: ShellHooks, channel: string, arg?: unknown): Promise<BridgeResult> =>
  dispatch(makeHandlers(session, { host: () => host, ...shell }), channel, arg, () => host.context(session), {
    onCommit: () => host.committed(), onRollback: () => host.discarded(),
  });
const value = <T>(r: BridgeResult): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
/** The text of the runs of word/document.xml, in order. */
const docText = (path: string) => [...(unzipEntries(readFileSync(path)).get('word/document.xml')?.toString('utf8') ?? '')
  .matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-report-save-'));
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now(), seededRandom(7)), kdf: TEST_KDF, closeWhenIdle: false });
  host.setup(session, { officeName: '某某集团巡视整改办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: PW });
  const ctx = host.context(session);
  const round = fxRound(ctx);
  roundId = round.id;
  const unit = fxUnit(ctx);
  fxInspection(ctx, { roundId, unitId: unit.id });
  const p = fxProblem(ctx, { unitId: unit.id, roundId, categoryId: categoryId(ctx, '基层党组织建设') });
  fxTask(ctx, { problemId: p.id, unitId: unit.id, roundId, completedOn: '2024-04-10', status: 'closed' });
  fxTask(ctx, { problemId: p.id, unitId: unit.id, roundId, seq: 2, deadline: '2024-05-31' });
});
afterAll(() => {
  host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The progress draft of the round, with the title and its first paragraph edited as on the screen. */
async function editedDraft(): Promise<{ result: DraftResult; draft: ReportDraft; original: string }> {
  const result = value<DraftResult>(await invoke({}, 'reports:draft', { kind: 'progress', roundId }));
  let original = '';
  let done = false;
  const draft: ReportDraft = {
    ...result.draft,
    title: EDITED_TITLE,
    sections: result.draft.sections.map((s) => ({
      ...s,
      blocks: s.blocks.map((b) => {
        if (done || b.type !== 'paragraph') return b;
        done = true;
        original = b.text;
        return { type: 'paragraph' as const, text: EDITED_PARAGRAPH };
      }),
    })),
  };
  return { result, draft, original };
}

const exported = () => (existsSync(exportsDirOf(host.path)) ? readdirSync(exportsDirOf(host.path)) : []);

describe('reports:saveDocx', () => {
  it('writes the edited draft as .docx into the 导出 folder for the page to download', async () => {
    const { result, draft, original } = await editedDraft();
    expect(original.length).toBeGreaterThan(10);
    const saved = value<SavedFile>(await invoke({}, 'reports:saveDocx', { draft, name: '集中整改进展情况报告' }));
    expect(saved.download).toBe(true);
    expect(saved.fileName).toBe('集中整改进展情况报告.docx');
    expect(saved.path.startsWith(exportsDirOf(host.path))).toBe(true);
    expect(saved.bytes).toBe(readFileSync(saved.path).length);
    const text = docText(saved.path);
    expect(text).toContain(EDITED_TITLE);
    expect(text).toContain(EDITED_PARAGRAPH);
    expect(text).not.toContain(result.draft.title);
    expect(text).not.toContain(original);
    // The figures the engine counted are in the document's table: 1 problem, 2 tasks, 1 completed.
    expect(result.facts.figures).toMatchObject({ problems: 1, tasks: 2, completed: 1, closed: 1 });
    expect(text).toContain(`销号率${formatPercent(result.facts.figures.closeRate)}`);
    // No .partial left behind; a second save takes a fresh name.
    const again = value<SavedFile>(await invoke({}, 'reports:saveDocx', { draft, name: '集中整改进展情况报告.docx' }));
    expect(again.fileName).toBe('集中整改进展情况报告(2).docx');
    expect(exported().filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('keeps a file name with folders or forbidden characters inside the 导出 folder', async () => {
    const { draft } = await editedDraft();
    const saved = value<SavedFile>(await invoke({}, 'reports:saveDocx', { draft, name: '../../报告:草稿?' }));
    expect(saved.path.startsWith(exportsDirOf(host.path))).toBe(true);
    expect(saved.fileName).not.toMatch(/[/\\:?]/);
  });

  it('writes where the save dialog says, and nothing when it is cancelled', async () => {
    const { draft } = await editedDraft();
    const chosen = join(dir, '选定位置.docx');
    const asked: string[] = [];
    const to = value<SavedFile>(await invoke({ chooseSavePath: async (kind, name) => { asked.push(`${kind}:${name}`); return chosen; } }, 'reports:saveDocx', { draft, name: '整改情况公开' }));
    expect(asked).toEqual(['docx:整改情况公开.docx']);
    expect(to).toMatchObject({ path: chosen, download: false });
    expect(docText(chosen)).toContain(EDITED_TITLE);
    const before = exported();
    expect(await invoke({ chooseSavePath: async () => null }, 'reports:saveDocx', { draft, name: '取消' })).toEqual({ ok: true, value: null });
    expect(exported()).toEqual(before);
  });

  it('refuses a malformed draft with VALIDATION, the field and a reason, and writes nothing', async () => {
    const { draft } = await editedDraft();
    const before = exported();
    const para = (b: unknown) => ({ ...draft, sections: [{ heading: '一、总体情况', blocks: [b] }] });
    const cases: [unknown, { field: string; reason: string; message: RegExp }][] = [
      [para({ type: 'paragraph', text: 42 }), { field: 'draft.sections[0].blocks[0].text', reason: 'type', message: /应为文字/ }],
      [para({ type: 'image', src: 'x.png' }), { field: 'draft.sections[0].blocks[0].type', reason: 'type', message: /文稿内容格式不正确/ }],
      [para({ type: 'paragraph', text: 'x', html: '<b>x</b>' }), { field: 'draft.sections[0].blocks[0].html', reason: 'type', message: /文稿内容格式不正确/ }],
      [para({ type: 'table', caption: '表1', columns: [], rows: [] }), { field: 'draft.sections[0].blocks[0].columns', reason: 'required', message: /至少应有一列/ }],
      [{ ...draft, kind: 'minutes' }, { field: 'draft.kind', reason: 'bad_choice', message: /报告类型不正确/ }],
      [{ ...draft, title: '标'.repeat(501) }, { field: 'draft.title', reason: 'too_long', message: /不能超过500个字/ }],
    ];
    for (const [bad, want] of cases) {
      const r = await invoke({}, 'reports:saveDocx', { draft: bad, name: '坏文稿' });
      expect(r.ok, JSON.stringify(want)).toBe(false);
      if (r.ok) continue;
      expect(r.error).toMatchObject({ code: 'VALIDATION', field: want.field, reason: want.reason });
      expect(r.error.message).toMatch(want.message);
      // zh-CN, not valibot's English default
      expect(r.error.message).not.toMatch(/Invalid|Expected/);
    }
    expect(await invoke({}, 'reports:saveDocx', { name: '无文稿' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'draft' } });
    expect(exported()).toEqual(before);
  });

  it('is refused on an engine-only transport (no files there), and to nobody before the argument is read', async () => {
    const api = createTestTransport(makeHandlers({ user: null }), () => host.context(session));
    expect(await api.invoke('reports:saveDocx', { draft: {}, name: 'x' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const nobody: Session = { user: null };
    const r = await dispatch(makeHandlers(nobody, { host: () => host }), 'reports:saveDocx', { draft: 'not a draft', name: 'x' }, () => host.context(nobody));
    expect(r.ok).toBe(false);
    expect((r as { error: { code: string } }).error.code).not.toBe('VALIDATION');
  });
});
