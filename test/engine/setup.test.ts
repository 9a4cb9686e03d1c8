import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

describe('first-run set-up', () => {
  it('creates the office, an administrator and reference data, all audited', () => {
    t = makeTestLedger();
    const n = (sql: string) => (t.ledger.sqlite.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) n FROM offices')).toBe(1);
    expect(n("SELECT count(*) n FROM users WHERE role='admin'")).toBe(1);
    expect(n('SELECT count(*) n FROM clock_rule_sets')).toBe(2);
    expect(n('SELECT count(*) n FROM calendar_days')).toBeGreaterThan(50);
    expect(n('SELECT count(*) n FROM problem_categories')).toBeGreaterThan(5);
    const v = verifyAudit(t.ledger);
    expect(v.ok).toBe(true);
    expect(v.rows).toBe(n('SELECT count(*) n FROM audit_log'));
  });
});
