/**
 * The transport-independent half of the bridge between the UI and the engine.
 *
 * Both transports (Electron IPC in the desktop app, the loopback HTTP server in the browser
 * harness) carry the same thing: a channel name and one JSON argument in, one envelope out.
 * `dispatch` is the only place that turns a call into a service invocation, so both transports
 * refuse unknown channels, roll back failed calls and hide unexpected errors the same way.
 *
 * Envelopes instead of rejections: Electron's contextBridge drops custom properties of Error
 * objects (code, field) and `ipcMain.handle` flattens thrown errors into a message string, so
 * errors travel as data and the renderer's client turns them back into exceptions.
 */
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { DomainError } from '../domain/errors.js';
import type { BridgeResult } from './api.js';
import { unavailable } from './api.js';
import { isOutside } from './session-calls.js';
import type { Session } from '../session/host.js';
import { actingUserById } from '../services/office.js';

export type { BridgeResult, ContractShape, MenuCommand, WindowApi } from './api.js';
export { MENU_COMMANDS, isMenuCommand, unavailable } from './api.js';

/** One handler per channel: a service call with the session's context and the raw argument. */
export type Handler = (ctx: ServiceContext, arg: unknown) => unknown;
export type Handlers = Record<string, Handler>;

/** Where unexpected errors go (the stack stays on this side of the bridge). */
export interface BridgeLogger {
  error(message: string, detail: unknown): void;
}

const consoleLogger: BridgeLogger = {
  error: (message, detail) => console.error(message, detail),
};

export const UNEXPECTED_MESSAGE = '台账引擎发生意外错误，操作未执行。请重试；如果反复出现，请联系管理员。';

/** True for a channel that has a handler of its own (not one inherited from Object). */
export function isKnownChannel(handlers: Handlers, channel: unknown): channel is string {
  return typeof channel === 'string' && Object.hasOwn(handlers, channel);
}

export interface DispatchOptions {
  logger?: BridgeLogger;
  /** After a ledger call committed (the host writes staged key-file changes and the anchor). */
  onCommit?: () => void;
  /** After a ledger call failed and rolled back. */
  onRollback?: () => void;
}

/**
 * Run one call. Unknown channel → UNAVAILABLE; a DomainError → its payload; anything else →
 * CORRUPT with a generic zh-CN message (the error itself goes to the logger). The handler runs
 * inside one transaction, so a call that fails half-way leaves nothing behind.
 * Handlers are synchronous (better-sqlite3 transactions cannot span an await).
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  arg: unknown,
  makeCtx: () => ServiceContext,
  opts: DispatchOptions = {},
): Promise<BridgeResult> {
  if (!isKnownChannel(handlers, channel)) return { ok: false, error: unavailable(channel) };
  const handler = handlers[channel]!;
  try {
    // Session calls run before a ledger is open and manage their own transactions.
    // (They may be async: backup and restore run in a worker thread.)
    if (isOutside(handler)) return { ok: true, value: await handler(null as never, arg) };
    const ctx = makeCtx();
    if (ctx.ledger.state.busy) throw new DomainError('LOCKED', ctx.ledger.state.busy, { reason: 'busy' });
    let value: unknown;
    try {
      value = inTransaction(ctx, () => handler(ctx, arg));
    } catch (e) {
      opts.onRollback?.();
      throw e;
    }
    opts.onCommit?.();
    return { ok: true, value };
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, error: e.toPayload() };
    (opts.logger ?? consoleLogger).error(`bridge: unexpected error in ${channel}`, e);
    return { ok: false, error: { code: 'CORRUPT', message: UNEXPECTED_MESSAGE } };
  }
}

export type { Session };

/**
 * A context factory for a transport without a ledger host (engine tests over one open ledger):
 * refuses a locked session and reads the user's rights afresh on every call, as the host does.
 */
export function sessionContext(base: Omit<ServiceContext, 'user'>, session: Session): () => ServiceContext {
  return () => {
    if (session.locked) throw new DomainError('LOCKED', '台账已锁定，请输入密码解锁。', { reason: 'ledger_locked' });
    if (session.user) {
      try {
        session.user = actingUserById({ ...base, user: null }, session.user.id);
      } catch (e) {
        session.user = null;
        throw e;
      }
    }
    return { ...base, user: session.user };
  };
}

export interface TestTransport {
  invoke(channel: string, arg?: unknown): Promise<BridgeResult>;
}

/**
 * An in-process transport for tests: arguments and results go through JSON exactly as they
 * would over IPC or HTTP, so a result that does not survive serialisation fails here first.
 */
export function createTestTransport(
  handlers: Handlers,
  makeCtx: () => ServiceContext,
  opts: DispatchOptions = {},
): TestTransport {
  const wire = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
  return {
    async invoke(channel, arg) {
      return wire(await dispatch(handlers, channel, wire(arg), makeCtx, opts));
    },
  };
}
