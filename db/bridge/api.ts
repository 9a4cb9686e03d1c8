/**
 * The renderer-facing half of the bridge: types, the menu vocabulary and the refusal for an
 * unknown channel. It imports nothing at run time, so the sandboxed preload bundles it as is.
 */
import type { ErrorPayload } from '../domain/errors.js';

export type { ErrorPayload };

/** What every call resolves to, over every transport: errors travel as data, never as throws. */
export type BridgeResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** Commands the shell's menu sends to the renderer (the browser harness sends them from keys). */
export const MENU_COMMANDS = ['import', 'export', 'importExcel', 'exportLedger', 'print', 'backup', 'lock'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(v: unknown): v is MenuCommand {
  return typeof v === 'string' && (MENU_COMMANDS as readonly string[]).includes(v);
}

/** The refusal for a channel that is not in the contract (same wording on every transport). */
export function unavailable(channel: unknown): ErrorPayload {
  // The channel name comes from outside: quote a bounded slice of it only.
  const shown = typeof channel === 'string' ? channel.slice(0, 60) : typeof channel;
  return { code: 'UNAVAILABLE', message: `当前版本不提供此功能（未知调用：${shown}）。` };
}

/** The shape of a contract map: channel → `(arg) => Promise<result>`. */
export type ContractShape = { [channel: string]: (arg: never) => Promise<unknown> };

/** Without a contract map (tests, tools): any channel, any argument, an unknown result. */
export type UntypedContract = Record<string, (arg?: unknown) => Promise<unknown>>;

/**
 * What the renderer sees as `window.api` (`WindowApi<Contract>`, db/bridge/contract.ts), whatever the
 * transport. `invoke` resolves to an envelope and never rejects for a refused or failed call.
 */
export interface WindowApi<C extends ContractShape = UntypedContract> {
  invoke<K extends keyof C & string>(
    channel: K,
    arg: Parameters<C[K]>[0],
  ): Promise<BridgeResult<Awaited<ReturnType<C[K]>>>>;
  /** Subscribe to menu commands; returns the unsubscribe function. */
  onMenu(cb: (command: MenuCommand) => void): () => void;
}
