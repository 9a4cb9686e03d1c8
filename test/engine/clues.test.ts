import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ClueDisposition } from '../../db/domain/enums.js';
import {
  createClue, deleteClue, disposeClue, getClue, listClues, reactivateClue, recordClueOutcome, recordInquiryReply,
  restoreClue, updateClue,
} from '../../db/services/clues.js';
import { fxUnit } from '../helpers/fixtures.js';
import { softDelete } from '../../db/core/write.js';
import { units } from '../../db/schema/index.js';
import { auditCount, expectError, expectRefused } from '../helpers/expect.js';
import { makeWorld, rowCount, type Ctx, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

const newClue = (ctx: Ctx, o: Record<string, unknown> = {}) => createClue(ctx, {
  roundId: w.round.id, unitId: w.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
  summary: '反映其在工程招标中为亲属企业谋利。', receivedOn: '2024-02-10', receivingOrgan: 'ccdi', ...o,
});

/** The expected disposition graph, written out from the rules (not imported from the code under test). */
const LEGAL: Record<ClueDisposition, ClueDisposition[]> = {
  received: ['talk_inquiry', 'preliminary_verification', 'shelved', 'closed_out', 'case_filed'],
  talk_inquiry: ['preliminary_verification', 'closed_out', 'case_filed', 'shelved'],
  preliminary_verification: ['case_filed', 'closed_out', 'shelved', 'talk_inquiry'],
  shelved: [],
  closed_out: [],
  case_filed: [],
};
const ALL = Object.keys(LEGAL) as ClueDisposition[];

/** A clue brought to `state` by a legal first step (or left as received). */
function clueIn(state: ClueDisposition) {
  const c = newClue(w.sup);
  if (state === 'received') return c;
  return disposeClue(w.sup, { clueId: c.id, way: state, decidedOn: '2024-02-20', note: '经研究，按此方式处置。' });
}

describe('clue disposition state machine', () => {
  const cases = ALL.flatMap((from) => ALL.map((to) => ({ from, to, legal: LEGAL[from].includes(to) })));

  it.each(cases.filter((c) => c.legal))('moves a clue from $from to $to and records the step', ({ from, to }) => {
    w = makeWorld();
    const c = clueIn(from);
    const r = disposeClue(w.sup, { clueId: c.id, way: to, decidedOn: '2024-03-05', note: '根据核查情况调整处置方式。' });
    expect(r.disposition).toBe(to);
    const got = getClue(w.sup, { id: c.id });
    expect(got.disposition).toBe(to);
    const last = got.steps.at(-1)!;
    expect(last).toMatchObject({ fromWay: from, way: to, decidedOn: '2024-03-05', note: '根据核查情况调整处置方式。', isReactivation: false });
    expect(got.steps).toHaveLength(from === 'received' ? 1 : 2);
  });

  it.each(cases.filter((c) => !c.legal))('refuses to move a clue from $from to $to', ({ from, to }) => {
    w = makeWorld();
    const c = clueIn(from);
    const steps = rowCount(w.t, 'clue_dispositions');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: to, decidedOn: '2024-03-05', note: '调整处置方式。' }), 'ILLEGAL_TRANSITION');
    expect(getClue(w.sup, { id: c.id }).disposition).toBe(from);
    expect(rowCount(w.t, 'clue_dispositions')).toBe(steps);
  });

  it('re-activates a shelved clue with the new facts as the reason', () => {
    w = makeWorld();
    for (const to of ['talk_inquiry', 'preliminary_verification', 'case_filed'] as const) {
      const c = clueIn('shelved');
      const r = reactivateClue(w.sup, { clueId: c.id, way: to, decidedOn: '2024-04-01', reason: '收到新的举报材料，反映问题有新进展。' });
      expect(r.disposition).toBe(to);
      expect(r.step).toMatchObject({ fromWay: 'shelved', way: to, isReactivation: true, note: '收到新的举报材料，反映问题有新进展。' });
    }
  });

  it('refuses a re-activation without new facts, to a terminal way, or of a clue that is not shelved', () => {
    w = makeWorld();
    const shelved = clueIn('shelved');
    expectRefused(w.t, () => reactivateClue(w.sup, { clueId: shelved.id, way: 'talk_inquiry', decidedOn: '2024-04-01' }), 'VALIDATION', 'reason');
    expectRefused(w.t, () => reactivateClue(w.sup, { clueId: shelved.id, way: 'closed_out', decidedOn: '2024-04-01', reason: '新情况' }), 'ILLEGAL_TRANSITION');
    expectRefused(w.t, () => reactivateClue(w.sup, { clueId: shelved.id, way: 'shelved', decidedOn: '2024-04-01', reason: '新情况' }), 'ILLEGAL_TRANSITION');
    const inquiry = clueIn('talk_inquiry');
    expectRefused(w.t, () => reactivateClue(w.sup, { clueId: inquiry.id, way: 'case_filed', decidedOn: '2024-04-01', reason: '新情况' }), 'ILLEGAL_TRANSITION', undefined, 'not_shelved');
  });

  it('a shelved clue can then move on along the ordinary rules', () => {
    w = makeWorld();
    const c = clueIn('shelved');
    reactivateClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-04-01', reason: '新举报。' });
    disposeClue(w.sup, { clueId: c.id, way: 'closed_out', decidedOn: '2024-04-20', note: '函询说明属实，予以了结。' });
    expect(getClue(w.sup, { id: c.id }).steps.map((s) => s.way)).toEqual(['shelved', 'talk_inquiry', 'closed_out']);
  });

  it('refuses steps dated before receipt or before the previous step, naming decidedOn', () => {
    w = makeWorld();
    const c = newClue(w.sup);
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-02-09', note: '谈话。' }), 'VALIDATION', 'decidedOn', 'before_received');
    disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-03-01', note: '谈话。' });
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'case_filed', decidedOn: '2024-02-28', note: '立案。' }), 'VALIDATION', 'decidedOn', 'before_previous');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'case_filed', decidedOn: '2024-02-30', note: '立案。' }), 'VALIDATION', 'decidedOn');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'case_filed', decidedOn: '2024-03-10', note: '  ' }), 'VALIDATION', 'note');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'dismissed', decidedOn: '2024-03-10', note: '立案。' }), 'VALIDATION', 'way');
  });
});

describe('inquiry letters and outcomes', () => {
  it('records the reply to an inquiry letter, not before the letter was sent', () => {
    w = makeWorld();
    const c = newClue(w.sup);
    const r = disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-03-01', note: '函询。', letterSentOn: '2024-03-04' });
    expect(r.step.letterSentOn).toBe('2024-03-04');
    expectRefused(w.t, () => recordInquiryReply(w.sup, { dispositionId: r.step.id, repliedOn: '2024-03-03' }), 'VALIDATION', 'repliedOn');
    const step = recordInquiryReply(w.sup, { dispositionId: r.step.id, repliedOn: '2024-03-20' });
    expect(step.repliedOn).toBe('2024-03-20');
    expect(getClue(w.sup, { id: c.id }).steps[0]!.repliedOn).toBe('2024-03-20');
  });

  it('takes a letter date only for 谈话函询 and not before the decision', () => {
    w = makeWorld();
    const c = newClue(w.sup);
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'preliminary_verification', decidedOn: '2024-03-01', note: '初核。', letterSentOn: '2024-03-02' }), 'VALIDATION', 'letterSentOn');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-03-01', note: '函询。', letterSentOn: '2024-02-28' }), 'VALIDATION', 'letterSentOn');
    const noLetter = disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-03-01', note: '谈话。' });
    expectRefused(w.t, () => recordInquiryReply(w.sup, { dispositionId: noLetter.step.id, repliedOn: '2024-03-20' }), 'CONFLICT', undefined, 'no_letter');
    expectRefused(w.t, () => recordInquiryReply(w.sup, { dispositionId: w.task.id, repliedOn: '2024-03-20' }), 'NOT_FOUND', 'dispositionId');
  });

  it('records the outcome of a filed case with money recovered in exact fen', () => {
    w = makeWorld();
    const c = clueIn('case_filed');
    const r = recordClueOutcome(w.sup, { clueId: c.id, outcome: 'party_discipline', concludedOn: '2024-05-10', moneyRecoveredFen: 123456789 });
    expect(r).toMatchObject({ outcome: 'party_discipline', concludedOn: '2024-05-10', moneyRecoveredFen: 123456789 });
    const sum = w.t.ledger.sqlite.prepare('SELECT sum(money_recovered_fen) AS s FROM clues').get() as { s: number };
    expect(sum.s).toBe(123456789);
  });

  it('refuses an outcome before the clue is concluded, a wrong outcome for 予以了结, and bad money', () => {
    w = makeWorld();
    const open = clueIn('talk_inquiry');
    expectRefused(w.t, () => recordClueOutcome(w.sup, { clueId: open.id, outcome: 'cleared', concludedOn: '2024-05-10' }), 'ILLEGAL_TRANSITION');
    const closed = clueIn('closed_out');
    expectRefused(w.t, () => recordClueOutcome(w.sup, { clueId: closed.id, outcome: 'party_discipline', concludedOn: '2024-05-10' }), 'VALIDATION', 'outcome');
    expect(recordClueOutcome(w.sup, { clueId: closed.id, outcome: 'cleared', concludedOn: '2024-05-10' }).outcome).toBe('cleared');
    const filed = clueIn('case_filed');
    for (const bad of [12.5, -1, '100']) {
      expectRefused(w.t, () => recordClueOutcome(w.sup, { clueId: filed.id, outcome: 'organisational', concludedOn: '2024-05-10', moneyRecoveredFen: bad }), 'VALIDATION', 'moneyRecoveredFen');
    }
    expectRefused(w.t, () => recordClueOutcome(w.sup, { clueId: filed.id, outcome: 'cleared', concludedOn: '2024-05-10', moneyRecoveredFen: 500 }), 'VALIDATION', 'moneyRecoveredFen');
    expectRefused(w.t, () => recordClueOutcome(w.sup, { clueId: filed.id, outcome: 'judicial_transfer', concludedOn: '2024-02-19' }), 'VALIDATION', 'concludedOn');
  });
});

describe('clue records', () => {
  it('refuses bad input naming the field and writes nothing', () => {
    w = makeWorld();
    expectRefused(w.t, () => newClue(w.sup, { subjectName: '' }), 'VALIDATION', 'subjectName');
    expectRefused(w.t, () => newClue(w.sup, { subjectPost: 'x'.repeat(201) }), 'VALIDATION', 'subjectPost');
    expectRefused(w.t, () => newClue(w.sup, { receivedOn: '2023-02-29' }), 'VALIDATION', 'receivedOn');
    expectRefused(w.t, () => newClue(w.sup, { receivingOrgan: '中央纪委' }), 'VALIDATION', 'receivingOrgan');
    expectRefused(w.t, () => newClue(w.sup, { roundId: w.task.id }), 'NOT_FOUND', 'roundId');
    const gone = fxUnit(w.fx, { name: '某某已撤销单位' });
    softDelete(w.fx, units, gone, '测试');
    expectRefused(w.t, () => newClue(w.sup, { unitId: gone.id }), 'NOT_FOUND', 'unitId');
    expect(rowCount(w.t, 'clues')).toBe(0);
  });

  it('lists clues of a round or unit, oldest first, without deleted ones unless asked', () => {
    w = makeWorld();
    const b = newClue(w.sup, { receivedOn: '2024-03-01' });
    const a = newClue(w.sup, { receivedOn: '2024-02-01' });
    const other = newClue(w.sup, { unitId: w.unit2.id, receivedOn: '2024-01-15' });
    newClue(w.sup, { roundId: w.round2.id, unitId: null, receivedOn: '2024-01-20' });
    expect(listClues(w.sup, { unitId: w.unit.id }).items.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(listClues(w.sup, { roundId: w.round.id }).items.map((c) => c.id)).toEqual([other.id, a.id, b.id]);
    disposeClue(w.sup, { clueId: a.id, way: 'shelved', decidedOn: '2024-03-02', note: '暂存。' });
    expect(listClues(w.sup, { disposition: 'shelved' }).items.map((c) => c.id)).toEqual([a.id]);
    expectRefused(w.t, () => deleteClue(w.sup, { id: b.id }), 'VALIDATION', 'reason');
    deleteClue(w.sup, { id: b.id, reason: '重复录入。' });
    const live = listClues(w.sup, { unitId: w.unit.id });
    expect(live.items.map((c) => c.id)).toEqual([a.id]);
    expect(live.total).toBe(1);
    expect(listClues(w.sup, { unitId: w.unit.id, includeDeleted: true }).items.map((c) => c.id)).toEqual([a.id, b.id]);
    expectError(() => getClue(w.sup, { id: b.id }), 'NOT_FOUND', 'id');
    expect(getClue(w.sup, { id: b.id, includeDeleted: true }).deletedReason).toBe('重复录入。');
    expectRefused(w.t, () => disposeClue(w.sup, { clueId: b.id, way: 'shelved', decidedOn: '2024-03-02', note: '暂存。' }), 'NOT_FOUND', 'clueId');
    restoreClue(w.sup, { id: b.id });
    expect(listClues(w.sup, { unitId: w.unit.id }).total).toBe(2);
    expectRefused(w.t, () => restoreClue(w.sup, { id: b.id }), 'CONFLICT', undefined, 'not_deleted');
  });

  it('corrects particulars but keeps the receipt date before the first step', () => {
    w = makeWorld();
    const c = newClue(w.sup);
    disposeClue(w.sup, { clueId: c.id, way: 'preliminary_verification', decidedOn: '2024-02-20', note: '初核。' });
    expectRefused(w.t, () => updateClue(w.sup, { id: c.id, receivedOn: '2024-02-21' }), 'VALIDATION', 'receivedOn');
    const u = updateClue(w.sup, { id: c.id, subjectPost: '某某集团有限公司原副总经理', receivedOn: '2024-02-12' });
    expect(u).toMatchObject({ subjectPost: '某某集团有限公司原副总经理', receivedOn: '2024-02-12', disposition: 'preliminary_verification' });
  });
});

describe('clue permission (need-to-know)', () => {
  it('gives a user without clue permission FORBIDDEN for every clue function and changes nothing', () => {
    w = makeWorld();
    const c = newClue(w.sup);
    const step = disposeClue(w.sup, { clueId: c.id, way: 'talk_inquiry', decidedOn: '2024-03-01', note: '函询。', letterSentOn: '2024-03-02' }).step;
    for (const user of [w.t.users.entry, w.t.users.reviewer2, w.t.users.admin, w.t.users.readonly]) {
      const ctx = w.t.as(user);
      expectRefused(w.t, () => listClues(ctx, {}), 'FORBIDDEN');
      expectRefused(w.t, () => listClues(ctx, { unitId: w.unit.id }), 'FORBIDDEN');
      expectRefused(w.t, () => getClue(ctx, { id: c.id }), 'FORBIDDEN');
      // An id that is no clue gets the same answer: nothing can be learnt by probing ids.
      expectRefused(w.t, () => getClue(ctx, { id: w.task.id }), 'FORBIDDEN');
      expectRefused(w.t, () => newClue(ctx), 'FORBIDDEN');
      expectRefused(w.t, () => disposeClue(ctx, { clueId: c.id, way: 'case_filed', decidedOn: '2024-03-05', note: '立案。' }), 'FORBIDDEN');
      expectRefused(w.t, () => reactivateClue(ctx, { clueId: c.id, way: 'case_filed', decidedOn: '2024-03-05', reason: '新情况。' }), 'FORBIDDEN');
      expectRefused(w.t, () => recordInquiryReply(ctx, { dispositionId: step.id, repliedOn: '2024-03-10' }), 'FORBIDDEN');
      expectRefused(w.t, () => recordClueOutcome(ctx, { clueId: c.id, outcome: 'cleared', concludedOn: '2024-03-10' }), 'FORBIDDEN');
      expectRefused(w.t, () => updateClue(ctx, { id: c.id, summary: '改。' }), 'FORBIDDEN');
      expectRefused(w.t, () => deleteClue(ctx, { id: c.id, reason: '删。' }), 'FORBIDDEN');
    }
    expectRefused(w.t, () => listClues(w.t.as(null), {}), 'FORBIDDEN');
    expect(getClue(w.t.as(w.t.users.leader), { id: c.id }).steps).toHaveLength(1);
  });

  it('keeps the audit chain intact across a clue life cycle', () => {
    w = makeWorld();
    const before = auditCount(w.t);
    const c = clueIn('preliminary_verification');
    disposeClue(w.sup, { clueId: c.id, way: 'case_filed', decidedOn: '2024-03-10', note: '立案审查调查。' });
    recordClueOutcome(w.sup, { clueId: c.id, outcome: 'government_sanction', concludedOn: '2024-05-01', moneyRecoveredFen: 50000 });
    // create + (step + clue update) × 2 + outcome
    expect(auditCount(w.t) - before).toBe(6);
    expect(verifyAudit(w.t.ledger).ok).toBe(true);
  });
});
