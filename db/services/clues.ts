import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { CLUE_REACTIVATION_TARGETS, CLUE_TRANSITIONS } from '../domain/clue-rules.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { CLUE_DISPOSITIONS, CLUE_OUTCOMES, RECEIVING_ORGANS, type ClueDisposition } from '../domain/enums.js';
import { conflict, illegal, invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { clueDispositions, clues } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, listArgs, notBefore, page, rowForRead, scope, scopeFilter, scopePatch,
  type ListResult,
} from './supervision-common.js';

/**
 * 问题线索: the most sensitive data in the ledger (DOMAIN.md). Every function here, reads
 * included, first checks 'clue.read' / 'clue.write' (which fold in the user's own canViewClues),
 * before looking at the input or the database: a user without the right learns nothing, not even
 * whether a given id is a clue (FORBIDDEN, never NOT_FOUND).
 */

export type Clue = Row<typeof clues>;
export type ClueStep = Row<typeof clueDispositions>;

const L = CLUE_DISPOSITIONS.labels;

const textOf = {
  subjectName: (x: unknown) => v.text(x, 'subjectName', { max: v.LEN.name, label: '被反映人姓名' }),
  subjectPost: (x: unknown) => v.text(x, 'subjectPost', { max: v.LEN.short, label: '被反映人职务' }),
  summary: (x: unknown) => v.text(x, 'summary', { max: v.LEN.text, label: '线索摘要' }),
  receivedOn: (x: unknown) => v.date(x, 'receivedOn', '接收日期'),
  receivingOrgan: (x: unknown) => v.oneOf(x, 'receivingOrgan', RECEIVING_ORGANS.codes, '接收机关'),
};

function liveClue(ctx: ServiceContext, raw: unknown, field: string): Clue {
  return requireRow(ctx, clues, v.id(raw, field, '问题线索'), '问题线索', field);
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
export function createClue(ctx: ServiceContext, raw: unknown): Clue {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const values = {
    ...scope(ctx, i),
    subjectName: textOf.subjectName(i.subjectName),
    subjectPost: textOf.subjectPost(i.subjectPost),
    summary: textOf.summary(i.summary),
    receivedOn: textOf.receivedOn(i.receivedOn),
    receivingOrgan: textOf.receivingOrgan(i.receivingOrgan),
  };
  return inTransaction(ctx, () => insertRow(ctx, clues, {
    ...values, disposition: 'received', outcome: null, moneyRecoveredFen: 0, concludedOn: null,
  }));
}

/** Correct a clue's particulars; its disposition changes only through disposeClue/reactivateClue. */
export function updateClue(ctx: ServiceContext, raw: unknown): Clue {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const cur = liveClue(ctx, i.id, 'id');
  const patch: Partial<Clue> = { ...scopePatch(ctx, i) };
  for (const k of ['subjectName', 'subjectPost', 'summary', 'receivedOn', 'receivingOrgan'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = textOf[k](i[k]);
  }
  if (patch.receivedOn !== undefined) {
    const first = steps(ctx, cur.id)[0];
    if (first && patch.receivedOn > first.decidedOn) {
      throw invalid('receivedOn', `接收日期不能晚于首次处置日期（${first.decidedOn}）。`, 'after_disposition');
    }
  }
  return inTransaction(ctx, () => updateRow(ctx, clues, cur, patch));
}

export function listClues(ctx: ServiceContext, raw: unknown = {}): ListResult<Clue> {
  requirePermission(ctx, 'clue.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const disposition = v.optOneOf(i.disposition, 'disposition', CLUE_DISPOSITIONS.codes, '处置方式');
  return page(ctx, clues, [
    eqIf(clues.roundId, s.roundId), eqIf(clues.unitId, s.unitId), eqIf(clues.disposition, disposition),
  ], [asc(clues.receivedOn), asc(clues.id)], listArgs(i));
}

/** One clue with its disposition history, oldest step first. */
export function getClue(ctx: ServiceContext, raw: unknown): Clue & { steps: ClueStep[] } {
  requirePermission(ctx, 'clue.read');
  const i = v.object(raw);
  const inclDeleted = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  const c = rowForRead(ctx, clues, v.id(i.id, 'id', '问题线索'), '问题线索', inclDeleted);
  return { ...c, steps: steps(ctx, c.id) };
}

interface StepInput {
  way: ClueDisposition;
  decidedOn: string;
  note: string;
  letterSentOn: string | null;
}

/** The shared checks of a step: its dates follow receipt and the previous step. */
function readStep(ctx: ServiceContext, clue: Clue, i: v.Input, noteField: string, noteLabel: string): Omit<StepInput, 'way'> {
  const decidedOn = v.date(i.decidedOn, 'decidedOn', '处置日期');
  const note = v.text(i[noteField], noteField, { max: v.LEN.text, label: noteLabel });
  const letterSentOn = v.optDate(i.letterSentOn, 'letterSentOn', '函询发函日期');
  notBefore(decidedOn, clue.receivedOn, 'decidedOn', `处置日期不能早于线索接收日期（${clue.receivedOn}）。`, 'before_received');
  const prev = lastStep(ctx, clue.id);
  if (prev) notBefore(decidedOn, prev.decidedOn, 'decidedOn', `处置日期不能早于上一步处置日期（${prev.decidedOn}）。`, 'before_previous');
  notBefore(letterSentOn, decidedOn, 'letterSentOn', '函询发函日期不能早于处置日期。', 'before_decided');
  return { decidedOn, note, letterSentOn };
}

function checkLetter(way: ClueDisposition, letterSentOn: string | null) {
  // 函询 letters exist only under 谈话函询; their date starts the 15-working-day reply clock.
  if (letterSentOn !== null && way !== 'talk_inquiry') {
    throw invalid('letterSentOn', '只有谈话函询才填写函询发函日期。', 'not_applicable');
  }
}

function applyStep(ctx: ServiceContext, clue: Clue, way: ClueDisposition, s: Omit<StepInput, 'way'>, isReactivation: boolean) {
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
export function disposeClue(ctx: ServiceContext, raw: unknown): Clue & { step: ClueStep } {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const clue = liveClue(ctx, i.clueId, 'clueId');
  const way = v.oneOf(i.way, 'way', CLUE_DISPOSITIONS.codes, '处置方式');
  const from = clue.disposition;
  if (from === 'shelved' && CLUE_REACTIVATION_TARGETS.includes(way)) {
    throw illegal('暂存待查的线索须有新情况方可重新启用，请使用“重新启用”并写明新情况。', 'reactivation_required');
  }
  if (!CLUE_TRANSITIONS[from].includes(way)) {
    throw illegal(`线索当前为“${L[from]}”，不能改为“${L[way]}”。`, `${from}->${way}`);
  }
  const s = readStep(ctx, clue, i, 'note', '处置说明');
  checkLetter(way, s.letterSentOn);
  return applyStep(ctx, clue, way, s, false);
}

/** Re-activate a 暂存待查 clue because new facts came in: {clueId, way, decidedOn, reason, letterSentOn?}. */
export function reactivateClue(ctx: ServiceContext, raw: unknown): Clue & { step: ClueStep } {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const clue = liveClue(ctx, i.clueId, 'clueId');
  const way = v.oneOf(i.way, 'way', CLUE_DISPOSITIONS.codes, '处置方式');
  if (clue.disposition !== 'shelved') {
    throw illegal(`只有暂存待查的线索才能重新启用，该线索当前为“${L[clue.disposition]}”。`, 'not_shelved');
  }
  if (!CLUE_REACTIVATION_TARGETS.includes(way)) {
    throw illegal(`重新启用的线索只能转为谈话函询、初步核实或立案审查调查，不能改为“${L[way]}”。`, `shelved->${way}`);
  }
  const s = readStep(ctx, clue, i, 'reason', '重新启用的新情况');
  checkLetter(way, s.letterSentOn);
  return applyStep(ctx, clue, way, s, true);
}

/**
 * Record how a concluded clue ended: {clueId, outcome, concludedOn, moneyRecoveredFen?}.
 * 立案 ends in any outcome; 予以了结 only in 了结澄清. Money recovered (追赃挽损) is taken and stored
 * as an integer number of fen (1/100 yuan) so sums are exact; the UI converts from yuan. A
 * 了结澄清 outcome recovers nothing.
 */
export function recordClueOutcome(ctx: ServiceContext, raw: unknown): Clue {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const clue = liveClue(ctx, i.clueId, 'clueId');
  const outcome = v.oneOf(i.outcome, 'outcome', CLUE_OUTCOMES.codes, '处置结果');
  const concludedOn = v.date(i.concludedOn, 'concludedOn', '办结日期');
  const money = i.moneyRecoveredFen === undefined || i.moneyRecoveredFen === null
    ? clue.moneyRecoveredFen
    : v.int(i.moneyRecoveredFen, 'moneyRecoveredFen', '追赃挽损金额（分）', 0, Number.MAX_SAFE_INTEGER);
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
}

/** The reply to a 函询 letter: {dispositionId, repliedOn}; it stops the reply clock. */
export function recordInquiryReply(ctx: ServiceContext, raw: unknown): ClueStep {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const stepId = v.id(i.dispositionId, 'dispositionId', '处置记录');
  const repliedOn = v.date(i.repliedOn, 'repliedOn', '函询回复日期');
  const step = requireRow(ctx, clueDispositions, stepId, '处置记录', 'dispositionId');
  // A step of a deleted clue is as good as gone.
  requireRow(ctx, clues, step.clueId, '处置记录', 'dispositionId');
  if (step.way !== 'talk_inquiry' || step.letterSentOn === null) {
    throw conflict('该处置记录没有函询发函，不能记录回复。', 'no_letter');
  }
  notBefore(repliedOn, step.letterSentOn, 'repliedOn', `函询回复日期不能早于发函日期（${step.letterSentOn}）。`, 'before_letter');
  return inTransaction(ctx, () => updateRow(ctx, clueDispositions, step, { repliedOn }, { action: 'inquiry_reply' }));
}

export function deleteClue(ctx: ServiceContext, raw: unknown): Clue {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const cur = liveClue(ctx, i.id, 'id');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, clues, cur, reason));
}

export function restoreClue(ctx: ServiceContext, raw: unknown): Clue {
  requirePermission(ctx, 'clue.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, clues, v.id(i.id, 'id', '问题线索'), '问题线索');
  return inTransaction(ctx, () => restoreRow(ctx, clues, cur));
}
