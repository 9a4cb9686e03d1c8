import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { conflict, invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { programmeMeasures, programmeStages, supervisionProgrammes } from '../schema/index.js';
import * as v from '../core/validate.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  deletedRow, deleteReason, eqIf, listArgs, notBefore, page, rowForRead, scope, scopeFilter, scopePatch, type ListResult,
} from './supervision-common.js';

/**
 * A staged supervision programme (整改监督工作方案), e.g. 6 months in 4 stages — 学习部署 → 集中整改落实
 * → 集中整改审核 → 持续整改 — with 15 concrete measures. Stages and measures are data; stages are
 * ordered, do not overlap and lie inside the programme's dates. The programme is its checklist:
 * each measure is ticked off with the day it was done.
 */
export type Programme = Row<typeof supervisionProgrammes>;
export type Stage = Row<typeof programmeStages>;
export type Measure = Row<typeof programmeMeasures>;

export interface ChecklistStage extends Stage {
  /** Against today: not started, under way, or over. */
  phase: 'upcoming' | 'current' | 'past';
  measures: (Measure & { done: boolean })[];
  doneCount: number;
  measureCount: number;
}
export type ProgrammeChecklist = Programme & { stages: ChecklistStage[]; doneCount: number; measureCount: number };

const MAX_STAGES = 20;
const MAX_MEASURES = 100;

const nameOf = (x: unknown, field: string, label: string) => v.text(x, field, { max: v.LEN.short, label });
const contentOf = (x: unknown, field: string) => v.text(x, field, { max: v.LEN.text, label: '措施内容' });
const ownerOf = (x: unknown, field: string) => v.optText(x, field, { max: v.LEN.short, label: '责任人或部门' });

interface Span { startOn: string; endOn: string }

/** Stages in order: each ends on or after its start, inside the programme, after the previous one. */
function checkStages(prog: Span, stages: Span[], fieldOf: (k: number, f: 'startOn' | 'endOn') => string): void {
  stages.forEach((s, k) => {
    notBefore(s.endOn, s.startOn, fieldOf(k, 'endOn'), '阶段结束日期不能早于开始日期。', 'end_before_start');
    if (s.startOn < prog.startOn) throw invalid(fieldOf(k, 'startOn'), `阶段不能早于方案开始日期（${prog.startOn}）。`, 'outside_programme');
    if (s.endOn > prog.endOn) throw invalid(fieldOf(k, 'endOn'), `阶段不能晚于方案结束日期（${prog.endOn}）。`, 'outside_programme');
    const prev = stages[k - 1];
    if (prev && s.startOn <= prev.endOn) {
      throw invalid(fieldOf(k, 'startOn'), `阶段应在上一阶段结束（${prev.endOn}）之后开始，不能重叠。`, 'overlap');
    }
  });
}

const stageField = (k: number, f: string) => `stages.${k}.${f}`;

function liveStages(ctx: ServiceContext, programmeId: string): Stage[] {
  return ctx.ledger.orm.select().from(programmeStages)
    .where(and(eq(programmeStages.programmeId, programmeId), isNull(programmeStages.deletedAt)))
    .orderBy(asc(programmeStages.seq), asc(programmeStages.id)).all();
}

function liveMeasures(ctx: ServiceContext, programmeId: string): Measure[] {
  return ctx.ledger.orm.select().from(programmeMeasures)
    .where(and(eq(programmeMeasures.programmeId, programmeId), isNull(programmeMeasures.deletedAt)))
    .orderBy(asc(programmeMeasures.seq), asc(programmeMeasures.id)).all();
}

function checklist(ctx: ServiceContext, p: Programme): ProgrammeChecklist {
  const today = ctx.clock.today();
  const measures = liveMeasures(ctx, p.id);
  const stages = liveStages(ctx, p.id).map((s): ChecklistStage => {
    const ms = measures.filter((m) => m.stageId === s.id).map((m) => ({ ...m, done: m.doneOn !== null }));
    const phase = today < s.startOn ? 'upcoming' : today > s.endOn ? 'past' : 'current';
    return { ...s, phase, measures: ms, doneCount: ms.filter((m) => m.done).length, measureCount: ms.length };
  });
  return {
    ...p, stages,
    doneCount: stages.reduce((n, s) => n + s.doneCount, 0),
    measureCount: stages.reduce((n, s) => n + s.measureCount, 0),
  };
}

/**
 * {roundId?, unitId?, name, startOn, endOn, stages: [{name, startOn, endOn, measures: [{content, owner?}]}]}.
 * Stage order is the array order. Errors name the field as `stages.1.endOn`, `stages.0.measures.2.content`.
 */
export function createProgramme(ctx: ServiceContext, raw: unknown): ProgrammeChecklist {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const sc = scope(ctx, i);
  const name = nameOf(i.name, 'name', '方案名称');
  const startOn = v.date(i.startOn, 'startOn', '方案开始日期');
  const endOn = v.date(i.endOn, 'endOn', '方案结束日期');
  notBefore(endOn, startOn, 'endOn', '方案结束日期不能早于开始日期。', 'end_before_start');
  if (!Array.isArray(i.stages) || i.stages.length === 0) throw invalid('stages', '请至少设置一个阶段。', 'required');
  if (i.stages.length > MAX_STAGES) throw invalid('stages', `阶段不能超过${MAX_STAGES}个。`, 'too_many');
  const stages = i.stages.map((rs: unknown, k) => {
    const s = v.object(rs, `stages.${k}`);
    const ms = s.measures ?? [];
    if (!Array.isArray(ms)) throw invalid(stageField(k, 'measures'), '阶段措施格式不正确。', 'type');
    if (ms.length > MAX_MEASURES) throw invalid(stageField(k, 'measures'), `每个阶段的措施不能超过${MAX_MEASURES}项。`, 'too_many');
    return {
      name: nameOf(s.name, stageField(k, 'name'), `第${k + 1}阶段名称`),
      startOn: v.date(s.startOn, stageField(k, 'startOn'), `第${k + 1}阶段开始日期`),
      endOn: v.date(s.endOn, stageField(k, 'endOn'), `第${k + 1}阶段结束日期`),
      measures: ms.map((rm: unknown, m) => {
        const o = v.object(rm, `stages.${k}.measures.${m}`);
        return {
          content: contentOf(o.content, `stages.${k}.measures.${m}.content`),
          owner: ownerOf(o.owner, `stages.${k}.measures.${m}.owner`),
        };
      }),
    };
  });
  checkStages({ startOn, endOn }, stages, stageField);
  return inTransaction(ctx, () => {
    const p = insertRow(ctx, supervisionProgrammes, { ...sc, name, startOn, endOn });
    stages.forEach((s, k) => {
      const st = insertRow(ctx, programmeStages, { programmeId: p.id, seq: k + 1, name: s.name, startOn: s.startOn, endOn: s.endOn });
      s.measures.forEach((m, j) => {
        insertRow(ctx, programmeMeasures, { programmeId: p.id, stageId: st.id, seq: j + 1, content: m.content, owner: m.owner, doneOn: null });
      });
    });
    return checklist(ctx, p);
  });
}

/** The earliest day a measure of the programme was ticked off (the programme cannot start later). */
function firstDone(ctx: ServiceContext, programmeId: string): string | null {
  const done = liveMeasures(ctx, programmeId).map((m) => m.doneOn).filter((d): d is string => d !== null).sort();
  return done[0] ?? null;
}

/** {id, name?, startOn?, endOn?, roundId?, unitId?}: the dates must still contain every stage. */
export function updateProgramme(ctx: ServiceContext, raw: unknown): ProgrammeChecklist {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, supervisionProgrammes, v.id(i.id, 'id', '监督方案'), '监督方案');
  const patch: Partial<Programme> = { ...scopePatch(ctx, i) };
  if (i.name !== undefined) patch.name = nameOf(i.name, 'name', '方案名称');
  if (i.startOn !== undefined) patch.startOn = v.date(i.startOn, 'startOn', '方案开始日期');
  if (i.endOn !== undefined) patch.endOn = v.date(i.endOn, 'endOn', '方案结束日期');
  const span = { startOn: patch.startOn ?? cur.startOn, endOn: patch.endOn ?? cur.endOn };
  notBefore(span.endOn, span.startOn, patch.endOn !== undefined ? 'endOn' : 'startOn', '方案结束日期不能早于开始日期。', 'end_before_start');
  checkStages(span, liveStages(ctx, cur.id), (_k, f) => f);
  const done = firstDone(ctx, cur.id);
  notBefore(done, span.startOn, 'startOn', `已有措施在${done}完成，方案开始日期不能晚于该日。`, 'measure_done_before');
  return inTransaction(ctx, () => checklist(ctx, updateRow(ctx, supervisionProgrammes, cur, patch)));
}

/** {stageId, name?, startOn?, endOn?}: stages stay ordered, apart and inside the programme. */
export function updateProgrammeStage(ctx: ServiceContext, raw: unknown): ProgrammeChecklist {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, programmeStages, v.id(i.stageId, 'stageId', '方案阶段'), '方案阶段', 'stageId');
  const prog = requireRow(ctx, supervisionProgrammes, cur.programmeId, '监督方案', 'stageId');
  const patch: Partial<Stage> = {};
  if (i.name !== undefined) patch.name = nameOf(i.name, 'name', '阶段名称');
  if (i.startOn !== undefined) patch.startOn = v.date(i.startOn, 'startOn', '阶段开始日期');
  if (i.endOn !== undefined) patch.endOn = v.date(i.endOn, 'endOn', '阶段结束日期');
  const all = liveStages(ctx, prog.id).map((s) => (s.id === cur.id ? { ...s, ...patch } : s));
  const mine = all.findIndex((s) => s.id === cur.id);
  // Only this stage's own fields can be at fault for the caller; a neighbour's clash names this one.
  checkStages(prog, all, (k, f) => (k === mine ? f : f === 'startOn' ? 'endOn' : 'startOn'));
  return inTransaction(ctx, () => {
    updateRow(ctx, programmeStages, cur, patch);
    return checklist(ctx, prog);
  });
}

function measureWithProgramme(ctx: ServiceContext, raw: unknown) {
  const m = requireRow(ctx, programmeMeasures, v.id(raw, 'measureId', '方案措施'), '方案措施', 'measureId');
  const prog = requireRow(ctx, supervisionProgrammes, m.programmeId, '监督方案', 'measureId');
  requireRow(ctx, programmeStages, m.stageId, '方案阶段', 'measureId');
  return { m, prog };
}

/** {stageId, content, owner?}: appended at the end of the stage. */
export function addProgrammeMeasure(ctx: ServiceContext, raw: unknown): Measure {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const stage = requireRow(ctx, programmeStages, v.id(i.stageId, 'stageId', '方案阶段'), '方案阶段', 'stageId');
  requireRow(ctx, supervisionProgrammes, stage.programmeId, '监督方案', 'stageId');
  const content = contentOf(i.content, 'content');
  const owner = ownerOf(i.owner, 'owner');
  const n = liveMeasures(ctx, stage.programmeId).filter((m) => m.stageId === stage.id);
  if (n.length >= MAX_MEASURES) throw invalid('stageId', `每个阶段的措施不能超过${MAX_MEASURES}项。`, 'too_many');
  const seq = n.reduce((mx, m) => Math.max(mx, m.seq), 0) + 1;
  return inTransaction(ctx, () => insertRow(ctx, programmeMeasures, {
    programmeId: stage.programmeId, stageId: stage.id, seq, content, owner, doneOn: null,
  }));
}

/** {measureId, content?, owner?}. */
export function updateProgrammeMeasure(ctx: ServiceContext, raw: unknown): Measure {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const { m } = measureWithProgramme(ctx, i.measureId);
  const patch: Partial<Measure> = {};
  if (i.content !== undefined) patch.content = contentOf(i.content, 'content');
  if (i.owner !== undefined) patch.owner = ownerOf(i.owner, 'owner');
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, patch));
}

/** {measureId, reason}. */
export function deleteProgrammeMeasure(ctx: ServiceContext, raw: unknown): Measure {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const { m } = measureWithProgramme(ctx, i.measureId);
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, programmeMeasures, m, reason));
}

/** Tick a measure off: {measureId, doneOn}; not before the programme started. */
export function markMeasureDone(ctx: ServiceContext, raw: unknown): Measure {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const { m, prog } = measureWithProgramme(ctx, i.measureId);
  const doneOn = v.date(i.doneOn, 'doneOn', '完成日期');
  notBefore(doneOn, prog.startOn, 'doneOn', `完成日期不能早于方案开始日期（${prog.startOn}）。`, 'before_programme');
  if (m.doneOn !== null) throw conflict(`该措施已于${m.doneOn}标记完成。`, 'already_done');
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, { doneOn }, { action: 'measure_done' }));
}

/** Undo a tick (the audit trail keeps the earlier date). */
export function undoMeasureDone(ctx: ServiceContext, raw: unknown): Measure {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const { m } = measureWithProgramme(ctx, i.measureId);
  if (m.doneOn === null) throw conflict('该措施尚未标记完成。', 'not_done');
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, { doneOn: null }, { action: 'measure_undone' }));
}

export function getProgramme(ctx: ServiceContext, raw: unknown): ProgrammeChecklist {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const incl = v.bool(i.includeDeleted, 'includeDeleted', '包含已删除记录');
  return checklist(ctx, rowForRead(ctx, supervisionProgrammes, v.id(i.id, 'id', '监督方案'), '监督方案', incl));
}

/** Programmes by start date, each with its measure counts. */
export function listProgrammes(ctx: ServiceContext, raw: unknown = {}): ListResult<Programme & { doneCount: number; measureCount: number }> {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const s = scopeFilter(i);
  const p = supervisionProgrammes;
  const res = page(ctx, p, [eqIf(p.roundId, s.roundId), eqIf(p.unitId, s.unitId)], [asc(p.startOn), asc(p.id)], listArgs(i));
  const ids = res.items.map((x) => x.id);
  const ms = ids.length === 0 ? [] : ctx.ledger.orm.select({ programmeId: programmeMeasures.programmeId, doneOn: programmeMeasures.doneOn })
    .from(programmeMeasures).where(and(inArray(programmeMeasures.programmeId, ids), isNull(programmeMeasures.deletedAt))).all();
  return {
    total: res.total,
    items: res.items.map((x) => {
      const mine = ms.filter((m) => m.programmeId === x.id);
      return { ...x, measureCount: mine.length, doneCount: mine.filter((m) => m.doneOn !== null).length };
    }),
  };
}

export function deleteProgramme(ctx: ServiceContext, raw: unknown): Programme {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, supervisionProgrammes, v.id(i.id, 'id', '监督方案'), '监督方案');
  const reason = deleteReason(i);
  return inTransaction(ctx, () => softDelete(ctx, supervisionProgrammes, cur, reason));
}

export function restoreProgramme(ctx: ServiceContext, raw: unknown): ProgrammeChecklist {
  requirePermission(ctx, 'supervision.write');
  const i = v.object(raw);
  const cur = deletedRow(ctx, supervisionProgrammes, v.id(i.id, 'id', '监督方案'), '监督方案');
  return inTransaction(ctx, () => checklist(ctx, restoreRow(ctx, supervisionProgrammes, cur)));
}
