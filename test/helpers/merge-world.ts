/**
 * The three-office world of test/exchange/merge.test.ts, its random edits and its run (one
 * declaration for that test and bench/exchange-fuzz.ts, which runs the same property larger).
 * 巡视办, 组织部门 and an inspected unit, each with its own ledger: random edits (notes both
 * 巡视办 and 组织部门 own, round names, problems and tasks filed by the unit, its measures,
 * deletions and restores, proposals from 巡视办 and the unit's decisions on them) interleaved with
 * partial deliveries "since" some earlier version (lost and repeated changes, any order), then full
 * delivery twice round. No vitest here: `checkConverged` states the property with node:assert.
 */
import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import { exchangeOffice, type ExchangeOffice } from './exchange-offices.js';
import { fixedClock } from '../../db/core/clock.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { getRow, restoreRow, softDelete, updateRow } from '../../db/core/write.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { applyChanges } from '../../db/exchange/apply.js';
import { collectChanges, type OfficeRef } from '../../db/exchange/changes.js';
import { exchangeTables } from '../../db/exchange/tables.js';
import { dominatedBy, join } from '../../db/exchange/clocks.js';
import { clockOf, readFieldClocks } from '../../db/exchange/field-clocks.js';
import { tasks, units } from '../../db/schema/index.js';
import { acceptProposal, listProposals, rejectProposal } from '../../db/services/conflicts.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from './fixtures.js';

const PASSWORD = 'jiaohuan-mima-2024';
/** Every ledger opened by `world()` (each test or property run closes them). */
export const open: Ledger[] = [];

export type Office = ExchangeOffice;

function office(name: string, kind: OfficeKind, seed: number): Office {
  const o = exchangeOffice(null, { name, kind, seed, password: PASSWORD });
  open.push(o.ledger);
  return o;
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

export type World = ReturnType<typeof freshWorld>;
let template: { w: World; images: Buffer[] } | null = null;

/**
 * A copy of the three-office world (set-up costs seconds of password hashing: made once per file,
 * then each test or property run opens its own copies of the three ledger images).
 */
export function world(): World {
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
    return { ref: o.ref, id: o.id, ledger, clock, ctx: { ledger, clock, ids, user: o.ctx.user } };
  };
  const [insp, org, unit] = t.w.all.map(copy) as [Office, Office, Office];
  return { ...t.w, insp, org, unit, all: [insp, org, unit] };
}

export function send(from: Office, to: Office, refs: OfficeRef[], sinceVersion = 0) {
  const { changes } = collectChanges(from.ctx, { sinceVersion, recipientKind: to.ref.kind, includeClues: false });
  return applyChanges(to.ctx, changes, refs);
}

/** Everything exchange decides, per table: each record's exchanged fields, tombstone and conflicts. */
export function state(o: Office) {
  const out: Record<string, unknown[]> = {};
  for (const t of exchangeTables().values()) {
    const rows = o.ledger.sqlite.prepare(`SELECT * FROM "${t.name}" ORDER BY id`).all() as Record<string, unknown>[];
    out[t.name] = rows.map((r) => [r.id, r.deleted_at ?? null, r.deleted_reason ?? null, ...t.fields.map((f) => r[f.name] ?? null)]);
  }
  out.conflicts = o.ledger.sqlite.prepare('SELECT entity_id, field, heads FROM field_conflicts ORDER BY entity_id, field').all();
  out.proposals = listProposals(o.ctx).map((p) => [p.entityId, p.field, JSON.stringify(p.proposed), p.office, p.at, p.status]).sort();
  return out;
}

export type Edit =
  | { kind: 'note'; by: 0 | 1; text: string } // 整顿 note: 巡视办 or 组织部门
  | { kind: 'round'; text: string } // round name: 巡视办
  | { kind: 'problem' } // the unit files a problem with a task
  | { kind: 'measures'; pick: number; text: string } // the unit edits a task's measures
  | { kind: 'delete'; pick: number } // the unit deletes or restores a task
  | { kind: 'propose'; pick: number; text: string } // 巡视办 edits a task's measures: not its field, a proposal
  | { kind: 'decide'; pick: number; accept: boolean } // the unit accepts or rejects an open proposal
  | { kind: 'deliver'; from: number; to: number; since: number };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), by: fc.constantFrom(0 as const, 1 as const), text: fc.constantFrom('整顿中', '整顿完成', '列为软弱涣散') }),
  fc.record({ kind: fc.constant('round' as const), text: fc.constantFrom('某省委2024年第一轮巡视', '某省委2024年第1轮巡视') }),
  fc.record({ kind: fc.constant('problem' as const) }),
  fc.record({ kind: fc.constant('measures' as const), pick: fc.nat(), text: fc.constantFrom('修订措施甲', '修订措施乙', '修订措施丙') }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('propose' as const), pick: fc.nat(), text: fc.constantFrom('建议措施甲', '建议措施乙') }),
  fc.record({ kind: fc.constant('decide' as const), pick: fc.nat(), accept: fc.boolean() }),
  fc.record({ kind: fc.constant('deliver' as const), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }), since: fc.nat({ max: 400 }) }),
);

export function run(w: ReturnType<typeof world>, edits: Edit[]) {
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

/** Close the template world's ledgers (at the end of a file or a bench). */
export function closeTemplate(): void {
  template?.w.all.forEach((o) => o.ledger.close());
  template = null;
}

/**
 * The convergence property of merge.test.ts, checked after `run`: every ledger holds the same
 * values, conflicts and proposals; each office's last 整顿 note is known to the final state (the
 * shown value's clock, or a conflict head's, has seen it); delivering everything again changes
 * nothing. Throws an AssertionError otherwise.
 */
export function checkConverged(w: World): void {
  const s0 = state(w.insp);
  deepStrictEqual(state(w.org), s0, 'the organisation department differs from the inspection office');
  deepStrictEqual(state(w.unit), s0, 'the unit differs from the inspection office');
  const u = getRow(w.unit.ctx, units, w.base.unit.id)!;
  const heads = (w.unit.ledger.sqlite.prepare("SELECT heads FROM field_conflicts WHERE field = 'overhaulNote'").get() as { heads: string } | undefined);
  const known = join(clockOf(readFieldClocks(u.fieldClocks, u.hlc), 'overhaulNote'), ...(heads ? (JSON.parse(heads.heads) as { c: string[] }[]).map((h) => h.c) : []));
  for (const o of [w.insp, w.org]) {
    const last = (o.ledger.sqlite.prepare("SELECT hlc, after FROM audit_log WHERE entity = 'units' AND action = 'update' AND after LIKE '%overhaulNote%' ORDER BY seq DESC LIMIT 1").get() as { hlc: string } | undefined);
    if (last && !dominatedBy([last.hlc], known)) throw new Error(`${o.ref.name}'s last note (${last.hlc}) is lost`);
  }
  const v = w.unit.ledger.state.version;
  send(w.insp, w.unit, w.refs);
  send(w.org, w.unit, w.refs);
  if (w.unit.ledger.state.version !== v) throw new Error('delivering everything again changed the unit ledger');
}
