/**
 * A fuzz of the whole contract. For every channel, arguments are generated from the channel's own
 * schema (the one declaration in db/core/call.ts) and then broken: wrong types, missing and extra
 * keys, `__proto__` keys, over-long and control-character strings, impossible dates, unknown ids,
 * a 10 MB string, deep nesting, and arguments that are not objects at all. Each is sent through the
 * JSON test transport as each kind of user (nobody, 录入员, 审核员, 负责人, 管理员, 只读). Whatever
 * comes back must be a result or one of the closed error codes, never an internal error, and a
 * refused call must leave the ledger exactly as it was (a fingerprint of every table and of the
 * engine's counters, taken before and after).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTransport, type TestTransport } from '../db/bridge/dispatch.js';
import { makeHandlers } from '../db/bridge/handlers.js';
import type { ActingUser } from '../db/core/context.js';
import { ERROR_CODES, invalid } from '../db/domain/errors.js';
import { createClue } from '../db/services/clues.js';
import { addProgress } from '../db/services/progress.js';
import { UNKNOWN_ID } from './helpers/expect.js';
import { makeTestLedger, type TestLedger } from './helpers/ledger.js';
import { attach, newProblemAndTask, stage } from './helpers/workflow.js';

/** Runs per channel (each run is one call as one user); the whole file stays well under a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);

let t: TestLedger;
let current: ActingUser | null = null;
let api: TestTransport;
let idPool: string[] = [];
const handlers = makeHandlers({ user: null });
const channels = Object.keys(handlers).sort();

beforeAll(() => {
  t = makeTestLedger({ today: '2024-03-15' });
  const entry = t.as(t.users.entry);
  const s = stage(t);
  const { task } = newProblemAndTask(entry, s);
  attach(entry, task.id);
  addProgress(entry, { taskId: task.id, entryDate: '2024-03-01', content: '已召开专题会议部署整改。' });
  createClue(t.as(t.users.reviewer), {
    roundId: s.round.id, unitId: s.unit.id, subjectName: '钱某某', subjectPost: '副总经理', summary: '反映其违规接受宴请。',
    receivedOn: '2024-02-01', receivingOrgan: 'ccdi',
  });
  idPool = ids();
  // A test session's user changes per call; the handlers' own session (log-in) is not used here.
  api = createTestTransport(handlers, () => t.as(current));
});
afterAll(() => t?.close());

/** Every id in the ledger: generated ids point at real rows of every kind, so calls reach their rules. */
function ids(): string[] {
  const tables = t.ledger.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%\"id\" text%'").all() as { name: string }[];
  return tables.flatMap(({ name }) => (t.ledger.sqlite.prepare(`SELECT id FROM "${name}" LIMIT 20`).all() as { id: string }[]).map((r) => r.id));
}

/** Every row of every table, and the engine's in-memory counters. */
function fingerprint(): string {
  const h = createHash('sha256');
  const tables = t.ledger.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    h.update(name);
    for (const row of t.ledger.sqlite.prepare(`SELECT * FROM "${name}"`).raw().iterate()) h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
  }
  h.update(JSON.stringify(t.ledger.state));
  return h.digest('hex');
}

// ---- arguments from a schema -----------------------------------------------------------------

interface Node {
  type: string;
  entries?: Record<string, Node>;
  item?: Node;
  wrapped?: Node;
  options?: unknown[];
  literal?: unknown;
  pipe?: { type: string; requirement?: unknown }[];
}

/** The reasons of the checks on a schema (bad_id, bad_date, required …), through nested pipes. */
function reasons(s: Node): Set<string> {
  const out = new Set<string>();
  for (const a of s.pipe ?? []) {
    const r = (a.requirement as { reason?: unknown } | undefined)?.reason;
    if (typeof r === 'string') out.add(r);
    if (a !== s && (a as Node).pipe) for (const x of reasons(a as Node)) out.add(x);
  }
  return out;
}

function bound(s: Node, kind: 'min_value' | 'max_value', dflt: number): number {
  const a = (s.pipe ?? []).find((x) => x.type === kind);
  return typeof a?.requirement === 'number' ? a.requirement : dflt;
}

const TEXT = fc.oneof(fc.constantFrom('整改措施落实情况', '公务接待超标准', '某某集团', '办公室', '陈某某'), fc.string({ minLength: 1, maxLength: 12 }));
const DAY = fc.date({ min: new Date('2023-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A fast-check arbitrary of well-formed arguments for a schema. */
function arb(s: Node): fc.Arbitrary<unknown> {
  const why = reasons(s);
  switch (s.type) {
    case 'object': {
      const entries = s.entries ?? {};
      const required = Object.keys(entries).filter((k) => !['optional', 'nullish', 'exact_optional'].includes(entries[k]!.type));
      return fc.record(Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, arb(e)])), { requiredKeys: required });
    }
    case 'array':
      return fc.array(arb(s.item!), { maxLength: 3 });
    case 'optional':
      return fc.option(arb(s.wrapped!), { nil: undefined });
    case 'nullish':
    case 'nullable':
      return why.has('required') ? arb(s.wrapped!) : fc.option(arb(s.wrapped!), { nil: null });
    case 'string':
      if (why.has('bad_id')) return fc.oneof(fc.constantFrom(...idPool), fc.constant(UNKNOWN_ID));
      if (why.has('bad_date')) return DAY;
      return TEXT;
    case 'picklist':
      return fc.constantFrom(...(s.options as string[]));
    case 'number': {
      const min = Math.max(bound(s, 'min_value', -1000), -1e6);
      const max = Math.min(bound(s, 'max_value', 1000), 1e6);
      return (s.pipe ?? []).some((a) => a.type === 'integer')
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'union':
      return fc.oneof(...(s.options as Node[]).map(arb));
    case 'literal':
      return fc.constant(s.literal);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---- ways to break an argument ----------------------------------------------------------------

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let k = 0; k < n; k++) v = [v];
  return v;
};
const withProto = (o: Record<string, unknown>): Record<string, unknown> =>
  ({ ...o, ...(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as object) });

const BAD_VALUES: unknown[] = [
  42, -1, 1.5, true, [], {}, 'x', '', '   ', 'a\u0000b', 'x'.repeat(25_000), '2024-02-30', '2023-13-01', '20240101',
  UNKNOWN_ID, 'not-an-id', '01900000-0000-7000-8000-00000000000Z', deep(1_000), { nested: { deeper: [1, 2, { x: null }] } },
];

type Breaker = (valid: unknown, pick: number) => unknown;
const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as object) } : {});
const keyOf = (o: Record<string, unknown>, pick: number) => {
  const keys = Object.keys(o);
  return keys.length ? keys[pick % keys.length]! : 'id';
};

const BREAKERS: Record<string, Breaker> = {
  valid: (v) => v,
  notAnObject: (_v, pick) => [null, 42, 'call', [], true][pick % 5],
  missingKey: (v, pick) => {
    const o = asObject(v);
    delete o[keyOf(o, pick)];
    return o;
  },
  wrongType: (v, pick) => ({ ...asObject(v), [keyOf(asObject(v), pick)]: BAD_VALUES[pick % BAD_VALUES.length] }),
  extraKeys: (v) => withProto({ ...asObject(v), unexpected: '多余的键', id2: UNKNOWN_ID }),
  everyKeyWrong: (v, pick) => Object.fromEntries(Object.keys(asObject(v)).map((k, n) => [k, BAD_VALUES[(pick + n) % BAD_VALUES.length]])),
};

const HUGE = 'x'.repeat(10 * 1024 * 1024);

const USERS = ['none', 'entry', 'reviewer', 'leader', 'admin', 'readonly'] as const;
const userOf = (u: (typeof USERS)[number]): ActingUser | null => (u === 'none' ? null : t.users[u]);

const CLOSED = new Set<string>(ERROR_CODES.filter((c) => c !== 'CORRUPT'));

/** The ledger's fingerprint as the last call left it (each call takes one: its "after" is the next "before"). */
let last: string | null = null;

/** One call; the invariants every call must keep, whatever its argument. */
async function check(channel: string, user: ActingUser | null, arg: unknown): Promise<void> {
  current = user;
  const before = last ?? fingerprint();
  const r = await api.invoke(channel, arg);
  const after = fingerprint();
  last = after;
  if (r.ok) return;
  expect(CLOSED.has(r.error.code), `${channel} as ${user?.role ?? 'nobody'}: ${r.error.code} ${r.error.message}`).toBe(true);
  expect(typeof r.error.message).toBe('string');
  expect(r.error.message.length).toBeLessThan(400);
  expect(after, `${channel} was refused (${r.error.code}) but changed the ledger`).toBe(before);
}

describe('the contract under fuzz', () => {
  it('would catch an internal error, and a refused call that leaves a change behind (its checks can fail)', async () => {
    const real = api;
    try {
      api = createTestTransport({
        'probe:boom': () => {
          throw new TypeError('a bug');
        },
        // Commits a change half-way, then refuses: the kind of leak the fingerprint is there to see.
        'probe:leaky': (ctx) => {
          ctx.ledger.prepare("UPDATE offices SET name = name || '（改）'").run();
          ctx.ledger.prepare('COMMIT').run();
          ctx.ledger.prepare('BEGIN').run();
          throw invalid('name', '拒绝。');
        },
      }, () => t.as(current), { logger: { error: () => {} } });
      await expect(check('probe:boom', t.users.admin, {})).rejects.toThrow(/CORRUPT/);
      await expect(check('probe:leaky', t.users.admin, {})).rejects.toThrow(/changed the ledger/);
    } finally {
      api = real;
      last = null;
    }
  });

  it('declares an argument schema for every channel', () => {
    const undeclared = channels.filter((c) => !(handlers as unknown as Record<string, { arg?: unknown }>)[c]!.arg);
    expect(undeclared).toEqual([]);
  });

  it.each(channels)('%s: generated and broken arguments, as every user, give a result or a closed error and refused calls change nothing', async (channel) => {
    const schema = (handlers as unknown as Record<string, { arg?: Node }>)[channel]!.arg ?? ({ type: 'unknown' } as Node);
    await fc.assert(
      fc.asyncProperty(
        arb(schema), fc.constantFrom(...Object.keys(BREAKERS)), fc.nat(1000), fc.constantFrom(...USERS),
        async (valid, breaker, pick, user) => check(channel, userOf(user), BREAKERS[breaker]!(valid, pick)),
      ),
      { numRuns: RUNS, seed: hashSeed(channel) },
    );
    // The largest inputs once per channel: a 10 MB string in a key, and deep nesting as the argument.
    const key = Object.keys((schema as Node).entries ?? {})[0] ?? 'id';
    await check(channel, t.users.admin, { [key]: HUGE });
    await check(channel, t.users.reviewer, deep(1_000));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** A seed per channel: the same arguments every run, different between channels. */
function hashSeed(channel: string): number {
  return createHash('sha256').update(channel).digest().readInt32LE(0);
}
