/**
 * The browser harness's exchange-file routes (scripts/preview-server.ts, harness only): a picked
 * package is uploaded into the ledger's 交换包/收到 folder and its path comes back; a written file
 * is downloaded from the exchange folder and from nowhere else. Both need a logged-in session with
 * the exchange right, the upload also this server's Origin; a body over the limit is refused and
 * leaves no file behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVED_SUBDIR, exchangeDirOf } from '../db/bridge/exchange-calls.js';
import { fixedClock } from '../db/core/clock.js';
import { uuidv7Source } from '../db/core/ids.js';
import { TEST_KDF } from '../db/core/keystore.js';
import { createUser } from '../db/services/office.js';
import { LedgerHost, type Session } from '../db/session/host.js';
import { startPreviewServer, type PreviewServer } from '../scripts/preview-server.js';

const PW = 'jiaohuan-mima-2024';
let dir: string;
let host: LedgerHost;
let server: PreviewServer;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function http(url: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', fail);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

async function loggedIn(username: string): Promise<string> {
  const r = await http(server.newLoginUrl());
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  const login = await http(`${server.origin}/api/invoke`, {
    method: 'POST', headers: { cookie, origin: server.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'session:login', arg: { username, password: PW } }),
  });
  expect(JSON.parse(login.body.toString()).ok).toBe(true);
  return cookie;
}

const upload = (cookie: string, name: string, body: Buffer, origin = server.origin) => http(`${server.origin}/api/upload?name=${encodeURIComponent(name)}`, {
  method: 'POST', headers: { cookie, origin, 'content-type': 'application/octet-stream', 'content-length': String(body.length) }, body,
});
const received = () => join(exchangeDirOf(host.path), RECEIVED_SUBDIR);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-pxf-'));
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the exchange folder');
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now()), kdf: TEST_KDF, closeWhenIdle: false });
  const own: Session = { user: null };
  host.setup(own, { officeName: '某省委组织部', officeKind: 'organisation', level: 'province', adminUsername: 'admin', adminDisplayName: '王某', adminPassword: PW });
  createUser(host.engineContext(own.user), { username: 'luru', displayName: '李某', role: 'entry', canViewClues: false, password: PW });
  host.committed();
  server = await startPreviewServer({ host, staticDir: join(dir, 'static'), maxUploadBytes: 1024 });
});
afterAll(async () => {
  await server.close();
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('harness exchange files', () => {
  it('stores an upload under 交换包/收到 with its own name (no path parts) and returns where', async () => {
    const c = await loggedIn('admin');
    const bytes = Buffer.from('XZPKG\n…package bytes…');
    const r = await upload(c, '../../某省委巡视办-交换包-2024-06-14-1.xzpkg', bytes);
    expect(r.status).toBe(200);
    const v = JSON.parse(r.body.toString()) as { ok: true; value: { path: string; fileName: string; bytes: number } };
    expect(v.value).toMatchObject({ fileName: '某省委巡视办-交换包-2024-06-14-1.xzpkg', bytes: bytes.length });
    expect(v.value.path.startsWith(received())).toBe(true);
    expect(readFileSync(v.value.path)).toEqual(bytes);

    // …and downloads it back, by path, with its name.
    const d = await http(`${server.origin}/api/file?path=${encodeURIComponent(v.value.path)}`, { headers: { cookie: c } });
    expect(d.status).toBe(200);
    expect(d.body).toEqual(bytes);
    expect(String(d.headers['content-disposition'])).toContain(encodeURIComponent('某省委巡视办-交换包-2024-06-14-1.xzpkg'));
  });

  it('downloads nothing outside the exchange folder', async () => {
    const c = await loggedIn('admin');
    for (const p of [join(dir, 'secret.txt'), join(exchangeDirOf(host.path), '..', 'secret.txt'), host.path, exchangeDirOf(host.path)]) {
      const d = await http(`${server.origin}/api/file?path=${encodeURIComponent(p)}`, { headers: { cookie: c } });
      expect(d.status, p).toBe(404);
      expect(d.body.toString()).not.toContain('outside');
    }
  });

  it('refuses without the exchange right, without a log-in, from another origin, and over the size limit (leaving nothing)', async () => {
    const before = readdirSync(received()).length;
    const clerk = await loggedIn('luru');
    const r = await upload(clerk, 'a.xzpkg', Buffer.from('x'));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body.toString())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'exchange.run' } });
    const anon = String((await http(server.newLoginUrl())).headers['set-cookie']).split(';')[0]!;
    expect((await upload(anon, 'a.xzpkg', Buffer.from('x'))).status).toBe(403);
    const c = await loggedIn('admin');
    expect((await upload(c, 'a.xzpkg', Buffer.from('x'), 'http://evil.example')).status).toBe(403);
    const big = await upload(c, 'big.xzpkg', Buffer.alloc(2048, 1));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toMatchObject({ ok: false, error: { reason: 'upload_too_large' } });
    expect((await http(`${server.origin}/api/file?path=x`, { headers: { cookie: clerk } })).status).toBe(403);
    expect(readdirSync(received()).length).toBe(before);
  });
});
