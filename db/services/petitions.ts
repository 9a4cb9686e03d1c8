import { asc } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { PETITION_STATUSES } from '../domain/enums.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { petitions } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, listArgs, page, rowForRead, scope, scopeFilter, scopePatch, type ListResult,
} from './supervision-common.js';

/** 信访事项 received during the inspection and handed over (移交) for handling. */
export type Petition = Row<typeof petitions>;

const read = {
  receivedOn: (x: unknown) => v.date(x, 'receivedOn', '受理日期'),
  summary: (x: unknown) => v.text(x, 'summary', { max: v.LEN.text, label: '信访事项摘要' }),
  handedTo: (x: unknown) => v.optText(x, 'handedTo', { max: v.LEN.short, label: '移交单位' }),
  handedOn: (x: unknown) => v.optDate(x, 'handedOn', '移交日期'),
  result: (x: unknown) => v.optText(x, 'result', { max: v.LEN.text, label: '办理结果' }),
  status: (x: unknown) => v.oneOf(x, 'status', PETITION_STATUSES.codes, '办理状态'),
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

export function createPetition(ctx: ServiceContext, raw: unknown): Petition {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const sc = scope(ctx, i);
  const base = {
    receivedOn: read.receivedOn(i.receivedOn),
    summary: read.summary(i.summary),
    handedTo: read.handedTo(i.handedTo),
    handedOn: read.handedOn(i.handedOn),
    result: read.result(i.result),
  };
  const f: Fields = { ...base, status: i.status === undefined ? derivedStatus(base) : read.status(i.status) };
  checkState(f, new Set(Object.keys(i)));
  return inTransaction(ctx, () => insertRow(ctx, petitions, { ...sc, ...f }));
}

/** Edit a petition; without an explicit status it follows what is filled in. */
export function updatePetition(ctx: ServiceContext, raw: unknown): Petition {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, petitions, v.id(i.id, 'id', '信访事项'), '信访事项');
  const patch: Partial<Petition> = { ...scopePatch(ctx, i) };
  for (const k of ['receivedOn', 'summary', 'handedTo', 'handedOn', 'result', 'status'] as const) {
    if (i[k] !== undefined) (patch as Record<string, unknown>)[k] = read[k](i[k]);
  }
  const next = { ...cur, ...patch } as Fields;
  if (i.status === undefined) patch.status = next.status = derivedStatus(next);
  checkState(next, new Set(Object.keys(i)));
  return inTransaction(ctx, () => updateRow(ctx, petitions, cur, patch));
}

export function listPetitions(ctx: ServiceContext, raw: unknown = {}): ListResult<Petition> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const status = v.optOneOf(i.status, 'status', PETITION_STATUSES.codes, '办理状态');
  return page(ctx, petitions, [eqIf(petitions.roundId, s.roundId), eqIf(petitions.unitId, s.unitId), eqIf(petitions.status, status)],
    [asc(petitions.receivedOn), asc(petitions.id)], listArgs(i));
}

export function getPetition(ctx: ServiceContext, raw: unknown): Petition {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return rowForRead(ctx, petitions, v.id(i.id, 'id', '信访事项'), '信访事项', incl);
}

export function deletePetition(ctx: ServiceContext, raw: unknown): Petition {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, petitions, v.id(i.id, 'id', '信访事项'), '信访事项');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, petitions, cur, reason));
}

export function restorePetition(ctx: ServiceContext, raw: unknown): Petition {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, petitions, v.id(i.id, 'id', '信访事项'), '信访事项');
  return inTransaction(ctx, () => restoreRow(ctx, petitions, cur));
}
