import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedWithoutEvidence, evidenceAfterDeadline, evidenceReused, lateButOnTime, listRedFlags, massClosure, RED_FLAG_KINDS,
  rebound, repeatedReturns, similarPairs, textSimilarity, type HistoryText, type RedFlagKind,
} from '../../db/analysis/red-flags.js';
import type { ServiceContext } from '../../db/core/context.js';
import { DomainError } from '../../db/domain/errors.js';
import { evidence, problems, progressEntries, tasks } from '../../db/schema/index.js';
import { softDelete, updateRow } from '../../db/core/write.js';
import {
  buildAnalysisFixture, closedAtOn, fxEvidence, fxProgress, fxReturn, sha, TEXTS, TODAY, type AnalysisFixture,
} from '../helpers/analysis-fixture.js';
import { fxProblem, fxTask } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

/*
 * The fixture (test/helpers/analysis-fixture.ts) is a clean ledger: every closed task has its own
 * live evidence, completion and evidence dates are within the deadline in force whenever the task
 * is reported on time, no task was returned more than once, round 2's problems are new, and no
 * unit closed more than 4 tasks on one day. It does contain near misses: T4 completed after its
 * first deadline but within its approved extension; T8 completed late but reported late; E2/E3 the
 * same file cited by two tasks of ONE problem (P2); E1's file also cited by problem P4 itself; UA
 * closed 4 tasks (T1 T3 T7 T8) on 2024-04-25, 5 days before its report was due; T21 is closed
 * without evidence but its problem P13 is deleted. Each test below adds one kind of dirt.
 */

let t: TestLedger;
let fx: AnalysisFixture;
afterEach(() => t?.close());

function setUp(): ServiceContext {
  t = makeTestLedger({ today: TODAY });
  fx = buildAnalysisFixture(t);
  return fx.ctx;
}

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return { code: d.code, field: d.field, reason: d.reason };
  }
  throw new Error('expected a DomainError');
}

const byKind: Record<RedFlagKind, (ctx: ServiceContext, raw: unknown) => { count: number; items: unknown[] }> = {
  closed_without_evidence: closedWithoutEvidence,
  evidence_reused: evidenceReused,
  late_but_on_time: lateButOnTime,
  evidence_after_deadline: evidenceAfterDeadline,
  mass_closure: massClosure,
  rebound,
  repeated_returns: repeatedReturns,
};

/** Count of every flag of the ledger, by kind. */
function counts(ctx: ServiceContext, raw: Record<string, unknown> = {}): Record<string, number> {
  return Object.fromEntries(listRedFlags(ctx, raw).flags.map((f) => [f.kind, f.count]));
}
const silent = Object.fromEntries(RED_FLAG_KINDS.map((k) => [k, 0]));

describe('a clean ledger', () => {
  it.each(RED_FLAG_KINDS)('raises no %s flag', (kind) => {
    const ctx = setUp();
    for (const scope of [{}, { roundId: fx.R1.id }, { roundId: fx.R2.id }, { unitId: fx.UA.id }]) {
      const r = byKind[kind](ctx, scope);
      expect(r).toMatchObject({ count: 0, items: [] });
    }
  });

  it('lists every kind with a zh-CN label and nothing in it', () => {
    const ctx = setUp();
    const r = listRedFlags(ctx, {});
    expect(r.flags.map((f) => f.kind)).toEqual(RED_FLAG_KINDS);
    expect(r.flags.every((f) => /[\u4e00-\u9fff]/.test(f.label))).toBe(true);
    expect(r.total).toBe(0);
  });
});

describe('(a) closed out without evidence', () => {
  it('flags closed tasks whose evidence is missing, deleted, or only on a deleted progress entry', () => {
    const ctx = setUp();
    // T1's only file deleted; T3's only file sits on progress entry PE1, now deleted; a new task closed with nothing.
    softDelete(ctx, evidence, fx.E.E1, '误传');
    softDelete(ctx, progressEntries, fx.pe1, '误录');
    const bare = fxTask(ctx, {
      problemId: fx.P.P9.id, unitId: fx.UA.id, roundId: fx.R2.id, seq: 30, status: 'closed', completedOn: '2024-05-01',
      reportedOnTime: true, closedAt: closedAtOn('2024-05-02'), deadline: '2024-05-31',
    });
    const r = closedWithoutEvidence(ctx, {});
    expect(r.count).toBe(3);
    const items = new Map(r.items.map((i) => [i.taskId, i]));
    expect([...items.keys()].sort()).toEqual([fx.T.T1!.id, fx.T.T3!.id, bare.id].sort());
    expect(items.get(fx.T.T1!.id)).toMatchObject({ deletedEvidence: 1, unitName: '某某集团有限公司', problemId: fx.P.P1.id, excerpt: TEXTS.P1 });
    expect(items.get(fx.T.T3!.id)).toMatchObject({ deletedEvidence: 1, closedAt: closedAtOn('2024-04-25', 1) });
    expect(items.get(bare.id)).toMatchObject({ deletedEvidence: 0, roundName: '某省委第二轮巡视', status: 'closed' });
    // Newest close-out first.
    expect(r.items[0]!.taskId).toBe(bare.id);
    // Scoped: R1 has T1 and T3; UB has none. Nothing else fires.
    expect(closedWithoutEvidence(ctx, { roundId: fx.R1.id }).count).toBe(2);
    expect(closedWithoutEvidence(ctx, { unitId: fx.UB.id }).count).toBe(0);
    expect(counts(ctx)).toEqual({ ...silent, closed_without_evidence: 3 });
  });
});

describe('(b) the same file cited by unrelated tasks', () => {
  it('reports the hash with every task of a different problem citing it, own file or progress file', () => {
    const ctx = setUp();
    // E1's file (T1, problem P1, UA) cited again by T9 (P4, UB) and by a progress entry of T13 (P6, UB).
    fxEvidence(ctx, { ownerType: 'task', ownerId: fx.T.T9!.id, content: '科技创新专项规划', formedOn: '2024-04-20', fileName: '规划.pdf' });
    const pe = fxProgress(ctx, fx.T.T13!.id, '2024-04-21');
    fxEvidence(ctx, { ownerType: 'progress', ownerId: pe.id, content: '科技创新专项规划', formedOn: '2024-04-21', fileName: '专项规划.pdf' });
    for (const scope of [{}, { unitId: fx.UB.id }, { roundId: fx.R1.id }]) {
      const r = evidenceReused(ctx, scope);
      expect(r.count).toBe(1);
      const item = r.items[0]!;
      expect(item.sha256).toBe(sha('科技创新专项规划'));
      expect(item).toMatchObject({ problemCount: 3, taskCount: 3 });
      expect(item.fileNames.sort()).toEqual(['专项规划.pdf', '科技创新专项规划.pdf', '规划.pdf'].sort());
      expect(item.tasks.map((x) => x.taskId).sort()).toEqual([fx.T.T1!.id, fx.T.T9!.id, fx.T.T13!.id].sort());
      expect(item.tasks.find((x) => x.taskId === fx.T.T1!.id)).toMatchObject({ unitName: '某某集团有限公司', problemId: fx.P.P1.id });
    }
    // No task of UC or of R2 cites the file: out of their scope.
    expect(evidenceReused(ctx, { unitId: fx.UC.id }).count).toBe(0);
    expect(evidenceReused(ctx, { roundId: fx.R2.id }).count).toBe(0);
    expect(counts(ctx)).toEqual({ ...silent, evidence_reused: 1 });
  });

  it('forgets a citation once its evidence is deleted', () => {
    const ctx = setUp();
    const again = fxEvidence(ctx, { ownerType: 'task', ownerId: fx.T.T20!.id, content: '津贴补贴清理台账', formedOn: '2024-04-08' });
    // E2/E3 (P2) + T20 (P12): two problems.
    expect(evidenceReused(ctx, {}).items[0]).toMatchObject({ problemCount: 2, taskCount: 3 });
    softDelete(ctx, evidence, again, '误传');
    expect(evidenceReused(ctx, {}).count).toBe(0);
  });
});

describe('(c) completed after the deadline but reported on time', () => {
  it('flags a completion date after the deadline in force on a task reported on time', () => {
    const ctx = setUp();
    // T7: deadline 04-30, now completed 05-05 yet still reported on time: 5 days late.
    updateRow(ctx, tasks, fx.T.T7!, { completedOn: '2024-05-05' });
    const r = lateButOnTime(ctx, {});
    expect(r.count).toBe(1);
    expect(r.items[0]).toMatchObject({
      taskId: fx.T.T7!.id, deadline: '2024-04-30', currentDeadline: '2024-04-30', completedOn: '2024-05-05', daysLate: 5,
      responsibleDepartment: '组织部',
    });
    expect(lateButOnTime(ctx, { roundId: fx.R2.id }).count).toBe(0);
    expect(counts(ctx)).toEqual({ ...silent, late_but_on_time: 1 });
  });

  it('measures against the extended deadline, not the first one', () => {
    const ctx = setUp();
    // T4 (first deadline 04-30, extended to 05-31) completed 05-20: fine. Past the extension, it is not.
    expect(lateButOnTime(ctx, {}).count).toBe(0);
    updateRow(ctx, tasks, fx.T.T4!, { completedOn: '2024-06-01' });
    expect(lateButOnTime(ctx, {}).items.map((i) => [i.taskId, i.daysLate])).toEqual([[fx.T.T4!.id, 1]]);
  });

  it('flags evidence formed after the deadline of a task reported on time', () => {
    const ctx = setUp();
    // T9 (deadline 04-30, reported on time) gets a file formed 05-10 and one formed 04-29.
    fxEvidence(ctx, { ownerType: 'task', ownerId: fx.T.T9!.id, content: '整改验收报告', formedOn: '2024-05-10' });
    fxEvidence(ctx, { ownerType: 'task', ownerId: fx.T.T9!.id, content: '制度印发通知', formedOn: '2024-04-29' });
    // T8 (reported late) gets a late file too: not a contradiction, not flagged.
    fxEvidence(ctx, { ownerType: 'task', ownerId: fx.T.T8!.id, content: '补充材料', formedOn: '2024-05-10' });
    const r = evidenceAfterDeadline(ctx, {});
    expect(r.count).toBe(1);
    expect(r.items[0]).toMatchObject({ taskId: fx.T.T9!.id, currentDeadline: '2024-04-30', latestFormedOn: '2024-05-10', completedOn: '2024-04-28' });
    expect(r.items[0]!.files).toEqual([{ fileName: '整改验收报告.pdf', formedOn: '2024-05-10', sha256: sha('整改验收报告') }]);
    expect(counts(ctx)).toEqual({ ...silent, evidence_after_deadline: 1 });
  });
});

describe('(d) many tasks closed the same day just before the report is due', () => {
  it('flags a unit closing N tasks on one day within D days before its progress report is due', () => {
    const ctx = setUp();
    // UA/R1 closed T1 T3 T7 T8 on 2024-04-25. R1 feedback 2024-01-31 + 3 months (CPC-2022) = 2024-04-30
    // (clamped: April has no 31st), so 04-25 is 5 days before the due date.
    const r = massClosure(ctx, { minTasks: 4 });
    expect(r.count).toBe(1);
    expect(r.items[0]).toMatchObject({
      unitId: fx.UA.id, unitName: '某某集团有限公司', roundId: fx.R1.id, inspectionId: fx.insp.R1UA.id,
      closedOn: '2024-04-25', dueOn: '2024-04-30', daysBeforeDue: 5, count: 4,
    });
    expect(r.items[0]!.taskIds).toEqual([fx.T.T1!.id, fx.T.T3!.id, fx.T.T7!.id, fx.T.T8!.id].sort());
    // T21 (deleted problem) closed that day too but does not count: 4, not 5.
    expect(massClosure(ctx, { minTasks: 5 }).count).toBe(0);
    // The window includes its first day: 5 days reaches 04-25, 4 days does not.
    expect(massClosure(ctx, { minTasks: 4, windowDays: 5 }).count).toBe(1);
    expect(massClosure(ctx, { minTasks: 4, windowDays: 4 }).count).toBe(0);
  });

  it('fires at the default of 10 tasks in 7 days', () => {
    const ctx = setUp();
    expect(massClosure(ctx, {}).count).toBe(0);
    // Six more UA/R1 tasks closed on 04-25, each with its own file: 10 that day.
    for (let n = 0; n < 6; n++) {
      const task = fxTask(ctx, {
        problemId: fx.P.P3.id, unitId: fx.UA.id, roundId: fx.R1.id, seq: 40 + n, status: 'closed', completedOn: '2024-04-24',
        reportedOnTime: true, closedAt: closedAtOn('2024-04-25', 10 + n),
      });
      fxEvidence(ctx, { ownerType: 'task', ownerId: task.id, content: `整改材料${n}`, formedOn: '2024-04-20' });
    }
    const r = massClosure(ctx, {});
    expect(r.items.map((i) => [i.unitId, i.closedOn, i.count])).toEqual([[fx.UA.id, '2024-04-25', 10]]);
    expect(counts(ctx)).toEqual({ ...silent, mass_closure: 1 });
  });

  it('takes the report due date from the round\'s own rule set', () => {
    const ctx = setUp();
    // R2 uses CPC-2017: feedback 2024-03-15 + 2 months = 2024-05-15. T17 closed 05-12; close two more UA/R2 tasks that day.
    for (const [n, pid] of [[0, fx.P.P9.id], [1, fx.P.P10.id]] as const) {
      fxTask(ctx, {
        problemId: pid, unitId: fx.UA.id, roundId: fx.R2.id, seq: 50 + n, status: 'closed', completedOn: '2024-05-11',
        reportedOnTime: true, closedAt: closedAtOn('2024-05-12', 10 + n), deadline: '2024-05-31',
      });
    }
    const r = massClosure(ctx, { minTasks: 3, roundId: fx.R2.id });
    // With the 2022 rules (3 months → 06-15) 05-12 would be 34 days early and stay silent.
    expect(r.items.map((i) => [i.closedOn, i.dueOn, i.daysBeforeDue, i.count])).toEqual([['2024-05-12', '2024-05-15', 3, 3]]);
  });
});

describe('(e) a problem that reappears in a later round', () => {
  it('finds the same wording, a close rewording and an explicit link, only in the same unit and a later round', () => {
    const ctx = setUp();
    const add = (unitId: string, inspectionId: string, seq: number, description: string, extra: Record<string, unknown> = {}) =>
      fxProblem(ctx, { roundId: fx.R2.id, unitId, inspectionId, seq, categoryId: fx.cat.eightRules, description, ...extra });
    // UA in R2: P2's text with other punctuation and spacing → identical once normalised.
    const same = add(fx.UA.id, fx.insp.R2UA.id, 20, '违规发放津贴补贴、公务接待超标准问题 仍有发生！');
    // UA in R2: P1 with two characters added → Dice of bigrams well above 0.8 but below 1.
    const close = add(fx.UA.id, fx.insp.R2UA.id, 21, '贯彻新发展理念不够到位，主业发展质量不高，科技创新投入仍然不足。');
    // UC in R2: says it is P7 again (reboundOfId), in other words.
    const linked = add(fx.UC.id, fx.insp.R2UC.id, 22, '公车私用问题整改不彻底。', { reboundOfId: fx.P.P7.id });
    // UC in R2 with UA's P3 text: another unit, not a rebound.
    add(fx.UC.id, fx.insp.R2UC.id, 23, TEXTS.P3);
    // A problem of R1 entered late (补录), after R2's problems: R2's P9 repeats it. "Later" means the
    // later round, not the later record: P9 is the rebound, not the R1 problem.
    const backfilled = fxProblem(ctx, {
      roundId: fx.R1.id, unitId: fx.UA.id, inspectionId: fx.insp.R1UA.id, seq: 24, categoryId: fx.cat.integrity, description: TEXTS.P9,
    });

    const r = rebound(ctx, {});
    expect(r.count).toBe(4);
    expect(r.items.find((i) => i.earlierProblemId === backfilled.id)).toMatchObject({ problemId: fx.P.P9.id, match: 'identical' });
    const items = new Map(r.items.map((i) => [i.problemId, i]));
    expect(items.get(same.id)).toMatchObject({
      match: 'identical', similarity: 1, earlierProblemId: fx.P.P2.id, earlierRoundId: fx.R1.id, earlierRoundName: '某省委第一轮巡视',
      roundName: '某省委第二轮巡视', unitName: '某某集团有限公司', earlierStatus: 'open', earlierExcerpt: TEXTS.P2,
    });
    const c = items.get(close.id)!;
    expect(c).toMatchObject({ match: 'similar', earlierProblemId: fx.P.P1.id });
    expect(c.similarity).toBeGreaterThanOrEqual(0.8);
    expect(c.similarity).toBeLessThan(1);
    expect(items.get(linked.id)).toMatchObject({ match: 'linked', earlierProblemId: fx.P.P7.id, unitName: '某某银行股份有限公司' });
    // Nothing in R1 is later than anything: R2 was created first, but fed back later.
    expect(rebound(ctx, { roundId: fx.R1.id }).count).toBe(0);
    expect(rebound(ctx, { unitId: fx.UA.id }).count).toBe(3);
    // A stricter threshold keeps the identical texts and the link only.
    expect(rebound(ctx, { minSimilarity: 1 }).items.map((i) => i.match).sort()).toEqual(['identical', 'identical', 'linked']);
    expect(counts(ctx)).toEqual({ ...silent, rebound: 4 });
  });

  it('ignores a deleted earlier problem when matching by text', () => {
    const ctx = setUp();
    fxProblem(ctx, { roundId: fx.R2.id, unitId: fx.UA.id, inspectionId: fx.insp.R2UA.id, seq: 20, categoryId: fx.cat.eightRules, description: TEXTS.P2 });
    expect(rebound(ctx, {}).count).toBe(1);
    softDelete(ctx, problems, fx.P.P2, '重复');
    expect(rebound(ctx, {}).count).toBe(0);
  });

  it('measures similarity as the Dice coefficient of character bigrams after normalisation', () => {
    // 整改不到位 / 整改不到家: bigrams 整改 改不 不到 到位 / 整改 改不 不到 到家 → 3 shared of 4 + 4 → 6/8.
    expect(textSimilarity('整改不到位', '整改不到家')).toBe(0.75);
    // Punctuation, spaces and full-width forms do not count.
    expect(textSimilarity('整改，不到位。', ' 整改不到位 ')).toBe(1);
    expect(textSimilarity('ＡＢＣ', 'abc')).toBe(1);
    // Nothing in common.
    expect(textSimilarity('公务用车', '选人用人')).toBe(0);
    // Bigrams count with repetition: 改改 twice against once → 2·1 / (2 + 1).
    expect(textSimilarity('改改改', '改改')).toBeCloseTo(2 / 3, 12);
  });
});

describe('the similarity join behind (e)', () => {
  /** Every later text against every text of an earlier round: what the prefix filter must equal. */
  function bruteForce(h: HistoryText[], t: number): Map<string, number> {
    const best = new Map<string, number>();
    for (const x of h) {
      if (!x.later) continue;
      for (const y of h) {
        if (y.ord >= x.ord) continue;
        const s = textSimilarity(x.text, y.text);
        if (s >= t && s > (best.get(x.id) ?? -1)) best.set(x.id, s);
      }
    }
    return best;
  }

  it('finds exactly the pairs a comparison of every pair finds', () => {
    // Texts over a few characters, so that many pairs are near the threshold, plus edited copies.
    const text = fc.array(fc.constantFrom('整', '改', '落', '实', '不', '到', '位', '，'), { minLength: 2, maxLength: 24 }).map((a) => a.join(''));
    const history = fc.array(
      fc.record({ text, ord: fc.constantFrom('1', '2', '3'), later: fc.boolean(), edit: fc.option(fc.nat(30)) }),
      { minLength: 1, maxLength: 25 },
    ).map((rows) => rows.map((r, i) => ({
      id: `p${String(i).padStart(2, '0')}`, ord: r.ord, later: r.later,
      // An edited copy of an earlier row: one character replaced.
      text: r.edit !== null && i > 0 ? (() => {
        const base = [...rows[r.edit % i]!.text];
        base[r.edit % base.length] = '实';
        return base.join('');
      })() : r.text,
    })));
    fc.assert(fc.property(history, fc.constantFrom(0.5, 0.6, 0.75, 0.8, 0.9, 1), (h, t) => {
      const fast = similarPairs(h, t);
      const slow = bruteForce(h, t);
      expect(new Map([...fast].map(([k, v]) => [k, v.sim]))).toEqual(slow);
      for (const [pid, m] of fast) {
        const x = h.find((d) => d.id === pid)!;
        const y = h.find((d) => d.id === m.eid)!;
        expect(y.ord < x.ord && textSimilarity(x.text, y.text) === m.sim).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

describe('(f) returned more than once', () => {
  it('flags a task returned twice with the reasons on record', () => {
    const ctx = setUp();
    const reviewer = t.users.reviewer.id;
    fxReturn(ctx, fx.T.T13!.id, '2024-04-20T02:00:00.000Z', '佐证材料不完整。', reviewer);
    fxReturn(ctx, fx.T.T13!.id, '2024-05-02T02:00:00.000Z', '整改措施未落实到位，请补充项目推进记录。', reviewer);
    updateRow(ctx, tasks, fx.T.T13!, { returnCount: 2 });
    const r = repeatedReturns(ctx, {});
    expect(r.count).toBe(1);
    expect(r.items[0]).toMatchObject({
      taskId: fx.T.T13!.id, returnCount: 2, returnsRecorded: 2, lastReturnComment: '整改措施未落实到位，请补充项目推进记录。',
      lastReturnedAt: '2024-05-02T02:00:00.000Z', unitName: '某某能源集团有限公司',
    });
    expect(repeatedReturns(ctx, { unitId: fx.UA.id }).count).toBe(0);
    expect(counts(ctx)).toEqual({ ...silent, repeated_returns: 1 });
  });
});

describe('listRedFlags', () => {
  it('returns only the kinds asked for, counts beyond the limit, and checks its input', () => {
    const ctx = setUp();
    updateRow(ctx, tasks, fx.T.T7!, { completedOn: '2024-05-05' });
    updateRow(ctx, tasks, fx.T.T1!, { completedOn: '2024-05-02' });
    const r = listRedFlags(ctx, { kinds: ['repeated_returns', 'late_but_on_time'], limit: 1 });
    // In the fixed order of kinds; T1 and T7 are both late: 2 counted, 1 listed (the later one first: T7 by 5 days).
    expect(r.flags.map((f) => [f.kind, f.count, f.items.length])).toEqual([['late_but_on_time', 2, 1], ['repeated_returns', 0, 0]]);
    expect((r.flags[0]!.items[0] as { taskId: string }).taskId).toBe(fx.T.T7!.id);
    expect(r.total).toBe(2);
    expect(failure(() => listRedFlags(ctx, { kinds: ['fake'] }))).toMatchObject({ code: 'VALIDATION', field: 'kinds[0]' });
    expect(failure(() => listRedFlags(ctx, { kinds: 'rebound' }))).toMatchObject({ code: 'VALIDATION', field: 'kinds' });
    expect(failure(() => listRedFlags(ctx, { limit: 0 }))).toMatchObject({ code: 'VALIDATION', field: 'limit' });
    expect(failure(() => massClosure(ctx, { minTasks: 1 }))).toMatchObject({ code: 'VALIDATION', field: 'minTasks' });
    expect(failure(() => rebound(ctx, { minSimilarity: 0.1 }))).toMatchObject({ code: 'VALIDATION', field: 'minSimilarity' });
    expect(failure(() => listRedFlags(ctx, { roundId: '01890000-0000-7000-8000-000000000000' }))).toMatchObject({ code: 'NOT_FOUND', field: 'roundId' });
    expect(failure(() => listRedFlags(t.as(null), {}))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is open to every role that reads the ledger, clue permission or not', () => {
    setUp();
    for (const user of [t.users.readonly, t.users.entry, t.users.admin]) {
      expect(listRedFlags(t.as(user), {}).total).toBe(0);
    }
  });
});
