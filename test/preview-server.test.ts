import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7Source } from '../db/core/ids.js';
import { TEST_KDF } from '../db/core/keystore.js';
import { LedgerHost } from '../db/session/host.js';
import { fixedClock } from '../db/core/clock.js';
import { startPreviewServer, type PreviewServer } from '../scripts/preview-server.js';

let dir: string;
let host: LedgerHost;
let server: PreviewServer;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    if (o.body) req.write(o.body);
    req.end();
  });
}

async function session(): Promise<string> {
  const r = await http(server.newLoginUrl());
  expect(r.status).toBe(302);
  const c = String(r.headers['set-cookie']);
  expect(c).toMatch(/HttpOnly/);
  expect(c).toMatch(/SameSite=Strict/);
  return c.split(';')[0]!;
}

const invoke = (cookie: string, body: unknown, origin = server.origin) => http(`${server.origin}/api/invoke`, {
  method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xz-preview-'));
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
  const clock = fixedClock('2024-06-15');
  host = new LedgerHost({ path: join(dir, 'ledger.sqlite'), clock, ids: uuidv7Source(() => clock.now()), kdf: TEST_KDF });
  server = await startPreviewServer({ host, staticDir });
});
afterAll(async () => {
  await server.close();
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the loopback preview server', () => {
  it('listens on 127.0.0.1 on a random port', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('turns the one-time token into a session cookie once, and refuses it the second time', async () => {
    const url = server.newLoginUrl();
    expect((await http(url)).status).toBe(302);
    expect((await http(url)).status).toBe(403);
  });

  it('refuses pages and calls without the session cookie', async () => {
    expect((await http(`${server.origin}/`)).status).toBe(403);
    expect((await invoke('xz_preview=forged', { channel: 'ledger:status' })).status).toBe(403);
  });

  it('answers a call from its own origin with the engine envelope', async () => {
    const c = await session();
    const r = await invoke(c, { channel: 'ledger:status' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { state: 'new', problem: null, setUp: false, office: null, today: '2024-06-15', anchor: null, verify: null } });
  });

  it('refuses a call from any other origin, or with no origin, even with a valid cookie', async () => {
    const c = await session();
    expect((await invoke(c, { channel: 'ledger:status' }, 'http://evil.example')).status).toBe(403);
    expect((await invoke(c, { channel: 'ledger:status' }, 'http://localhost:1')).status).toBe(403);
    const noOrigin = await http(`${server.origin}/api/invoke`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/json' }, body: '{}' });
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and paths outside the static folder', async () => {
    const c = await session();
    expect((await http(`${server.origin}/`, { headers: { cookie: c, host: 'attacker.example' } })).status).toBe(403);
    expect((await http(`${server.origin}/../secret.txt`, { headers: { cookie: c } })).body).not.toContain('outside');
    expect((await http(`${server.origin}/%2e%2e/secret.txt`, { headers: { cookie: c } })).status).toBe(404);
  });

  it('serves the page with the app Content-Security-Policy', async () => {
    const c = await session();
    const r = await http(`${server.origin}/`, { headers: { cookie: c } });
    expect(r.status).toBe(200);
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('keeps each browser session\'s log-in apart', async () => {
    const a = await session();
    const b = await session();
    const bad = JSON.parse((await invoke(a, { channel: 'session:login', arg: { username: 'x', password: 'y' } })).body);
    expect(bad.ok).toBe(false);
    expect(JSON.parse((await invoke(b, { channel: 'session:current' })).body)).toEqual({ ok: true, value: null });
  });
});
