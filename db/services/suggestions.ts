import { asc } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { SUGGESTION_STATUSES } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { suggestions } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, listArgs, page, rowForRead, scope, scopeFilter, scopePatch, type ListResult,
} from './supervision-common.js';

/** 移交建议/通报 to a functional department and its reply (e.g. 72 suggestions to 26 departments). */
export type Suggestion = Row<typeof suggestions>;

const read = {
  department: (x: unknown) => v.text(x, 'department', { max: v.LEN.short, label: '承办部门' }),
  content: (x: unknown) => v.text(x, 'content', { max: v.LEN.text, label: '建议内容' }),
  issuedOn: (x: unknown) => v.date(x, 'issuedOn', '移交日期'),
  reply: (x: unknown) => v.optText(x, 'reply', { max: v.LEN.text, label: '回复内容' }),
  repliedOn: (x: unknown) => v.optDate(x, 'repliedOn', '回复日期'),
  status: (x: unknown) => v.oneOf(x, 'status', SUGGESTION_STATUSES.codes, '办理状态'),
};

type Fields = Pick<Suggestion, 'department' | 'content' | 'issuedOn' | 'reply' | 'repliedOn' | 'status'>;

/**
 * A suggestion is 待回复 until the department replies; 已回复 and 已采纳办结 carry the reply and its
 * date, which cannot precede the day the suggestion was handed over. `changed` names the fields
 * the caller touched, so a date conflict is reported on the field that was edited.
 */
function checkState(s: Fields, changed: Set<string>): void {
  if (s.repliedOn !== null && s.reply === null) throw invalid('reply', '填写回复日期时，请同时填写回复内容。', 'required');
  if (s.status === 'pending' && s.reply !== null) throw invalid('status', '已有回复的建议不能是“待回复”状态。', 'reply_present');
  if (s.status !== 'pending') {
    if (s.reply === null) throw invalid('reply', '请填写回复内容。', 'required');
    if (s.repliedOn === null) throw invalid('repliedOn', '请填写回复日期。', 'required');
  }
  if (s.repliedOn !== null && s.repliedOn < s.issuedOn) {
    const field = changed.has('issuedOn') && !changed.has('repliedOn') ? 'issuedOn' : 'repliedOn';
    throw invalid(field, `回复日期（${s.repliedOn}）不能早于移交日期（${s.issuedOn}）。`, 'reply_before_issue');
  }
}

export function createSuggestion(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const sc = scope(ctx, i);
  const reply = read.reply(i.reply);
  const f: Fields = {
    department: read.department(i.department),
    content: read.content(i.content),
    issuedOn: read.issuedOn(i.issuedOn),
    reply,
    repliedOn: read.repliedOn(i.repliedOn),
    status: i.status === undefined ? (reply === null ? 'pending' : 'replied') : read.status(i.status),
  };
  checkState(f, new Set(Object.keys(i)));
  return inTransaction(ctx, () => insertRow(ctx, suggestions, { ...sc, ...f }));
}

/** Edit a suggestion; giving a reply to a 待回复 one makes it 已回复 unless a status is given. */
export function updateSuggestion(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, suggestions, v.id(i.id, 'id', '移交建议'), '移交建议');
  const patch: Partial<Suggestion> = { ...scopePatch(ctx, i) };
  for (const k of ['department', 'content', 'issuedOn', 'reply', 'repliedOn', 'status'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  const next: Fields = { ...cur, ...patch } as Fields;
  if (i.status === undefined && patch.reply !== undefined) {
    if (next.reply === null) next.status = 'pending';
    else if (cur.status === 'pending') next.status = 'replied';
    patch.status = next.status;
  }
  checkState(next, new Set(Object.keys(i)));
  return inTransaction(ctx, () => updateRow(ctx, suggestions, cur, patch));
}

/** The department's reply: {id, reply, repliedOn, adopted?}. */
export function recordSuggestionReply(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const adopted = v.bool(i.adopted, 'adopted', '已采纳办结');
  const reply = v.text(i.reply, 'reply', { max: v.LEN.text, label: '回复内容' });
  const repliedOn = v.date(i.repliedOn, 'repliedOn', '回复日期');
  return updateSuggestion(ctx, { id: i.id, reply, repliedOn, status: adopted ? 'adopted' : 'replied' });
}

export function listSuggestions(ctx: ServiceContext, raw: unknown = {}): ListResult<Suggestion> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const status = v.optOneOf(i.status, 'status', SUGGESTION_STATUSES.codes, '办理状态');
  const department = v.optText(i.department, 'department', { max: v.LEN.short, label: '承办部门' });
  return page(ctx, suggestions, [
    eqIf(suggestions.roundId, s.roundId), eqIf(suggestions.unitId, s.unitId), eqIf(suggestions.status, status),
    eqIf(suggestions.department, department),
  ], [asc(suggestions.issuedOn), asc(suggestions.id)], listArgs(i));
}

export function getSuggestion(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return rowForRead(ctx, suggestions, v.id(i.id, 'id', '移交建议'), '移交建议', incl);
}

export function deleteSuggestion(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, suggestions, v.id(i.id, 'id', '移交建议'), '移交建议');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, suggestions, cur, reason));
}

export function restoreSuggestion(ctx: ServiceContext, raw: unknown): Suggestion {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, suggestions, v.id(i.id, 'id', '移交建议'), '移交建议');
  return inTransaction(ctx, () => restoreRow(ctx, suggestions, cur));
}
