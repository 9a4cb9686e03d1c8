/**
 * IPC glue: one `ipcMain.handle` per contract channel, each call checked for its sender and
 * passed to the transport-independent `dispatch` (db/bridge.ts). `ipcMain` comes in as a
 * parameter, so this is unit-tested with a fake.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ServiceContext } from '../db/core/context.js';
import type { BridgeLogger, BridgeResult, Handlers } from '../db/bridge/dispatch.js';
import { dispatch } from '../db/bridge/dispatch.js';
import { CALL_CHANNEL } from './channels.js';

export interface RegisterIpcOptions {
  handlers: Handlers;
  /** The context for one call (the window's session user, the open ledger, the clock). */
  makeCtx: () => ServiceContext;
  /** True when the URL is the app's own page (see electron/paths.ts appUrlCheck). */
  isTrustedSender: (frameUrl: string) => boolean;
  logger?: BridgeLogger;
  /** After a ledger call committed / rolled back (the ledger host's bookkeeping). */
  onCommit?: () => void;
  onRollback?: () => void;
}

type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;
type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export const UNTRUSTED_MESSAGE = '调用来源不是本程序的页面，已拒绝。';

/** Registers the call channel and returns a function that removes it again. */
export function registerIpc(ipcMain: IpcRegistrar, o: RegisterIpcOptions): () => void {
  ipcMain.handle(CALL_CHANNEL, (event: InvokeEvent, channel: unknown, arg: unknown) => handleCall(o, channel, event, arg));
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** One call: refuse untrusted senders (a frame that navigated away, an injected iframe), then dispatch. */
export async function handleCall(o: RegisterIpcOptions, channel: unknown, event: InvokeEvent, arg: unknown): Promise<BridgeResult> {
  // senderFrame is null when the frame has navigated or been destroyed since sending.
  const url = event.senderFrame?.url;
  if (typeof url !== 'string' || !o.isTrustedSender(url)) {
    return { ok: false, error: { code: 'FORBIDDEN', message: UNTRUSTED_MESSAGE, reason: 'untrusted_sender' } };
  }
  const { logger, onCommit, onRollback } = o;
  return dispatch(o.handlers, channel, arg, o.makeCtx, { ...(logger ? { logger } : {}), ...(onCommit ? { onCommit } : {}), ...(onRollback ? { onRollback } : {}) });
}
