/**
 * IPC glue: one `ipcMain.handle` per contract channel, each call checked for its sender and
 * passed to the transport-independent `dispatch` (db/bridge.ts). `ipcMain` comes in as a
 * parameter, so this is unit-tested with a fake.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ServiceContext } from '../db/core/context.js';
import type { BridgeLogger, BridgeResult, Handlers } from '../db/bridge/dispatch.js';
import { dispatch } from '../db/bridge/dispatch.js';

export interface RegisterIpcOptions {
  /** The runtime channel list: exactly these channels are registered. */
  channels: readonly string[];
  handlers: Handlers;
  /** The context for one call (the window's session user, the open ledger, the clock). */
  makeCtx: () => ServiceContext;
  /** True when the URL is the app's own page (see electron/paths.ts appUrlCheck). */
  isTrustedSender: (frameUrl: string) => boolean;
  logger?: BridgeLogger;
}

type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;
type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export const UNTRUSTED_MESSAGE = '调用来源不是本程序的页面，已拒绝。';

/**
 * Registers every channel and returns a function that removes them again. A channel in the list
 * without a handler is a programming error and fails at start-up, not on first use; a channel
 * name in the reserved 'shell:' space is refused for the same reason.
 */
export function registerIpc(ipcMain: IpcRegistrar, o: RegisterIpcOptions): () => void {
  for (const channel of o.channels) {
    if (!Object.hasOwn(o.handlers, channel)) throw new Error(`registerIpc: no handler for channel ${channel}`);
    if (channel.startsWith('shell:')) throw new Error(`registerIpc: ${channel} is in the shell's reserved space`);
  }
  for (const channel of o.channels) {
    ipcMain.handle(channel, (event: InvokeEvent, arg: unknown) => handleCall(o, channel, event, arg));
  }
  return () => {
    for (const channel of o.channels) ipcMain.removeHandler(channel);
  };
}

/** One call: refuse untrusted senders (a frame that navigated away, an injected iframe), then dispatch. */
export async function handleCall(o: RegisterIpcOptions, channel: string, event: InvokeEvent, arg: unknown): Promise<BridgeResult> {
  // senderFrame is null when the frame has navigated or been destroyed since sending.
  const url = event.senderFrame?.url;
  if (typeof url !== 'string' || !o.isTrustedSender(url)) {
    return { ok: false, error: { code: 'FORBIDDEN', message: UNTRUSTED_MESSAGE, reason: 'untrusted_sender' } };
  }
  return dispatch(o.handlers, o.channels, channel, arg, o.makeCtx, o.logger ? { logger: o.logger } : {});
}
