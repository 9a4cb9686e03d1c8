import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/core/verify.js';
import { refreshProblemRollups } from '../../db/services/problems.js';
import { inTransaction } from '../../db/core/context.js';
import { getRow, updateRow } from '../../db/core/write.js';
import { applyChanges, PackageIndex, planChanges, Planner, PlanWriter } from '../../db/exchange/apply.js';
import { collectChanges } from '../../db/exchange/changes.js';
import { exchangeTables } from '../../db/exchange/tables.js';
import { dominatedBy, join } from '../../db/exchange/clocks.js';
import { clockOf, readFieldClocks } from '../../db/exchange/field-clocks.js';
import { problems, tasks, units } from '../../db/schema/index.js';
import { categoryId, fxProblem, fxTask } from '../helpers/fixtures.js';
import { expectError } from '../helpers/expect.js';
import { acceptProposal, listConflicts, listProposals, rejectProposal, resolveConflict } from '../../db/services/conflicts.js';
// The three-office world, its edits and its run live in the helper (bench/exchange-fuzz.ts runs the same property larger).
import { closeTemplate, edit, open, run, send, state, world } from '../helpers/merge-world.js';

afterEach(() => open.splice(0).forEach((l) => l.close()));
afterAll(() => closeTemplate());

describe('exchange between three offices', () => {
  it('converges: random edits, packages lost, repeated and out of order, then full delivery; every ledger holds the same values and conflicts', { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 5, maxLength: 25 }), (edits) => {
      const w = world();
      try {
        run(w, edits);
        const s0 = state(w.insp);
        expect(state(w.org)).toEqual(s0);
        expect(state(w.unit)).toEqual(s0);
        // Nothing dropped: each office's last note is known to the final state (the shown value's
        // clock, or a conflict head's, has seen that write's stamp).
        const u = getRow(w.unit.ctx, units, w.base.unit.id)!;
        const heads = (w.unit.ledger.sqlite.prepare("SELECT heads FROM field_conflicts WHERE field = 'overhaulNote'").get() as { heads: string } | undefined);
        const known = join(clockOf(readFieldClocks(u.fieldClocks, u.hlc), 'overhaulNote'), ...(heads ? (JSON.parse(heads.heads) as { c: string[] }[]).map((h) => h.c) : []));
        for (const o of [w.insp, w.org]) {
          const last = (o.ledger.sqlite.prepare("SELECT hlc, after FROM audit_log WHERE entity = 'units' AND action = 'update' AND after LIKE '%overhaulNote%' ORDER BY seq DESC LIMIT 1").get() as { hlc: string } | undefined);
          if (last) expect(dominatedBy([last.hlc], known)).toBe(true);
        }
        // Every record received verifies against its audit entry's content hash (computed from the
        // values the import bound, not read back). (The world deletes and restores tasks below the
        // services, which leaves problems' roll-ups stale: brought up to date first.)
        for (const o of [w.insp, w.org, w.unit]) {
          refreshProblemRollups(o.ctx, (o.ledger.sqlite.prepare('SELECT id FROM problems').all() as { id: string }[]).map((r) => r.id));
          expect(verifyLedger(o.ledger).severity).toBe('ok');
        }
        // Applying everything again changes nothing (idempotent).
        const v = w.unit.ledger.state.version;
        send(w.insp, w.unit, w.refs);
        send(w.org, w.unit, w.refs);
        expect(w.unit.ledger.state.version).toBe(v);
      } finally {
        open.splice(0).forEach((l) => l.close());
      }
    }), { numRuns: 60 });
  });

  it('different fields of one record edited by two offices both win; the same field is a conflict until resolved, and the resolution travels', () => {
    const w = world();
    const { insp, org, unit, refs, base } = w;
    // Concurrent: 巡视办 changes the note, 组织部门 too (neither saw the other's).
    inTransaction(insp.ctx, () => updateRow(insp.ctx, units, getRow(insp.ctx, units, base.unit.id)!, { overhaulNote: '巡视办：整顿中' }));
    org.clock.advance(1000);
    inTransaction(org.ctx, () => updateRow(org.ctx, units, getRow(org.ctx, units, base.unit.id)!, { overhaulNote: '组织部：列为软弱涣散', underOverhaul: true }));
    send(insp, unit, refs);
    send(org, unit, refs);
    send(org, insp, refs);
    send(insp, org, refs);
    for (const o of [insp, org, unit]) {
      const u = getRow(o.ctx, units, base.unit.id)!;
      expect(u.underOverhaul).toBe(true); // a different field: no conflict
      expect(u.overhaulNote).toBe('组织部：列为软弱涣散'); // the greater stamp is shown everywhere
      expect(o.ledger.sqlite.prepare('SELECT field FROM field_conflicts').all()).toEqual([{ field: 'overhaulNote' }]);
    }
    // The organisation department resolves it; the resolution reaches the others and ends the conflict.
    inTransaction(org.ctx, () => updateRow(org.ctx, units, getRow(org.ctx, units, base.unit.id)!, { overhaulNote: '已核实：整顿中' }));
    expect(org.ledger.sqlite.prepare('SELECT count(*) AS n FROM field_conflicts').get()).toEqual({ n: 0 });
    const p = planChanges(unit.ctx, collectChanges(org.ctx, { sinceVersion: 0, recipientKind: 'inspected_unit', includeClues: false }).changes, refs);
    expect(p.preview.items.filter((i) => i.field === 'overhaulNote')).toEqual([expect.objectContaining({ outcome: 'changed', to: '已核实：整顿中' })]);
    send(org, unit, refs);
    send(org, insp, refs);
    for (const o of [insp, org, unit]) {
      expect(getRow(o.ctx, units, base.unit.id)!.overhaulNote).toBe('已核实：整顿中');
      expect(o.ledger.sqlite.prepare('SELECT count(*) AS n FROM field_conflicts').get()).toEqual({ n: 0 });
    }
  });

  it('解决冲突 with the shown value still travels and ends the conflict everywhere; 采纳 and 不采纳 close proposals', () => {
    const w = world();
    const { insp, org, unit, refs, base } = w;
    inTransaction(insp.ctx, () => updateRow(insp.ctx, units, getRow(insp.ctx, units, base.unit.id)!, { overhaulNote: '甲' }));
    org.clock.advance(1000);
    inTransaction(org.ctx, () => updateRow(org.ctx, units, getRow(org.ctx, units, base.unit.id)!, { overhaulNote: '乙' }));
    send(insp, org, refs);
    send(org, insp, refs);
    send(org, unit, refs);
    send(insp, unit, refs);
    const [c] = listConflicts(insp.ctx);
    expect(c).toMatchObject({ entity: 'units', entityId: base.unit.id, field: 'overhaulNote' });
    const shownAt = c!.heads.findIndex((h) => h.shown);
    expect(c!.heads[shownAt]!.value).toBe('乙');
    resolveConflict(insp.ctx, { entityId: base.unit.id, field: 'overhaulNote', head: shownAt });
    expect(listConflicts(insp.ctx)).toEqual([]);
    send(insp, unit, refs);
    send(insp, org, refs);
    for (const o of [org, unit]) {
      expect(listConflicts(o.ctx)).toEqual([]);
      expect(getRow(o.ctx, units, base.unit.id)!.overhaulNote).toBe('乙');
    }
    // A proposal: the inspected unit's measures changed by the inspection office.
    const t = inTransaction(unit.ctx, () => {
      const p = fxProblem(unit.ctx, { unitId: base.unit.id, categoryId: categoryId(unit.ctx, '廉洁风险'), roundId: base.round.id });
      return fxTask(unit.ctx, { problemId: p.id, unitId: base.unit.id, roundId: base.round.id });
    });
    send(unit, insp, refs);
    inTransaction(insp.ctx, () => updateRow(insp.ctx, tasks, getRow(insp.ctx, tasks, t.id)!, { measures: '建议：细化时间表。' }));
    send(insp, unit, refs);
    const [p] = listProposals(unit.ctx);
    expect(p).toMatchObject({ entity: 'tasks', field: 'measures', current: t.measures, proposed: '建议：细化时间表。', status: 'pending', officeName: '某省委巡视办' });
    acceptProposal(unit.ctx, { id: p!.id });
    expect(getRow(unit.ctx, tasks, t.id)!.measures).toBe('建议：细化时间表。');
    expect(() => rejectProposal(unit.ctx, { id: p!.id, note: '重复处理' })).toThrow(/已经处理/);
  });

  it('a change from an office that does not own the field is kept as a proposal, never applied', () => {
    const w = world();
    const { insp, unit, refs, base } = w;
    const t = inTransaction(unit.ctx, () => {
      const p = fxProblem(unit.ctx, { unitId: base.unit.id, categoryId: categoryId(unit.ctx, '廉洁风险'), roundId: base.round.id });
      return fxTask(unit.ctx, { problemId: p.id, unitId: base.unit.id, roundId: base.round.id });
    });
    send(unit, insp, refs);
    // The inspection office edits the unit's measures in its own ledger (it does not own them).
    insp.clock.advance(1000);
    inTransaction(insp.ctx, () => updateRow(insp.ctx, tasks, getRow(insp.ctx, tasks, t.id)!, { measures: '巡视办建议的措施。' }));
    const r = send(insp, unit, refs);
    expect(r.counts.proposal).toBe(1);
    expect(getRow(unit.ctx, tasks, t.id)!.measures).toBe(t.measures);
    expect(unit.ledger.sqlite.prepare('SELECT field, value, status FROM proposals').all()).toEqual([{ field: 'measures', value: JSON.stringify('巡视办建议的措施。'), status: 'pending' }]);
    // Received again: still one proposal.
    send(insp, unit, refs);
    expect(unit.ledger.sqlite.prepare('SELECT count(*) AS n FROM proposals').get()).toEqual({ n: 1 });
  });

  it('a problem created by a package gets the roll-up of the tasks it has here, whatever roll-up the sender sent', () => {
    const w = world();
    const { unit, refs } = w;
    run(w, [{ kind: 'problem' }, { kind: 'problem' }]);
    const fresh = world();
    const changes = collectChanges(unit.ctx, { sinceVersion: 0, recipientKind: 'inspection_office', includeClues: false }).changes
      .filter((c) => c.table === 'problems' || c.table === 'tasks');
    const [p1, p2] = changes.filter((c) => c.table === 'problems');
    // The first as sent; the second claims 5 tasks, 5 closed, a deadline, 已销号.
    const lying = { ...p2!, initial: { ...p2!.initial, taskCount: 5, closedTaskCount: 5, status: 'closed', deadline: '2020-01-01' } };
    applyChanges(fresh.insp.ctx, changes.map((c) => (c.id === p2!.id ? lying : c)), refs);
    const rollup = (id: string) => fresh.insp.ledger.sqlite.prepare('SELECT task_count AS n, closed_task_count AS closed, status FROM problems WHERE id = ?').get(id);
    expect(rollup(p2!.id)).toEqual({ n: 1, closed: 0, status: 'open' });
    expect(rollup(p1!.id)).toEqual({ n: 1, closed: 0, status: 'open' });
    expect(verifyLedger(fresh.insp.ledger).severity).toBe('ok');
  });

  it('a received record whose text holds a lone surrogate (a JSON escape) is stored with U+FFFD, and its row hash is the stored row’s', () => {
    const w = world();
    const { unit, refs } = w;
    run(w, [{ kind: 'problem' }]);
    const fresh = world();
    const changes = collectChanges(unit.ctx, { sinceVersion: 0, recipientKind: 'inspection_office', includeClues: false }).changes
      .filter((c) => c.table === 'problems' || c.table === 'tasks');
    const odd = changes.map((c) => (c.table === 'problems' ? { ...c, row: { ...c.row, description: `${c.row.description as string}\uD83D` } } : c));
    applyChanges(fresh.insp.ctx, odd, refs);
    const stored = fresh.insp.ledger.sqlite.prepare('SELECT description AS d FROM problems WHERE id = ?').get(odd.find((c) => c.table === 'problems')!.id) as { d: string };
    expect(stored.d.endsWith('\uFFFD')).toBe(true);
    expect(verifyLedger(fresh.insp.ledger).severity).toBe('ok');
  });

  it('refuses a package whose record breaks the schema, a reference or the creation right, and writes nothing', () => {
    const w = world();
    const { insp, unit, refs, base } = w;
    const good = collectChanges(insp.ctx, { sinceVersion: 0, recipientKind: 'inspected_unit', includeClues: false }).changes;
    const fingerprint = () => JSON.stringify(state(unit)) + unit.ledger.state.version;
    const before = fingerprint();
    const round = good.find((c) => c.table === 'rounds')!;
    expectError(() => applyChanges(unit.ctx, [{ ...round, row: { ...round.row, form: 'not-a-form' } }], refs), 'CORRUPT', undefined, 'package_record');
    expectError(() => applyChanges(unit.ctx, [{ ...round, row: { ...round.row, extra: 1 } }], refs), 'CORRUPT', undefined, 'package_record');
    expectError(() => applyChanges(unit.ctx, [{ ...round, table: 'users' }], refs), 'CORRUPT', undefined, 'package_record');
    // Every other part of a record a package carries is checked for its form too: a specific
    // refusal, never a crash inside the write.
    const broken: [string, unknown][] = [
      ['row not an object', { ...round, row: '某轮巡视' }],
      ['tombstone time not a string', { ...round, deleted: { at: 20240101, by: null, reason: null } }],
      ['tombstone an array', { ...round, deleted: ['2024-01-01'] }],
      ['no base clock', { ...round, clocks: { name: round.clocks._ } }],
      ['a stamp of the wrong form', { ...round, clocks: { _: ['yesterday'] } }],
      ['a clock on an unknown field', { ...round, clocks: { ...round.clocks, password: round.clocks._ } }],
      ['conflict heads of the wrong type', { ...round, heads: { name: [{ v: 1, c: round.clocks._ }, { v: 2, c: round.clocks._ }] } }],
      ['a single conflict head', { ...round, heads: { name: [{ v: '甲', c: round.clocks._ }] } }],
      ['a proposal on an unknown field', { ...round, proposals: [{ field: 'secret', v: 'x', c: round.clocks._, office: unit.ref.id, name: null }] }],
      ['a proposal value of the wrong type', { ...round, proposals: [{ field: 'name', v: { x: 1 }, c: round.clocks._, office: unit.ref.id, name: null }] }],
      ['initial values not an object', { ...round, initial: [1, 2] }],
    ];
    for (const [what, change] of broken) {
      try {
        applyChanges(unit.ctx, [change as typeof round], refs);
        throw new Error(`accepted: ${what}`);
      } catch (e) {
        expect({ what, reason: (e as { reason?: string }).reason }).toEqual({ what, reason: 'package_record' });
      }
    }
    const insp2 = good.find((c) => c.table === 'inspections')!;
    expectError(() => applyChanges(unit.ctx, [{ ...insp2, id: '01930000-0000-7000-8000-00000000abcd', row: { ...insp2.row, roundId: '01930000-0000-7000-8000-00000000ffff' } }], refs), 'CORRUPT', undefined, 'package_reference');
    expect(fingerprint()).toBe(before);
    // A round "created" by the inspected unit (it may not create rounds) is refused, with the
    // inspection that hangs on it; the rest of the package applies.
    const fakeRound = { ...round, id: '01930000-0000-7000-8000-00000000aaaa', origin: unit.ref.id };
    const hanging = { ...insp2, id: '01930000-0000-7000-8000-00000000bbbb', row: { ...insp2.row, roundId: fakeRound.id } };
    const r = applyChanges(insp.ctx, [fakeRound, hanging], refs);
    expect(r.counts).toMatchObject({ refused: 2, new: 0 });
    expect(r.items.map((i) => [i.outcome, i.id])).toEqual([['refused', fakeRound.id], ['refused', hanging.id]]);
    expect(getRow(insp.ctx, exchangeTables().get('rounds')!.table, fakeRound.id)).toBeUndefined();
    // And a good change after a refused one still applies whole.
    expect(getRow(unit.ctx, problems, base.round.id)).toBeUndefined();
  });

  it('checks a package as a whole in a first pass, then plans and writes it batch by batch with the same result as all at once', () => {
    const w = world();
    const { unit, refs } = w;
    run(w, [{ kind: 'problem' }, { kind: 'problem' }, { kind: 'problem' }]);
    const changes = collectChanges(unit.ctx, { sinceVersion: 0, recipientKind: 'inspection_office', includeClues: false }).changes;
    const fresh = world();
    const whole = applyChanges(fresh.insp.ctx, changes, refs);
    expect(whole.counts.new).toBeGreaterThanOrEqual(6);
    const { insp } = world();
    // The same package through the import's passes: every record indexed, then batches of 2 (and
    // the records in reverse order: a reference to a record later in the package is found too).
    const reversed = [...changes].reverse();
    const index = new PackageIndex(insp.ctx);
    for (const c of reversed) index.add(c);
    const checked = index.check(refs, new Set());
    const planner = new Planner(insp.ctx, checked, refs);
    inTransaction(insp.ctx, () => {
      const writer = new PlanWriter(insp.ctx, undefined);
      for (let i = 0; i < reversed.length; i += 2) writer.write(planner.plan(reversed.slice(i, i + 2)));
      writer.finish();
    });
    expect(planner.preview.counts).toEqual(whole.counts);
    expect(state(insp)).toEqual(state(fresh.insp));
    expect(verifyLedger(insp.ledger).severity).toBe('ok');
    // A record the first pass did not read (the file changed between the passes) is refused.
    const other = new Planner(unit.ctx, new PackageIndex(unit.ctx).check(refs, new Set()), refs);
    expectError(() => other.plan([changes[0]!]), 'CORRUPT', undefined, 'package_changed');
    // The same record twice in one package is refused before anything is planned.
    const twice = new PackageIndex(unit.ctx);
    twice.add(changes[0]!);
    expectError(() => twice.add(changes[0]!), 'CORRUPT', undefined, 'package_record');
  });
});
