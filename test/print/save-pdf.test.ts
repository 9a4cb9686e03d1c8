/**
 * 另存为PDF over the bridge (files:savePdf): the desktop shell renders the page as Chromium prints
 * it (Electron's webContents.printToPDF, which cannot run here, is given as a stand-in returning a
 * minimal PDF; what Chromium's print engine makes of the pages is tested with page.pdf in the
 * browser tests) and the file goes where the save dialog says, whole; a render that is not a PDF is refused and
 * leaves nothing; a cancelled dialog writes nothing; without the shell's renderer the call is
 * refused with no_print_to_pdf, which the screens answer by opening the print dialog.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type BridgeResult } from '../../db/bridge/dispatch.js';
import { makeHandlers, type ShellHooks } from '../../db/bridge/handlers.js';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF } from '../../db/core/keystore.js';
import { LedgerHost, type Session } from '../../db/session/host.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
let dir: string;
let host: LedgerHost;
const session: Session = { user: null };

const invoke = (shell: ShellHooks, channel: string, arg?: unknown): Promise<BridgeResult> =>
  dispatch(makeHandlers(session, { host: () => host, ...shell }), channel, arg, () => host.context(session));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-save-pdf-'));
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now(), seededRandom(3)), kdf: TEST_KDF, closeWhenIdle: false });
  host.setup(session, { officeName: '某某集团巡视整改办公室', officeKind: 'inspected_unit', level: 'city', adminUsername: 'admin', adminDisplayName: '王某某', adminPassword: 'daochu-mima-2024' });
});
afterAll(() => {
  host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('另存为PDF', () => {
  it('saves what the shell rendered where the dialog says, whole', async () => {
    const asked: string[] = [];
    const target = join(dir, '某某集团巡视整改台账.pdf');
    const r = await invoke({ printToPdf: async () => PDF, chooseSavePath: async (kind, name) => { asked.push(`${kind}:${name}`); return target; } }, 'files:savePdf', { name: '某某集团巡视整改台账' });
    expect(r).toMatchObject({ ok: true, value: { path: target, fileName: '某某集团巡视整改台账.pdf', bytes: PDF.length, download: false } });
    expect(asked).toEqual(['pdf:某某集团巡视整改台账.pdf']);
    expect(readFileSync(target)).toEqual(PDF);
    expect(existsSync(`${target}.partial`)).toBe(false);
  });

  it('refuses a render that is not a PDF and leaves nothing; a cancelled dialog writes nothing', async () => {
    const target = join(dir, 'bad.pdf');
    const r = await invoke({ printToPdf: async () => Buffer.from('<html>not a pdf</html>'), chooseSavePath: async () => target }, 'files:savePdf', { name: 'bad' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CORRUPT', reason: 'not_pdf' } });
    expect(readdirSync(dir).filter((n) => n.startsWith('bad'))).toEqual([]);
    let rendered = 0;
    const c = await invoke({ printToPdf: async () => { rendered++; return PDF; }, chooseSavePath: async () => null }, 'files:savePdf', { name: 'x' });
    expect(c).toEqual({ ok: true, value: null });
    expect(rendered).toBe(0);
  });

  it('without the shell\'s renderer: refused with no_print_to_pdf (the screen opens the print dialog)', async () => {
    const r = await invoke({}, 'files:savePdf', { name: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', reason: 'no_print_to_pdf' } });
    expect((r as { error: { message: string } }).error.message).toContain('另存为PDF');
  });
});
