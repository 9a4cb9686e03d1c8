/**
 * The closed set of error codes that cross the bridge. The UI maps each code (and `field`) to a
 * zh-CN sentence; the engine's `message` is a zh-CN fallback, never a stack trace.
 */
export const ERROR_CODES = [
  'VALIDATION', // bad input: `field` names the offending field
  'NOT_FOUND', // an id that does not exist (or is deleted, or is not visible to this user)
  'CONFLICT', // the record's state does not allow this (duplicate, already decided…)
  'ILLEGAL_TRANSITION', // a state-machine move that is not allowed from the current state
  'FORBIDDEN', // the acting user lacks the right
  'LOCKED', // the record is frozen (e.g. under review) and cannot be edited now
  'CORRUPT', // stored data failed an integrity check
  'UNAVAILABLE', // an engine facility missing at run time (e.g. unknown channel)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
  /** A finer machine-readable reason, e.g. 'four_eyes' or 'evidence_required'. */
  reason?: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly reason?: string;

  constructor(code: ErrorCode, message: string, opts: { field?: string; reason?: string } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.reason !== undefined) this.reason = opts.reason;
  }

  toPayload(): ErrorPayload {
    const p: ErrorPayload = { code: this.code, message: this.message };
    if (this.field !== undefined) p.field = this.field;
    if (this.reason !== undefined) p.reason = this.reason;
    return p;
  }
}

export const invalid = (field: string, message: string, reason?: string) =>
  new DomainError('VALIDATION', message, reason === undefined ? { field } : { field, reason });
export const notFound = (what: string, id: string, field?: string) =>
  new DomainError('NOT_FOUND', `${what}不存在：${id}`, field === undefined ? {} : { field });
export const forbidden = (message: string, reason?: string) =>
  new DomainError('FORBIDDEN', message, reason === undefined ? {} : { reason });
export const illegal = (message: string, reason?: string) =>
  new DomainError('ILLEGAL_TRANSITION', message, reason === undefined ? {} : { reason });
export const conflict = (message: string, reason?: string) =>
  new DomainError('CONFLICT', message, reason === undefined ? {} : { reason });

/** Any thrown value as a bridge payload; unexpected errors never leak their stack. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (e instanceof DomainError) return e.toPayload();
  return { code: 'CORRUPT', message: '台账引擎发生意外错误，操作未执行。' };
}
