import { asc } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { SUGGESTION_STATUSES } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { suggestions } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import {
  eqIf, givenKeys, listFields, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields, type ListResult,
} from './supervision-common.js';

/** 移交建议/通报 to a functional department and its reply (e.g. 72 suggestions to 26 departments). */
export type Suggestion = Row<typeof suggestions>;

const fields = {
  department: f.text('承办部门', f.LEN.short),
  content: f.text('建议内容', f.LEN.text),
  issuedOn: f.date('移交日期'),
  reply: f.optText('回复内容', f.LEN.text),
  repliedOn: f.optDate('回复日期'),
  status: f.oneOf(SUGGESTION_STATUSES.codes, '办理状态'),
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

export const createSuggestion = defineCall({
  permission: 'supervision.write',
  arg: f.args({ ...scopeFields, ...fields, status: f.patch(fields.status) }),
}, (ctx, a): Suggestion => {
  const sc = scope(ctx, a);
  const { department, content, issuedOn, reply, repliedOn } = a;
  const s: Fields = {
    department, content, issuedOn, reply, repliedOn,
    status: a.status === undefined ? (reply === null ? 'pending' : 'replied') : a.status,
  };
  checkState(s, givenKeys(a));
  return inTransaction(ctx, () => insertRow(ctx, suggestions, { ...sc, ...s }));
});

const updateArg = f.args({
  id: f.id('移交建议'), ...scopePatchFields,
  department: f.patch(fields.department),
  content: f.patch(fields.content),
  issuedOn: f.patch(fields.issuedOn),
  reply: f.patch(fields.reply),
  repliedOn: f.patch(fields.repliedOn),
  status: f.patch(fields.status),
});

function patchSuggestion(ctx: ServiceContext, a: f.Out<typeof updateArg>): Suggestion {
  const cur = requireRow(ctx, suggestions, a.id, '移交建议');
  const patch: Partial<Suggestion> = { ...scopePatch(ctx, a) };
  for (const k of ['department', 'content', 'issuedOn', 'reply', 'repliedOn', 'status'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const next: Fields = { ...cur, ...patch } as Fields;
  if (a.status === undefined && patch.reply !== undefined) {
    if (next.reply === null) next.status = 'pending';
    else if (cur.status === 'pending') next.status = 'replied';
    patch.status = next.status;
  }
  checkState(next, givenKeys(a));
  return inTransaction(ctx, () => updateRow(ctx, suggestions, cur, patch));
}

/** Edit a suggestion; giving a reply to a 待回复 one makes it 已回复 unless a status is given. */
export const updateSuggestion = defineCall({ permission: 'supervision.write', arg: updateArg }, patchSuggestion);

/** The department's reply: {id, reply, repliedOn, adopted?}. */
export const recordSuggestionReply = defineCall({
  permission: 'supervision.write',
  arg: f.args({ id: f.id('移交建议'), reply: f.text('回复内容', f.LEN.text), repliedOn: f.date('回复日期'), adopted: f.bool('已采纳办结') }),
}, (ctx, a): Suggestion => patchSuggestion(ctx, {
  id: a.id, reply: a.reply, repliedOn: a.repliedOn, status: a.adopted ? 'adopted' : 'replied',
}));

export const listSuggestions = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    ...scopeFields,
    status: f.optOneOf(SUGGESTION_STATUSES.codes, '办理状态'),
    department: f.optText('承办部门', f.LEN.short),
    ...listFields,
  }),
}, (ctx, a): ListResult<Suggestion> => page(ctx, suggestions, [
  eqIf(suggestions.roundId, a.roundId), eqIf(suggestions.unitId, a.unitId), eqIf(suggestions.status, a.status),
  eqIf(suggestions.department, a.department),
], [asc(suggestions.issuedOn), asc(suggestions.id)], a));

export const getSuggestion = defineCall({ permission: 'ledger.read', arg: readArg('移交建议') }, (ctx, a): Suggestion =>
  rowForRead(ctx, suggestions, a.id, '移交建议', a.includeDeleted));

export const { remove: deleteSuggestion, restore: restoreSuggestion } = defineLifecycle({
  table: suggestions, label: '移交建议', permission: 'supervision.write', strictRestore: true,
});
