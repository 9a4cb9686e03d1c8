/**
 * The typed contract between the UI and the engine, derived from the one declaration of each call.
 *
 * `Contract` maps every channel '<domain>:<verb>' to `(arg) => Promise<result>`: the argument type
 * is the input type of the call's schema (db/core/call.ts), the result its return type, both read
 * from the handler map (db/bridge/handlers.ts), so neither can drift from what runs. A misspelled,
 * missing or mistyped key fails to compile in the renderer (test/contract-types.test.ts).
 *
 * The renderer imports this file with `import type` only.
 */
import type * as v from 'valibot';
import type { HandlerMap } from './handlers.js';

export type Channel = keyof HandlerMap & string;

/** The argument a channel takes, as the caller writes it (before defaults and trimming). */
export type ArgOf<C extends Channel> = HandlerMap[C] extends { arg: infer S extends v.GenericSchema }
  ? v.InferInput<S>
  : Record<string, unknown> | undefined;

export type ResultOf<C extends Channel> = ReturnType<HandlerMap[C]>;

export type Contract = { [C in Channel]: (arg: ArgOf<C>) => Promise<ResultOf<C>> };

/** Channels whose argument may be left out. */
export type OptionalArg<C extends Channel> = undefined extends ArgOf<C> ? true : false;
