/**
 * The contract's argument types come from the channels' schemas: a misspelled key, a wrong type or
 * a missing key fails to compile. `tsc -b` (part of `npm test`) checks this file; each
 * `@ts-expect-error` fails the build if the line it marks ever compiles, i.e. if typing is loosened.
 * The run-time half checks the same calls are refused by the engine with the field named.
 */
import { describe, expect, it } from 'vitest';
import type { ArgOf, Channel, Contract } from '../db/bridge/contract.js';
import { createTestTransport } from '../db/bridge/dispatch.js';
import { makeHandlers } from '../db/bridge/handlers.js';
import { makeTestLedger } from './helpers/ledger.js';

/** What the renderer's `call` accepts (renderer/src/api/client.ts), without a window. */
type ArgsOf<C extends Channel> = undefined extends ArgOf<C> ? [arg?: ArgOf<C>] : [arg: ArgOf<C>];
const typed = <C extends Channel>(channel: C, ...args: ArgsOf<C>) => ({ channel: channel as string, arg: args[0] as unknown });

const ID = '01900000-0000-7000-8000-000000000000';

const calls = {
  ok: [
    typed('tasks:create', { problemId: ID, measures: '建立制度', term: 'long_term', deadline: '2024-06-30' }),
    typed('tasks:start', { id: ID }),
    typed('tasks:drop', { id: ID, reason: '合并', mergedIntoId: null }),
    typed('clocks:task', { taskId: ID }),
    typed('session:current'),
  ],
  misspelled: [
    // @ts-expect-error taskID is not a key of tasks:start (it takes id)
    typed('tasks:start', { taskID: ID }),
    // @ts-expect-error problemID instead of problemId
    typed('tasks:create', { problemID: ID, measures: '建立制度', term: 'long_term', deadline: '2024-06-30' }),
  ],
  wrongType: [
    // @ts-expect-error deadline is a date string, not a number
    typed('tasks:create', { problemId: ID, measures: '建立制度', term: 'long_term', deadline: 20240630 }),
    // @ts-expect-error term is one of the task terms
    typed('tasks:create', { problemId: ID, measures: '建立制度', term: 'forever', deadline: '2024-06-30' }),
    // @ts-expect-error the reason is text
    typed('tasks:reopen', { id: ID, reason: true }),
  ],
  missing: [
    // @ts-expect-error measures is required
    typed('tasks:create', { problemId: ID, term: 'long_term', deadline: '2024-06-30' }),
    // @ts-expect-error tasks:get needs its argument
    typed('tasks:get'),
    // @ts-expect-error the clock needs the task
    typed('clocks:task', {}),
  ],
};

// The contract map itself carries the same types (what window.api is typed with).
type StartArg = Parameters<Contract['tasks:start']>[0];
const startArg: StartArg = { id: ID };
// @ts-expect-error a misspelled key in the contract's own argument type
const badStartArg: StartArg = { taskId: ID };

describe('argument typing', () => {
  it('is enforced at run time too: each call that fails to compile is refused naming its field, and changes nothing', async () => {
    const t = makeTestLedger();
    try {
      const api = createTestTransport(makeHandlers({ user: null }), () => t.as(t.users.reviewer));
      const fields = [...calls.misspelled, ...calls.wrongType, ...calls.missing].map((c) => c.channel);
      expect(fields).toHaveLength(8);
      const expected = ['id', 'problemId', 'deadline', 'term', 'reason', 'measures', 'input', 'taskId'];
      const got = [];
      for (const c of [...calls.misspelled, ...calls.wrongType, ...calls.missing]) {
        const r = await api.invoke(c.channel, c.arg);
        got.push(r.ok ? 'accepted' : `${r.error.code}:${r.error.field}`);
      }
      expect(got).toEqual(expected.map((f) => `VALIDATION:${f}`));
      // The well-typed calls get past the shape check (they may still be refused by the ledger's rules).
      for (const c of calls.ok) {
        const r = await api.invoke(c.channel, c.arg);
        if (!r.ok) expect(r.error.code, c.channel).not.toBe('VALIDATION');
      }
      expect([startArg, badStartArg]).toHaveLength(2);
    } finally {
      t.close();
    }
  });
});
