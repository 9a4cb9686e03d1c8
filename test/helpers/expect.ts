import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../db/domain/errors.js';
import type { TestLedger } from './ledger.js';

/** A well-formed UUIDv7 that no row in a test ledger has: for NOT_FOUND cases. */
export const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

/** How many entries the audit trail holds. */
export function auditCount(t: TestLedger): number {
  return (t.ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

/** Run `fn`, expect a DomainError with `code` (and `field`/`reason` when given); return it. */
export function expectError(fn: () => unknown, code: ErrorCode, field?: string, reason?: string): DomainError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}${field ? ` on ${field}` : ''}`).toBeInstanceOf(DomainError);
  const e = caught as DomainError;
  expect({ code: e.code, field: e.field, reason: e.reason }).toMatchObject({
    code, ...(field === undefined ? {} : { field }), ...(reason === undefined ? {} : { reason }),
  });
  return e;
}

/**
 * The same, and the ledger is untouched: no audit entry, no version handed out. A refusal must come
 * before any write (or roll every write back), so both counters stay where they were.
 */
export function expectRefused(t: TestLedger, fn: () => unknown, code: ErrorCode, field?: string, reason?: string): DomainError {
  const before = { audit: auditCount(t), version: t.ledger.state.version };
  const e = expectError(fn, code, field, reason);
  expect({ audit: auditCount(t), version: t.ledger.state.version }).toEqual(before);
  return e;
}
