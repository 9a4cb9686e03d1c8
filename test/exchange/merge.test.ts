import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { getRow, restoreRow, softDelete, updateRow } from '../../db/core/write.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { applyChanges, planChanges } from '../../db/exchange/apply.js';
import { collectChanges, type OfficeRef } from '../../db/exchange/changes.js';
import { exchangeTables } from '../../db/exchange/tables.js';
import { dominatedBy, join } from '../../db/exchange/clocks.js';
import { clockOf, readFieldClocks } from '../../db/exchange/field-clocks.js';
import { problems, tasks, units } from '../../db/schema/index.js';
import { login, setupLedger } from '../../db/services/office.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';
import { expectError } from '../helpers/expect.js';
import { acceptProposal, listConflicts, listProposals, rejectProposal, resolveConflict } from '../../db/services/conflicts.js';

const PASSWORD = 'jiaohuan-mima-2024';
const open: Ledger[] = [];
afterEach(() => open.splice(0).forEach((l) => l.close()));
afterAll(() => template?.w.all.forEach((o) => o.ledger.close()));

interface Office {
  ref: OfficeRef;
  ledger: Ledger;
  clock: ReturnType<typeof fixedClock>;
  ctx: ServiceContext;
}

function office(name: string, kind: OfficeKind, seed: number): Office {
  const clock = fixedClock('2024-09-01');
  const ledger = openLedger(':memory:');
  open.push(ledger);
  const ids = uuidv7Source(() => clock.now(), seededRandom(seed));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), { officeName: name, officeKind: kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: PASSWORD });
  return { ref: { id: officeId, name, kind }, ledger, clock, ctx: as(login(as(null), { username: 'admin', password: PASSWORD })) };
}

/** Three offices of different kinds; two of them (巡视办, 组织部门) both own a unit's 整顿 note. */
function freshWorld() {
  const insp = office('某省委巡视办', 'inspection_office', 11);
  const org = office('某省委组织部', 'organisation', 12);
  const unit = office('某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', 13);
  const all = [insp, org, unit];
  const refs = all.map((o) => o.ref);
  // The inspection office sends the round, the unit, the inspection and the feedback down.
  const base = inTransaction(insp.ctx, () => {
    const round = fxRound(insp.ctx);
    const u = fxUnit(insp.ctx);
    const { inspection, feedback } = fxInspection(insp.ctx, { roundId: round.id, unitId: u.id });
    return { round, unit: u, inspection, feedback };
  });
  for (const o of [org, unit]) send(insp, o, refs);
  return { insp, org, unit, all, refs, base };
}

type World = ReturnType<typeof freshWorld>;
let template: { w: World; images: Buffer[] } | null = null;

/**
 * A copy of the three-office world (set-up costs seconds of password hashing: made once per file,
 * then each test or property run opens its own copies of the three ledger images).
 */
function world(): World {
  if (!template) {
    const w = freshWorld();
    template = { w, images: w.all.map((o) => o.ledger.sqlite.serialize()) };
    open.splice(open.indexOf(w.insp.ledger), 3);
  }
  const t = template;
  const copy = (o: Office, i: number): Office => {
    const ledger = openLedger(':memory:', { image: t.images[i]! });
    open.push(ledger);
    const clock = fixedClock('2024-09-01');
    clock.advance(o.clock.now() - clock.now());
    const ids = uuidv7Source(() => clock.now(), seededRandom(100 + i));
    return { ref: o.ref, ledger, clock, ctx: { ledger, clock, ids, user: o.ctx.user } };
  };
  const [insp, org, unit] = t.w.all.map(copy) as [Office, Office, Office];
  return { ...t.w, insp, org, unit, all: [insp, org, unit] };
}

function send(from: Office, to: Office, refs: OfficeRef[], sinceVersion = 0) {
  const { changes } = collectChanges(from.ctx, { sinceVersion, recipientKind: to.ref.kind, includeClues: false });
  return applyChanges(to.ctx, changes, refs);
}

/** Everything exchange decides, per table: each record's exchanged fields, tombstone and conflicts. */
function state(o: Office) {
  const out: Record<string, unknown[]> = {};
  for (const t of exchangeTables().values()) {
    const rows = o.ledger.sqlite.prepare(`SELECT * FROM "${t.name}" ORDER BY id`).all() as Record<string, unknown>[];
    out[t.name] = rows.map((r) => [r.id, r.deleted_at ?? null, r.deleted_reason ?? null, ...t.fields.map((f) => r[f.name] ?? null)]);
  }
  out.conflicts = o.ledger.sqlite.prepare('SELECT entity_id, field, heads FROM field_conflicts ORDER BY entity_id, field').all();
  out.proposals = listProposals(o.ctx).map((p) => [p.entityId, p.field, JSON.stringify(p.proposed), p.office, p.at, p.status]).sort();
  return out;
}

type Edit =
  | { kind: 'note'; by: 0 | 1; text: string } // 整顿 note: 巡视办 or 组织部门
  | { kind: 'round'; text: string } // round name: 巡视办
  | { kind: 'problem' } // the unit files a problem with a task
  | { kind: 'measures'; pick: number; text: string } // the unit edits a task's measures
  | { kind: 'delete'; pick: number } // the unit deletes or restores a task
  | { kind: 'propose'; pick: number; text: string } // 巡视办 edits a task's measures: not its field, a proposal
  | { kind: 'decide'; pick: number; accept: boolean } // the unit accepts or rejects an open proposal
  | { kind: 'deliver'; from: number; to: number; since: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), by: fc.constantFrom(0 as const, 1 as const), text: fc.constantFrom('整顿中', '整顿完成', '列为软弱涣散') }),
  fc.record({ kind: fc.constant('round' as const), text: fc.constantFrom('某省委2024年第一轮巡视', '某省委2024年第1轮巡视') }),
  fc.record({ kind: fc.constant('problem' as const) }),
  fc.record({ kind: fc.constant('measures' as const), pick: fc.nat(), text: fc.constantFrom('修订措施甲', '修订措施乙', '修订措施丙') }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('propose' as const), pick: fc.nat(), text: fc.constantFrom('建议措施甲', '建议措施乙') }),
  fc.record({ kind: fc.constant('decide' as const), pick: fc.nat(), accept: fc.boolean() }),
  fc.record({ kind: fc.constant('deliver' as const), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }), since: fc.nat({ max: 400 }) }),
);

function run(w: ReturnType<typeof world>, edits: Edit[]) {
  const { insp, org, unit, all, refs, base } = w;
  let n = 0;
  for (const e of edits) {
    for (const o of all) o.clock.advance(60_000);
    if (e.kind === 'note') {
      const o = e.by === 0 ? insp : org;
      const u = getRow(o.ctx, units, base.unit.id)!;
      inTransaction(o.ctx, () => updateRow(o.ctx, units, u, { overhaulNote: `${e.text}${++n}` }));
    } else if (e.kind === 'round') {
      inTransaction(insp.ctx, () => updateRow(insp.ctx, (exchangeTables().get('rounds')!.table), getRow(insp.ctx, exchangeTables().get('rounds')!.table, base.round.id)!, { name: `${e.text}（${++n}）` }));
    } else if (e.kind === 'problem') {
      inTransaction(unit.ctx, () => {
        const p = fxProblem(unit.ctx, { unitId: base.unit.id, categoryId: categoryId(unit.ctx, '廉洁风险'), roundId: base.round.id, inspectionId: base.inspection.id, feedbackId: base.feedback.id, seq: ++n });
        fxTask(unit.ctx, { problemId: p.id, unitId: base.unit.id, roundId: base.round.id });
      });
    } else if (e.kind === 'propose') {
      const ts = insp.ledger.sqlite.prepare('SELECT id FROM tasks ORDER BY id').all() as { id: string }[];
      if (!ts.length) continue;
      const cur = getRow(insp.ctx, tasks, ts[e.pick % ts.length]!.id)!;
      inTransaction(insp.ctx, () => updateRow(insp.ctx, tasks, cur, { measures: `${e.text}${++n}` }));
    } else if (e.kind === 'decide') {
      const open = listProposals(unit.ctx).filter((p) => p.status === 'pending' && p.mine);
      if (!open.length) continue;
      const p = open[e.pick % open.length]!;
      if (e.accept) acceptProposal(unit.ctx, { id: p.id });
      else rejectProposal(unit.ctx, { id: p.id, note: '不采纳。' });
    } else if (e.kind === 'measures' || e.kind === 'delete') {
      const ts = unit.ledger.sqlite.prepare('SELECT id FROM tasks ORDER BY id').all() as { id: string }[];
      if (!ts.length) continue;
      const cur = getRow(unit.ctx, tasks, ts[e.pick % ts.length]!.id)!;
      inTransaction(unit.ctx, () => {
        if (e.kind === 'measures') updateRow(unit.ctx, tasks, cur, { measures: `${e.text}${++n}` });
        else if (cur.deletedAt) restoreRow(unit.ctx, tasks, cur);
        else softDelete(unit.ctx, tasks, cur, '重复录入。');
      });
    } else {
      // A partial package: "since" some earlier version, possibly missing changes (a lost package),
      // possibly repeating ones already delivered (a duplicate).
      const from = all[e.from]!;
      const to = all[e.to]!;
      if (from !== to) send(from, to, refs, Math.max(0, from.ledger.state.version - e.since));
    }
  }
  // Full delivery, twice round (relays), in a fixed order.
  for (let r = 0; r < 2; r++) for (const a of all) for (const b of all) if (a !== b) send(a, b, refs);
}

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
});
