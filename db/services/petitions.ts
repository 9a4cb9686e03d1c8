import { asc } from 'drizzle-orm';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle } from '../core/lifecycle.js';
import { PETITION_STATUSES } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { petitions } from '../schema/index.js';
import { insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import {
  eqIf, givenKeys, listFields, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields, type ListResult,
} from './supervision-common.js';

/** 信访事项 received during the inspection and handed over (移交) for handling. */
export type Petition = Row<typeof petitions>;

const fields = {
  receivedOn: f.date('受理日期'),
  summary: f.text('信访事项摘要', f.LEN.text),
  handedTo: f.optText('移交单位', f.LEN.short),
  handedOn: f.optDate('移交日期'),
  result: f.optText('办理结果', f.LEN.text),
  status: f.oneOf(PETITION_STATUSES.codes, '办理状态'),
};

type Fields = Pick<Petition, 'receivedOn' | 'summary' | 'handedTo' | 'handedOn' | 'result' | 'status'>;

/** The status a petition has by what is filled in, when the caller does not say. */
function derivedStatus(f: Omit<Fields, 'status'>): Petition['status'] {
  if (f.result !== null) return 'concluded';
  if (f.handedTo !== null) return 'handed_over';
  return 'received';
}

/**
 * 已受理 has no hand-over and no result; 已移交 names to whom and when; 已办结 states the result.
 * A petition cannot be handed over before it was received.
 */
function checkState(s: Fields, changed: Set<string>): void {
  if ((s.handedTo === null) !== (s.handedOn === null)) {
    const field = s.handedTo === null ? 'handedTo' : 'handedOn';
    throw invalid(field, '移交单位和移交日期须同时填写。', 'required');
  }
  if (s.status === 'received' && (s.handedTo !== null || s.result !== null)) {
    throw invalid('status', '已移交或已有办理结果的信访事项不能是“已受理”状态。', 'inconsistent');
  }
  if (s.status === 'handed_over' && s.handedTo === null) throw invalid('handedTo', '请填写移交单位。', 'required');
  if (s.status === 'handed_over' && s.result !== null) throw invalid('status', '已有办理结果的信访事项应为“已办结”。', 'inconsistent');
  if (s.status === 'concluded' && s.result === null) throw invalid('result', '请填写办理结果。', 'required');
  if (s.handedOn !== null && s.handedOn < s.receivedOn) {
    const field = changed.has('receivedOn') && !changed.has('handedOn') ? 'receivedOn' : 'handedOn';
    throw invalid(field, `移交日期（${s.handedOn}）不能早于受理日期（${s.receivedOn}）。`, 'handed_before_received');
  }
}

export const createPetition = defineCall({
  permission: 'supervision.write',
  arg: f.args({ ...scopeFields, ...fields, status: f.patch(fields.status) }),
}, (ctx, a): Petition => {
  const sc = scope(ctx, a);
  const { receivedOn, summary, handedTo, handedOn, result } = a;
  const base = { receivedOn, summary, handedTo, handedOn, result };
  const s: Fields = { ...base, status: a.status === undefined ? derivedStatus(base) : a.status };
  checkState(s, givenKeys(a));
  return inTransaction(ctx, () => insertRow(ctx, petitions, { ...sc, ...s }));
});

/** Edit a petition; without an explicit status it follows what is filled in. */
export const updatePetition = defineCall({
  permission: 'supervision.write',
  arg: f.args({
    id: f.id('信访事项'), ...scopePatchFields,
    receivedOn: f.patch(fields.receivedOn),
    summary: f.patch(fields.summary),
    handedTo: f.patch(fields.handedTo),
    handedOn: f.patch(fields.handedOn),
    result: f.patch(fields.result),
    status: f.patch(fields.status),
  }),
}, (ctx, a): Petition => {
  const cur = requireRow(ctx, petitions, a.id, '信访事项');
  const patch: Partial<Petition> = { ...scopePatch(ctx, a) };
  for (const k of ['receivedOn', 'summary', 'handedTo', 'handedOn', 'result', 'status'] as const) {
    if (a[k] !== undefined) (patch as Record<string, unknown>)[k] = a[k];
  }
  const next = { ...cur, ...patch } as Fields;
  if (a.status === undefined) patch.status = next.status = derivedStatus(next);
  checkState(next, givenKeys(a));
  return inTransaction(ctx, () => updateRow(ctx, petitions, cur, patch));
});

export const listPetitions = defineCall({
  permission: 'ledger.read',
  arg: f.args({ ...scopeFields, status: f.optOneOf(PETITION_STATUSES.codes, '办理状态'), ...listFields }),
}, (ctx, a): ListResult<Petition> => page(ctx, petitions,
  [eqIf(petitions.roundId, a.roundId), eqIf(petitions.unitId, a.unitId), eqIf(petitions.status, a.status)],
  [asc(petitions.receivedOn), asc(petitions.id)], a));

export const getPetition = defineCall({ permission: 'ledger.read', arg: readArg('信访事项') }, (ctx, a): Petition =>
  rowForRead(ctx, petitions, a.id, '信访事项', a.includeDeleted));

export const { remove: deletePetition, restore: restorePetition } = defineLifecycle({
  table: petitions, label: '信访事项', permission: 'supervision.write', strictRestore: true,
});
