import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { CLUE_REACTIVATION_TARGETS, CLUE_TRANSITIONS } from '../domain/clue-rules.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { CLUE_DISPOSITIONS, CLUE_OUTCOMES, RECEIVING_ORGANS, type ClueDisposition } from '../domain/enums.js';
import { conflict, illegal, invalid, notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { clueDispositions, clues } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { appendEvent } from '../core/audit.js';
import {
  eqIf, listFields, notBefore, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields,
  type ListResult,
} from './supervision-common.js';

/**
 * 问题线索: the most sensitive data in the ledger (DOMAIN.md). Every call here, reads included,
 * declares 'clue.read' / 'clue.write' (which fold in the user's own canViewClues), checked before
 * looking at the input or the database: a user without the right learns nothing, not even
 * whether a given id is a clue (FORBIDDEN, never NOT_FOUND).
 *
 * Every read of a clue is audited (an event that changes no record): a list as one 'read' event
 * naming the filter and the ids shown, a detail as a 'read' of that clue, a print ('clues:printed',
 * called by the print view) as a 'print' of each clue printed. Reads of a clue's evidence go
 * through `recordClueRead` too (db/services/evidence.ts).
 */

export type Clue = Row<typeof clues>;
export type ClueStep = Row<typeof clueDispositions>;

const L = CLUE_DISPOSITIONS.labels;

const fields = {
  subjectName: f.text('被反映人姓名', f.LEN.name),
  subjectPost: f.text('被反映人职务', f.LEN.short),
  summary: f.text('线索摘要', f.LEN.text),
  receivedOn: f.date('接收日期'),
  receivingOrgan: f.oneOf(RECEIVING_ORGANS.codes, '接收机关'),
};
const clueRef = f.id('问题线索');
const wayField = f.oneOf(CLUE_DISPOSITIONS.codes, '处置方式');

function liveClue(ctx: ServiceContext, id: string, field: string): Clue {
  return requireRow(ctx, clues, id, '问题线索', field);
}

function steps(ctx: ServiceContext, clueId: string): ClueStep[] {
  return ctx.ledger.orm.select().from(clueDispositions)
    .where(and(eq(clueDispositions.clueId, clueId), isNull(clueDispositions.deletedAt)))
    .orderBy(asc(clueDispositions.decidedOn), asc(clueDispositions.id)).all();
}

function lastStep(ctx: ServiceContext, clueId: string): ClueStep | undefined {
  return ctx.ledger.orm.select().from(clueDispositions)
    .where(and(eq(clueDispositions.clueId, clueId), isNull(clueDispositions.deletedAt)))
    .orderBy(desc(clueDispositions.decidedOn), desc(clueDispositions.id)).get();
}

/** Record a clue transferred by the inspection team (移交问题线索); it starts as 待处置. */
export const createClue = defineCall({
  permission: 'clue.write',
  arg: f.args({ ...scopeFields, ...fields }),
}, (ctx, a): Clue => {
  const { subjectName, subjectPost, summary, receivedOn, receivingOrgan } = a;
  const values = { ...scope(ctx, a), subjectName, subjectPost, summary, receivedOn, receivingOrgan };
  return inTransaction(ctx, () => insertRow(ctx, clues, {
    ...values, disposition: 'received', outcome: null, moneyRecoveredFen: 0, concludedOn: null,
  }));
});

/** Correct a clue's particulars; its disposition changes only through disposeClue/reactivateClue. */
export const updateClue = defineCall({
  permission: 'clue.write',
  arg: f.args({
    id: clueRef, ...scopePatchFields,
    subjectName: f.patch(fields.subjectName),
    subjectPost: f.patch(fields.subjectPost),
    summary: f.patch(fields.summary),
    receivedOn: f.patch(fields.receivedOn),
    receivingOrgan: f.patch(fields.receivingOrgan),
  }),
}, (ctx, a): Clue => {
  const cur = liveClue(ctx, a.id, 'id');
  const patch: Partial<Clue> = { ...scopePatch(ctx, a) };
  for (const k of ['subjectName', 'subjectPost', 'summary', 'receivedOn', 'receivingOrgan'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  if (patch.receivedOn !== undefined) {
    const first = steps(ctx, cur.id)[0];
    if (first && patch.receivedOn > first.decidedOn) {
      throw invalid('receivedOn', `接收日期不能晚于首次处置日期（${first.decidedOn}）。`, 'after_disposition');
    }
  }
  return inTransaction(ctx, () => updateRow(ctx, clues, cur, patch));
});

/**
 * Audit that the acting user saw a clue (or something of it: `detail` says what, e.g. an evidence
 * file). For services that show clue material outside this file.
 */
export function recordClueRead(ctx: ServiceContext, clueId: string, detail: Record<string, unknown> | null = null, action: 'read' | 'print' = 'read'): void {
  inTransaction(ctx, () => appendEvent(ctx, { action, entity: 'clues', entityId: clueId, detail }));
}

/** The entity id of the audit event of a list of clues (its detail names the clues shown). */
export const CLUE_LIST_ENTITY_ID = 'list';

export const listClues = defineCall({
  permission: 'clue.read',
  arg: f.args({ ...scopeFields, disposition: f.optOneOf(CLUE_DISPOSITIONS.codes, '处置方式'), ...listFields }),
}, (ctx, a): ListResult<Clue> => inTransaction(ctx, () => {
  const out = page(ctx, clues, [
    eqIf(clues.roundId, a.roundId), eqIf(clues.unitId, a.unitId), eqIf(clues.disposition, a.disposition),
  ], [asc(clues.receivedOn), asc(clues.id)], a);
  const filter = {
    roundId: a.roundId, unitId: a.unitId, disposition: a.disposition, originOfficeId: a.originOfficeId, conflicted: a.conflicted,
    includeDeleted: a.includeDeleted, limit: a.limit, offset: a.offset,
  };
  appendEvent(ctx, { action: 'read', entity: 'clues', entityId: CLUE_LIST_ENTITY_ID, detail: { filter, ids: out.items.map((c) => c.id), total: out.total } });
  return out;
}));

/** One clue with its disposition history, oldest step first. */
export const getClue = defineCall({ permission: 'clue.read', arg: readArg('问题线索') }, (ctx, a): Clue & { steps: ClueStep[] } => {
  const c = rowForRead(ctx, clues, a.id, '问题线索', a.includeDeleted);
  const out = { ...c, steps: steps(ctx, c.id) };
  recordClueRead(ctx, c.id);
  return out;
});

/**
 * The print view printed these clues (打印): audited as a 'print' of each. Ids that are not clues
 * (deleted ones included) are refused, so the trail names only real clues.
 */
export const cluesPrinted = defineCall({
  permission: 'clue.read',
  arg: f.args({ ids: f.nonEmptyList(clueRef, '打印的问题线索', 1000) }),
}, (ctx, a): { printed: number } => {
  a.ids.forEach((id, k) => {
    if (!ctx.ledger.prepare('SELECT 1 FROM clues WHERE id = ?').get(id)) throw notFound('问题线索', id, `ids[${k}]`);
  });
  const ids = [...new Set(a.ids)];
  return inTransaction(ctx, () => {
    for (const id of ids) recordClueRead(ctx, id, { count: ids.length }, 'print');
    return { printed: ids.length };
  });
});

interface StepInput {
  decidedOn: string;
  note: string;
  letterSentOn: string | null;
}

const stepFields = { clueId: clueRef, way: wayField, decidedOn: f.date('处置日期'), letterSentOn: f.optDate('函询发函日期') };

/** The shared checks of a step: its dates follow receipt and the previous step. */
function checkStep(ctx: ServiceContext, clue: Clue, s: StepInput): void {
  notBefore(s.decidedOn, clue.receivedOn, 'decidedOn', `处置日期不能早于线索接收日期（${clue.receivedOn}）。`, 'before_received');
  const prev = lastStep(ctx, clue.id);
  if (prev) notBefore(s.decidedOn, prev.decidedOn, 'decidedOn', `处置日期不能早于上一步处置日期（${prev.decidedOn}）。`, 'before_previous');
  notBefore(s.letterSentOn, s.decidedOn, 'letterSentOn', '函询发函日期不能早于处置日期。', 'before_decided');
}

function checkLetter(way: ClueDisposition, letterSentOn: string | null) {
  // 函询 letters exist only under 谈话函询; their date starts the 15-working-day reply clock.
  if (letterSentOn !== null && way !== 'talk_inquiry') {
    throw invalid('letterSentOn', '只有谈话函询才填写函询发函日期。', 'not_applicable');
  }
}

function applyStep(ctx: ServiceContext, clue: Clue, way: ClueDisposition, s: StepInput, isReactivation: boolean) {
  return inTransaction(ctx, () => {
    const step = insertRow(ctx, clueDispositions, {
      clueId: clue.id, fromWay: clue.disposition, way, decidedOn: s.decidedOn, note: s.note,
      letterSentOn: s.letterSentOn, repliedOn: null, isReactivation,
    }, { action: isReactivation ? 'reactivate' : 'dispose' });
    const next = updateRow(ctx, clues, clue, { disposition: way });
    return { ...next, step };
  });
}

/** Dispose of a clue (one step of the state machine): {clueId, way, decidedOn, note, letterSentOn?}. */
export const disposeClue = defineCall({
  permission: 'clue.write',
  arg: f.args({ ...stepFields, note: f.text('处置说明', f.LEN.text) }),
}, (ctx, a): Clue & { step: ClueStep } => {
  const clue = liveClue(ctx, a.clueId, 'clueId');
  const { way } = a;
  const from = clue.disposition;
  if (from === 'shelved' && CLUE_REACTIVATION_TARGETS.includes(way)) {
    throw illegal('暂存待查的线索须有新情况方可重新启用，请使用“重新启用”并写明新情况。', 'reactivation_required');
  }
  if (!CLUE_TRANSITIONS[from].includes(way)) {
    throw illegal(`线索当前为“${L[from]}”，不能改为“${L[way]}”。`, `${from}->${way}`);
  }
  const s = { decidedOn: a.decidedOn, note: a.note, letterSentOn: a.letterSentOn };
  checkStep(ctx, clue, s);
  checkLetter(way, s.letterSentOn);
  return applyStep(ctx, clue, way, s, false);
});

/** Re-activate a 暂存待查 clue because new facts came in: {clueId, way, decidedOn, reason, letterSentOn?}. */
export const reactivateClue = defineCall({
  permission: 'clue.write',
  arg: f.args({ ...stepFields, reason: f.text('重新启用的新情况', f.LEN.text) }),
}, (ctx, a): Clue & { step: ClueStep } => {
  const clue = liveClue(ctx, a.clueId, 'clueId');
  const { way } = a;
  if (clue.disposition !== 'shelved') {
    throw illegal(`只有暂存待查的线索才能重新启用，该线索当前为“${L[clue.disposition]}”。`, 'not_shelved');
  }
  if (!CLUE_REACTIVATION_TARGETS.includes(way)) {
    throw illegal(`重新启用的线索只能转为谈话函询、初步核实或立案审查调查，不能改为“${L[way]}”。`, `shelved->${way}`);
  }
  const s = { decidedOn: a.decidedOn, note: a.reason, letterSentOn: a.letterSentOn };
  checkStep(ctx, clue, s);
  checkLetter(way, s.letterSentOn);
  return applyStep(ctx, clue, way, s, true);
});

/**
 * Record how a concluded clue ended: {clueId, outcome, concludedOn, moneyRecoveredFen?}.
 * 立案 ends in any outcome; 予以了结 only in 了结澄清. Money recovered (追赃挽损) is taken and stored
 * as an integer number of fen (1/100 yuan) so sums are exact; the UI converts from yuan. A
 * 了结澄清 outcome recovers nothing.
 */
export const recordClueOutcome = defineCall({
  permission: 'clue.write',
  arg: f.args({
    clueId: clueRef,
    outcome: f.oneOf(CLUE_OUTCOMES.codes, '处置结果'),
    concludedOn: f.date('办结日期'),
    moneyRecoveredFen: f.optInt('追赃挽损金额（分）', 0, Number.MAX_SAFE_INTEGER),
  }),
}, (ctx, a): Clue => {
  const clue = liveClue(ctx, a.clueId, 'clueId');
  const { outcome, concludedOn } = a;
  const money = a.moneyRecoveredFen ?? clue.moneyRecoveredFen;
  if (clue.disposition !== 'case_filed' && clue.disposition !== 'closed_out') {
    throw illegal(`线索尚未了结或立案（当前为“${L[clue.disposition]}”），不能记录处置结果。`, 'not_concluded');
  }
  if (clue.disposition === 'closed_out' && outcome !== 'cleared') {
    throw invalid('outcome', '予以了结的线索只能记录“了结澄清”。', 'outcome_not_allowed');
  }
  if (outcome === 'cleared' && money !== 0) {
    throw invalid('moneyRecoveredFen', '了结澄清的线索没有追赃挽损金额。', 'not_applicable');
  }
  const last = lastStep(ctx, clue.id);
  if (last) notBefore(concludedOn, last.decidedOn, 'concludedOn', `办结日期不能早于${L[last.way]}日期（${last.decidedOn}）。`, 'before_disposition');
  return inTransaction(ctx, () => updateRow(ctx, clues, clue, { outcome, concludedOn, moneyRecoveredFen: money }, { action: 'outcome' }));
});

/** The reply to a 函询 letter: {dispositionId, repliedOn}; it stops the reply clock. */
export const recordInquiryReply = defineCall({
  permission: 'clue.write',
  arg: f.args({ dispositionId: f.id('处置记录'), repliedOn: f.date('函询回复日期') }),
}, (ctx, a): ClueStep => {
  const { repliedOn } = a;
  const step = requireRow(ctx, clueDispositions, a.dispositionId, '处置记录', 'dispositionId');
  // A step of a deleted clue is as good as gone.
  requireRow(ctx, clues, step.clueId, '处置记录', 'dispositionId');
  if (step.way !== 'talk_inquiry' || step.letterSentOn === null) {
    throw conflict('该处置记录没有函询发函，不能记录回复。', 'no_letter');
  }
  notBefore(repliedOn, step.letterSentOn, 'repliedOn', `函询回复日期不能早于发函日期（${step.letterSentOn}）。`, 'before_letter');
  return inTransaction(ctx, () => updateRow(ctx, clueDispositions, step, { repliedOn }, { action: 'inquiry_reply' }));
});

/** Delete (with a reason) and restore; restoring a clue that is not deleted is a CONFLICT. */
export const { remove: deleteClue, restore: restoreClue } = defineLifecycle({
  table: clues,
  label: '问题线索',
  permission: 'clue.write',
  strictRestore: true,
  read: (ctx, id) => liveClue(ctx, id, 'id'),
});
