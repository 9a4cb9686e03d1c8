/**
 * One declaration per call: a service operation is its argument schema, the right it needs (when
 * one right covers the whole call) and its body, declared together with `defineCall`. From that one
 * declaration come the argument's TypeScript type in the contract (db/bridge/contract.ts), the
 * run-time validation of untrusted JSON with zh-CN messages naming the field path, and the fuzz of
 * the whole contract (test/contract-fuzz.test.ts walks `arg`).
 *
 * Order of checks: the declared right first (a user without it learns nothing about the shape the
 * call expects), then the shape, then the body's own domain rules.
 */
import type * as v from 'valibot';
import type { ServiceContext } from './context.js';
import { requirePermission, type Permission } from './permissions.js';
import { DomainError } from '../domain/errors.js';
import { NO_ARGS, parse } from '../domain/fields.js';

export interface CallOptions<S extends v.GenericSchema> {
  arg: S;
  /** The right the whole call needs, checked before the argument; omit when the body decides. */
  permission?: Permission;
}

/** A declared call: callable as `(ctx, raw)` from services, tests and the bridge alike. */
export interface Call<S extends v.GenericSchema = v.GenericSchema, R = unknown> {
  (ctx: ServiceContext, raw?: unknown): R;
  readonly arg: S;
  readonly permission: Permission | undefined;
}

export function defineCall<S extends v.GenericSchema, R>(
  o: CallOptions<S>,
  run: (ctx: ServiceContext, a: v.InferOutput<S>) => R,
): Call<S, R> {
  const call = (ctx: ServiceContext, raw?: unknown): R => {
    if (o.permission) requirePermission(ctx, o.permission);
    // Every argument is an object (or nothing); valibot's object schema would take an array for one.
    if (Array.isArray(raw)) throw new DomainError('VALIDATION', '请求内容不完整。', { field: 'input', reason: 'not_object' });
    return run(ctx, parse(o.arg, raw));
  };
  return Object.assign(call, { arg: o.arg, permission: o.permission });
}

/** A call without an argument (undefined, null or {} are accepted). */
export function defineQuery<R>(o: { permission?: Permission }, run: (ctx: ServiceContext) => R): Call<typeof NO_ARGS, R> {
  return defineCall({ arg: NO_ARGS, ...o }, (ctx) => run(ctx));
}
