import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeLogger, Handlers, Session } from '../db/bridge/dispatch.js';
import { createTestTransport, dispatch, sessionContext, UNEXPECTED_MESSAGE } from '../db/bridge/dispatch.js';
import type { ServiceContext } from '../db/core/context.js';
import { createUser, listUsers, login } from '../db/services/office.js';
import { makeTestLedger, PASSWORD, type TestLedger } from './helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

const count = (sql: string) => (t.ledger.sqlite.prepare(sql).get() as { n: number }).n;

function recordingLogger(): BridgeLogger & { calls: unknown[] } {
  const calls: unknown[] = [];
  return { calls, error: (_m, detail) => calls.push(detail) };
}

/** A tiny handler map over the real office services (the real contract map comes later). */
const officeHandlers: Handlers = {
  'users:list': (ctx) => listUsers(ctx),
  'users:create': (ctx, arg) => createUser(ctx, arg),
};

describe('dispatch over the test transport', () => {
  it('reaches the engine and returns its result as JSON', async () => {
    t = makeTestLedger();
    const api = createTestTransport(officeHandlers, () => t.as(t.users.admin));
    const r = await api.invoke('users:list');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const names = (r.value as { username: string }[]).map((u) => u.username);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('admin');
    expect(names).toHaveLength(count('SELECT count(*) n FROM users WHERE deleted_at IS NULL'));
  });

  it('writes through the engine when the call succeeds', async () => {
    t = makeTestLedger();
    const api = createTestTransport(officeHandlers, () => t.as(t.users.admin));
    const before = count('SELECT count(*) n FROM users');
    const r = await api.invoke('users:create', {
      username: 'luru3', displayName: '吴某某', role: 'entry', canViewClues: false, password: PASSWORD,
    });
    expect(r).toMatchObject({ ok: true, value: { username: 'luru3', role: 'entry', active: true } });
    expect(count('SELECT count(*) n FROM users')).toBe(before + 1);
  });

  it('carries a validation error across as code, zh-CN message and field', async () => {
    t = makeTestLedger();
    const api = createTestTransport(officeHandlers, () => t.as(t.users.admin));
    const r = await api.invoke('users:create', {
      username: '?', displayName: '吴某某', role: 'entry', canViewClues: false, password: PASSWORD,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.field).toBe('username');
    expect(r.error.message).toMatch(/用户名/);
  });

  it('carries a permission refusal across with its reason', async () => {
    t = makeTestLedger();
    const api = createTestTransport(officeHandlers, () => t.as(t.users.entry));
    const r = await api.invoke('users:create', {
      username: 'luru3', displayName: '吴某某', role: 'entry', canViewClues: false, password: PASSWORD,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'users.manage' } });
  });

  it('refuses a channel the handler map does not declare, and names inherited from Object', async () => {
    t = makeTestLedger();
    const api = createTestTransport({ 'users:list': officeHandlers['users:list']! }, () => t.as(t.users.admin));
    for (const channel of ['users:create', 'nothing:here', 'toString', '__proto__', 'constructor']) {
      const r = await api.invoke(channel, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
    expect(count("SELECT count(*) n FROM users WHERE username = 'luru3'")).toBe(0);
  });

  it('refuses a name that only Object provides', async () => {
    t = makeTestLedger();
    const r = await dispatch(officeHandlers, 'hasOwnProperty', {}, () => t.as(t.users.admin));
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('hides an unexpected error behind a generic message and logs the original', async () => {
    t = makeTestLedger();
    const logger = recordingLogger();
    const boom: Handlers = {
      'x:boom': () => {
        throw new TypeError('secret internal detail at /home/user/ledger.ts:42');
      },
    };
    const r = await createTestTransport(boom, () => t.as(t.users.admin), { logger }).invoke('x:boom');
    expect(r).toEqual({ ok: false, error: { code: 'CORRUPT', message: UNEXPECTED_MESSAGE } });
    expect(JSON.stringify(r)).not.toMatch(/secret|ledger\.ts|TypeError/);
    expect(logger.calls).toHaveLength(1);
    expect(String(logger.calls[0])).toMatch(/secret internal detail/);
  });

  it('turns a failure in the context factory into an error result instead of a rejection', async () => {
    const logger = recordingLogger();
    const r = await dispatch(officeHandlers, 'users:list', undefined, () => {
      throw new Error('ledger closed');
    }, { logger });
    expect(r).toMatchObject({ ok: false, error: { code: 'CORRUPT' } });
    expect(logger.calls).toHaveLength(1);
  });

  it('rolls back every write of a call that fails half-way', async () => {
    t = makeTestLedger();
    const users = count('SELECT count(*) n FROM users');
    const audit = count('SELECT count(*) n FROM audit_log');
    const version = t.ledger.state.version;
    const halfway: Handlers = {
      'x:halfway': (ctx) => {
        createUser(ctx, { username: 'luru3', displayName: '吴某某', role: 'entry', canViewClues: false, password: PASSWORD });
        createUser(ctx, { username: 'luru4', displayName: '郑某', role: 'nonsense', canViewClues: false, password: PASSWORD });
      },
    };
    const r = await createTestTransport(halfway, () => t.as(t.users.admin)).invoke('x:halfway');
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'role' } });
    expect(count('SELECT count(*) n FROM users')).toBe(users);
    expect(count('SELECT count(*) n FROM audit_log')).toBe(audit);
    expect(t.ledger.state.version).toBe(version);
  });

  it('passes arguments and results through JSON like a real transport', async () => {
    t = makeTestLedger();
    let seen: unknown;
    const echo: Handlers = {
      'x:echo': (_ctx, arg) => {
        seen = arg;
        return { at: new Date(Date.UTC(2024, 2, 1)), gone: undefined, kept: 1 };
      },
    };
    const arg = { when: new Date(Date.UTC(2024, 0, 2)), nested: { a: [1, 2] } };
    const r = await createTestTransport(echo, () => t.as(t.users.admin)).invoke('x:echo', arg);
    expect(seen).toEqual({ when: '2024-01-02T00:00:00.000Z', nested: { a: [1, 2] } });
    expect(seen).not.toBe(arg);
    expect(r).toEqual({ ok: true, value: { at: '2024-03-01T00:00:00.000Z', kept: 1 } });
  });
});

describe('session-aware context', () => {
  it('lets a login change the user of every later call on the same session', async () => {
    t = makeTestLedger();
    const session: Session = { user: null };
    const base: Omit<ServiceContext, 'user'> = { ledger: t.ledger, clock: t.clock, ids: t.as(null).ids };
    const handlers: Handlers = {
      ...officeHandlers,
      'session:login': (ctx, arg) => (session.user = login(ctx, arg)),
    };
    const api = createTestTransport(handlers, sessionContext(base, session));

    expect(await api.invoke('users:list')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'not_logged_in' } });
    const bad = await api.invoke('session:login', { username: 'luru1', password: 'wrong-password' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'bad_credentials' } });
    expect(session.user).toBeNull();

    const ok = await api.invoke('session:login', { username: 'luru1', password: PASSWORD });
    expect(ok).toMatchObject({ ok: true, value: { username: 'luru1', role: 'entry' } });
    expect(session.user?.id).toBe(t.users.entry.id);
    expect(await api.invoke('users:list')).toMatchObject({ ok: true });
  });
});
