import { afterEach, describe, expect, it } from 'vitest';
import { getRow, restoreRow, softDelete, updateRow } from '../../db/core/write.js';
import { dominatedBy } from '../../db/exchange/clocks.js';
import { BASE, clockOf, readFieldClocks, TOMBSTONE } from '../../db/exchange/field-clocks.js';
import { tasks } from '../../db/schema/index.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { inTransaction } from '../../db/core/context.js';
import { fixedClock } from '../../db/core/clock.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { setupLedger } from '../../db/services/office.js';

let t: TestLedger;
afterEach(() => t?.close());

function aTask() {
  t = makeTestLedger();
  const ctx = t.as(t.users.entry);
  return inTransaction(ctx, () => {
    const round = fxRound(ctx);
    const unit = fxUnit(ctx);
    fxInspection(ctx, { roundId: round.id, unitId: unit.id });
    const p = fxProblem(ctx, { unitId: unit.id, categoryId: categoryId(ctx, '廉洁风险'), roundId: round.id });
    return fxTask(ctx, { problemId: p.id, unitId: unit.id, roundId: round.id });
  });
}

describe('the write path keeps a clock per field', () => {
  it('stores nothing at creation, then gives each changed field a clock that dominates what it replaced', () => {
    const created = aTask();
    const ctx = t.as(t.users.entry);
    expect(created.fieldClocks).toBeNull();
    const fc0 = readFieldClocks(null, created.hlc);
    expect(clockOf(fc0, 'measures')).toEqual([created.hlc]);

    t.clock.advance(60_000);
    const a = inTransaction(ctx, () => updateRow(ctx, tasks, created, { measures: '修订后的整改措施。' }));
    const fc1 = readFieldClocks(a.fieldClocks, a.hlc);
    // The untouched fields keep the creation stamp; the changed one has the change's stamp.
    expect(fc1[BASE]).toEqual([created.hlc]);
    expect(clockOf(fc1, 'measures')).toEqual([a.hlc]);
    expect(clockOf(fc1, 'responsibleDepartment')).toEqual([created.hlc]);
    expect(dominatedBy(clockOf(fc0, 'measures'), clockOf(fc1, 'measures'))).toBe(true);
    expect(dominatedBy(clockOf(fc1, 'measures'), clockOf(fc0, 'measures'))).toBe(false);

    // A delete and a restore are one field, 'deleted'.
    const d = inTransaction(ctx, () => softDelete(ctx, tasks, a, '重复录入。'));
    const fc2 = readFieldClocks(d.fieldClocks, d.hlc);
    expect(fc2[TOMBSTONE]).toEqual([d.hlc]);
    expect(clockOf(fc2, 'deletedReason')).toEqual([d.hlc]);
    expect(clockOf(fc2, 'measures')).toEqual([a.hlc]);
    const r = inTransaction(ctx, () => restoreRow(ctx, tasks, d));
    expect(clockOf(readFieldClocks(r.fieldClocks, r.hlc), 'deletedAt')).toEqual([r.hlc]);
    // What is stored is what the write path returned.
    expect(getRow(ctx, tasks, r.id)!.fieldClocks).toBe(r.fieldClocks);
  });

  it('keeps the clocks out of the audit trail’s before/after and inside the record’s content hash', () => {
    const created = aTask();
    const ctx = t.as(t.users.entry);
    inTransaction(ctx, () => updateRow(ctx, tasks, created, { measures: '修订后的整改措施。' }));
    const a = t.ledger.sqlite.prepare("SELECT before, after FROM audit_log WHERE entity = 'tasks' ORDER BY seq DESC LIMIT 1").get() as { before: string; after: string };
    expect(JSON.parse(a.after)).toEqual({ measures: '修订后的整改措施。' });
    expect(a.before).not.toContain('fieldClocks');
  });
});

describe('seeded reference data', () => {
  it('has the same ids and creation stamp in every ledger, so offices refer to one record', async () => {
    const { seedId, SEED_HLC, SEED_OFFICE } = await import('../../db/services/reference-data.js');
    // Two ledgers set up independently (their own id sources and clocks), not copies of one image.
    const setUp = (seed: number, day: string, kind: 'discipline' | 'inspected_unit') => {
      const clock = fixedClock(day);
      const ledger = openLedger(':memory:');
      setupLedger({ ledger, clock, ids: uuidv7Source(() => clock.now(), seededRandom(seed)), user: null }, {
        officeName: `单位${seed}`, officeKind: kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: 'ceshi-mima-2024',
      });
      return ledger;
    };
    const a = setUp(1, '2024-03-01', 'discipline');
    const b = setUp(2, '2025-06-30', 'inspected_unit');
    try {
      const q = (l: Ledger) => l.sqlite.prepare(
        'SELECT id, name, hlc, origin_office_id AS o FROM problem_categories UNION ALL SELECT id, name, hlc, origin_office_id FROM clock_rule_sets ORDER BY id',
      ).all() as { id: string; name: string; hlc: string; o: string }[];
      const rows = q(a);
      expect(rows.length).toBeGreaterThan(10);
      expect(q(b)).toEqual(rows);
      expect(rows.every((r) => r.hlc === SEED_HLC && r.o === SEED_OFFICE)).toBe(true);
      expect(rows.map((r) => r.id)).toContain(seedId('problem_categories', '履行全面从严治党责任/廉洁风险'));
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      expect(rows.every((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id))).toBe(true);
      // Their offices differ: the records are each ledger's own otherwise.
      expect(a.state.officeId).not.toBe(b.state.officeId);
    } finally {
      a.close();
      b.close();
    }
  });
});
