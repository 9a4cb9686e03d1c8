/**
 * The typed contract between the UI and the engine, declared once.
 *
 * `Contract` maps every channel '<domain>:<verb>' to `(arg) => Promise<result>`. Results are the
 * engine's own return types (derived from the handler map, so they cannot drift); arguments are
 * the JSON objects the services validate. The runtime channel list (db/bridge/channels.ts) is checked
 * against this map in both directions at compile time.
 *
 * The renderer imports this file with `import type` only.
 */
import type { HandlerMap } from './handlers.js';

export type Channel = keyof HandlerMap & string;

/**
 * Service arguments are validated at run time from untrusted JSON; at compile time the UI passes
 * a plain object (channels without an argument accept `undefined`).
 */
export type Arg = Record<string, unknown> | undefined;

export type ResultOf<C extends Channel> = ReturnType<HandlerMap[C]>;

export type Contract = { [C in Channel]: (arg: Arg) => Promise<ResultOf<C>> };
