import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestTransport, sessionContext, type Session, type TestTransport } from '../db/bridge/dispatch.js';
import { makeHandlers } from '../db/bridge/handlers.js';
import { auditCount } from './helpers/expect.js';
import { makeTestLedger, PASSWORD, type TestLedger } from './helpers/ledger.js';
import { stage } from './helpers/workflow.js';

let t: TestLedger;
let session: Session;
let api: TestTransport;

beforeEach(() => {
  t = makeTestLedger({ today: '2024-03-15' });
  session = { user: null };
  const base = { ledger: t.ledger, clock: t.clock, ids: t.as(null).ids };
  api = createTestTransport(makeHandlers(session), sessionContext(base, session));
});
afterEach(() => t.close());

describe('the typed contract over the test transport', () => {
  it('declares every channel as <domain>:<verb> with an argument schema bound to its handler', () => {
    const handlers = makeHandlers({ user: null });
    for (const [channel, h] of Object.entries(handlers)) {
      expect(channel).toMatch(/^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/);
      expect(typeof h).toBe('function');
    }
    expect(Object.keys(handlers).length).toBeGreaterThan(150);
  });

  it('carries a call to the engine and its result back, as the logged-in user', async () => {
    const s = stage(t);
    expect(await api.invoke('session:login', { username: 'luru1', password: PASSWORD })).toMatchObject({ ok: true, value: { role: 'entry' } });
    const created = await api.invoke('problems:create', {
      inspectionId: s.inspection.id, categoryId: s.cat, description: '违规发放津贴补贴问题。',
    });
    expect(created.ok).toBe(true);
    const id = (created as { value: { id: string } }).value.id;
    const got = await api.invoke('problems:get', { id });
    expect(got).toMatchObject({ ok: true, value: { id, description: '违规发放津贴补贴问题。', createdBy: t.users.entry.id } });
  });

  it('returns a domain error as {code, message, field} and changes nothing', async () => {
    await api.invoke('session:login', { username: 'luru1', password: PASSWORD });
    const before = auditCount(t);
    const r = await api.invoke('tasks:create', { problemId: 'nope', measures: '', term: 'x', deadline: '2024-02-30' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.field).toBe('problemId');
    expect(typeof r.error.message).toBe('string');
    expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(auditCount(t)).toBe(before);
  });

  it('refuses calls before log-in and clues to a user without the clue right', async () => {
    expect(await api.invoke('rounds:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await api.invoke('session:login', { username: 'luru1', password: PASSWORD });
    expect(await api.invoke('clues:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await api.invoke('session:logout');
    await api.invoke('session:login', { username: 'shenhe1', password: PASSWORD });
    expect(await api.invoke('clues:list', {})).toMatchObject({ ok: true });
  });

  it('refuses an unknown channel with UNAVAILABLE', async () => {
    expect(await api.invoke('db:exec', { sql: 'DROP TABLE tasks' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await api.invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('reports the session user with the rights the UI may show', async () => {
    await api.invoke('session:login', { username: 'chakan1', password: PASSWORD });
    const cur = await api.invoke('session:current');
    expect(cur).toMatchObject({ ok: true, value: { role: 'readonly' } });
    const perms = (cur as { value: { permissions: string[] } }).value.permissions;
    expect(perms).toContain('ledger.read');
    expect(perms).not.toContain('ledger.write');
    expect(perms).not.toContain('clue.read');
  });
});
