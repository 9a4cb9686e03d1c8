import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall } from '../core/call.js';
import { defineLifecycle, deleteReasonField } from '../core/lifecycle.js';
import { conflict, invalid } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { programmeMeasures, programmeStages, supervisionProgrammes } from '../schema/index.js';
import { insertRow, requireRow, softDelete, updateRow, type Row } from '../core/write.js';
import {
  eqIf, listFields, notBefore, page, readArg, rowForRead, scope, scopeFields, scopePatch, scopePatchFields, type ListResult,
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

const contentField = f.text('措施内容', f.LEN.text);
const ownerField = f.optText('责任人或部门', f.LEN.short);
const measureField = f.args({ content: contentField, owner: ownerField });
const stageField = f.args({
  name: f.text('阶段名称', f.LEN.short),
  startOn: f.date('阶段开始日期'),
  endOn: f.date('阶段结束日期'),
  measures: f.v.nullish(f.v.pipe(
    f.v.array(measureField, '阶段措施格式不正确。'),
    f.v.maxLength(MAX_MEASURES, `每个阶段的措施不能超过${MAX_MEASURES}项。`),
  ), () => []),
});
/** At least one stage, at most MAX_STAGES, in order. */
const stagesField = f.v.pipe(
  f.v.array(stageField, (i) => (i.input == null ? '请至少设置一个阶段。' : '阶段格式不正确。')),
  f.v.minLength(1, '请至少设置一个阶段。'),
  f.v.maxLength(MAX_STAGES, `阶段不能超过${MAX_STAGES}个。`),
);
const programmeName = f.text('方案名称', f.LEN.short);
const programmeStart = f.date('方案开始日期');
const programmeEnd = f.date('方案结束日期');

interface Span { startOn: string; endOn: string }

/** Stages in order: each ends on or after its start, inside the programme, after the previous one. */
function checkStages(prog: Span, stages: Span[], fieldOf: (k: number, field: 'startOn' | 'endOn') => string): void {
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

const stagePath = (k: number, field: string) => `stages[${k}].${field}`;

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
 * Stage order is the array order. Errors name the field as `stages[1].endOn`, `stages[0].measures[2].content`.
 */
export const createProgramme = defineCall({
  permission: 'supervision.write',
  arg: f.args({ ...scopeFields, name: programmeName, startOn: programmeStart, endOn: programmeEnd, stages: stagesField }),
}, (ctx, a): ProgrammeChecklist => {
  const sc = scope(ctx, a);
  const { name, startOn, endOn, stages } = a;
  notBefore(endOn, startOn, 'endOn', '方案结束日期不能早于开始日期。', 'end_before_start');
  checkStages({ startOn, endOn }, stages, stagePath);
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
});

/** The earliest day a measure of the programme was ticked off (the programme cannot start later). */
function firstDone(ctx: ServiceContext, programmeId: string): string | null {
  const done = liveMeasures(ctx, programmeId).map((m) => m.doneOn).filter((d): d is string => d !== null).sort();
  return done[0] ?? null;
}

/** {id, name?, startOn?, endOn?, roundId?, unitId?}: the dates must still contain every stage. */
export const updateProgramme = defineCall({
  permission: 'supervision.write',
  arg: f.args({
    id: f.id('监督方案'), ...scopePatchFields,
    name: f.patch(programmeName), startOn: f.patch(programmeStart), endOn: f.patch(programmeEnd),
  }),
}, (ctx, a): ProgrammeChecklist => {
  const cur = requireRow(ctx, supervisionProgrammes, a.id, '监督方案');
  const patch: Partial<Programme> = { ...scopePatch(ctx, a) };
  if (a.name !== undefined) patch.name = a.name;
  if (a.startOn !== undefined) patch.startOn = a.startOn;
  if (a.endOn !== undefined) patch.endOn = a.endOn;
  const span = { startOn: patch.startOn ?? cur.startOn, endOn: patch.endOn ?? cur.endOn };
  notBefore(span.endOn, span.startOn, patch.endOn !== undefined ? 'endOn' : 'startOn', '方案结束日期不能早于开始日期。', 'end_before_start');
  checkStages(span, liveStages(ctx, cur.id), (_k, field) => field);
  const done = firstDone(ctx, cur.id);
  notBefore(done, span.startOn, 'startOn', `已有措施在${done}完成，方案开始日期不能晚于该日。`, 'measure_done_before');
  return inTransaction(ctx, () => checklist(ctx, updateRow(ctx, supervisionProgrammes, cur, patch)));
});

/** {stageId, name?, startOn?, endOn?}: stages stay ordered, apart and inside the programme. */
export const updateProgrammeStage = defineCall({
  permission: 'supervision.write',
  arg: f.args({
    stageId: f.id('方案阶段'),
    name: f.patch(f.text('阶段名称', f.LEN.short)),
    startOn: f.patch(f.date('阶段开始日期')),
    endOn: f.patch(f.date('阶段结束日期')),
  }),
}, (ctx, a): ProgrammeChecklist => {
  const cur = requireRow(ctx, programmeStages, a.stageId, '方案阶段', 'stageId');
  const prog = requireRow(ctx, supervisionProgrammes, cur.programmeId, '监督方案', 'stageId');
  const patch: Partial<Stage> = {};
  if (a.name !== undefined) patch.name = a.name;
  if (a.startOn !== undefined) patch.startOn = a.startOn;
  if (a.endOn !== undefined) patch.endOn = a.endOn;
  const all = liveStages(ctx, prog.id).map((s) => (s.id === cur.id ? { ...s, ...patch } : s));
  const mine = all.findIndex((s) => s.id === cur.id);
  // Only this stage's own fields can be at fault for the caller; a neighbour's clash names this one.
  checkStages(prog, all, (k, field) => (k === mine ? field : field === 'startOn' ? 'endOn' : 'startOn'));
  return inTransaction(ctx, () => {
    updateRow(ctx, programmeStages, cur, patch);
    return checklist(ctx, prog);
  });
});

function measureWithProgramme(ctx: ServiceContext, measureId: string) {
  const m = requireRow(ctx, programmeMeasures, measureId, '方案措施', 'measureId');
  const prog = requireRow(ctx, supervisionProgrammes, m.programmeId, '监督方案', 'measureId');
  requireRow(ctx, programmeStages, m.stageId, '方案阶段', 'measureId');
  return { m, prog };
}

const measureRef = f.id('方案措施');

/** {stageId, content, owner?}: appended at the end of the stage. */
export const addProgrammeMeasure = defineCall({
  permission: 'supervision.write',
  arg: f.args({ stageId: f.id('方案阶段'), content: contentField, owner: ownerField }),
}, (ctx, a): Measure => {
  const stage = requireRow(ctx, programmeStages, a.stageId, '方案阶段', 'stageId');
  requireRow(ctx, supervisionProgrammes, stage.programmeId, '监督方案', 'stageId');
  const { content, owner } = a;
  const n = liveMeasures(ctx, stage.programmeId).filter((m) => m.stageId === stage.id);
  if (n.length >= MAX_MEASURES) throw invalid('stageId', `每个阶段的措施不能超过${MAX_MEASURES}项。`, 'too_many');
  const seq = n.reduce((mx, m) => Math.max(mx, m.seq), 0) + 1;
  return inTransaction(ctx, () => insertRow(ctx, programmeMeasures, {
    programmeId: stage.programmeId, stageId: stage.id, seq, content, owner, doneOn: null,
  }));
});

/** {measureId, content?, owner?}. */
export const updateProgrammeMeasure = defineCall({
  permission: 'supervision.write',
  arg: f.args({ measureId: measureRef, content: f.patch(contentField), owner: f.patch(ownerField) }),
}, (ctx, a): Measure => {
  const { m } = measureWithProgramme(ctx, a.measureId);
  const patch: Partial<Measure> = {};
  if (a.content !== undefined) patch.content = a.content;
  if (a.owner !== undefined) patch.owner = a.owner;
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, patch));
});

/** {measureId, reason}. */
export const deleteProgrammeMeasure = defineCall({
  permission: 'supervision.write',
  arg: f.args({ measureId: measureRef, reason: deleteReasonField }),
}, (ctx, a): Measure => {
  const { m } = measureWithProgramme(ctx, a.measureId);
  return inTransaction(ctx, () => softDelete(ctx, programmeMeasures, m, a.reason));
});

/** Tick a measure off: {measureId, doneOn}; not before the programme started. */
export const markMeasureDone = defineCall({
  permission: 'supervision.write',
  arg: f.args({ measureId: measureRef, doneOn: f.date('完成日期') }),
}, (ctx, a): Measure => {
  const { m, prog } = measureWithProgramme(ctx, a.measureId);
  const { doneOn } = a;
  notBefore(doneOn, prog.startOn, 'doneOn', `完成日期不能早于方案开始日期（${prog.startOn}）。`, 'before_programme');
  if (m.doneOn !== null) throw conflict(`该措施已于${m.doneOn}标记完成。`, 'already_done');
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, { doneOn }, { action: 'measure_done' }));
});

/** Undo a tick (the audit trail keeps the earlier date). */
export const undoMeasureDone = defineCall({
  permission: 'supervision.write',
  arg: f.args({ measureId: measureRef }),
}, (ctx, a): Measure => {
  const { m } = measureWithProgramme(ctx, a.measureId);
  if (m.doneOn === null) throw conflict('该措施尚未标记完成。', 'not_done');
  return inTransaction(ctx, () => updateRow(ctx, programmeMeasures, m, { doneOn: null }, { action: 'measure_undone' }));
});

export const getProgramme = defineCall({ permission: 'ledger.read', arg: readArg('监督方案') }, (ctx, a): ProgrammeChecklist =>
  checklist(ctx, rowForRead(ctx, supervisionProgrammes, a.id, '监督方案', a.includeDeleted)));

/** Programmes by start date, each with its measure counts. */
export const listProgrammes = defineCall({
  permission: 'ledger.read',
  arg: f.args({ ...scopeFields, ...listFields }),
}, (ctx, a): ListResult<Programme & { doneCount: number; measureCount: number }> => {
  const p = supervisionProgrammes;
  const res = page(ctx, p, [eqIf(p.roundId, a.roundId), eqIf(p.unitId, a.unitId)], [asc(p.startOn), asc(p.id)], a);
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
});

export const { remove: deleteProgramme, restore: restoreProgramme } = defineLifecycle({
  table: supervisionProgrammes, label: '监督方案', permission: 'supervision.write', strictRestore: true, view: checklist,
});
