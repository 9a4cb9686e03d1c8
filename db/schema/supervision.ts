import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { dateCol, flag, syncColumns } from './common.js';
import { inspections, rounds, units } from './org.js';
import { problems, tasks } from './ledger.js';
import {
  ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS, ACTIVITY_KINDS, CLUE_DISPOSITIONS, CLUE_OUTCOMES,
  ESCALATION_LEVELS, GRADES, PETITION_STATUSES, RECEIVING_ORGANS, REPORT_KINDS, SUGGESTION_STATUSES,
} from '../domain/enums.js';

/** 问题线索: the most sensitive data in the ledger; readable only with `canViewClues`. */
export const clues = sqliteTable('clues', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  subjectName: text('subject_name').notNull(),
  subjectPost: text('subject_post').notNull(),
  summary: text('summary').notNull(),
  receivedOn: dateCol('received_on').notNull(),
  receivingOrgan: text('receiving_organ', { enum: RECEIVING_ORGANS.codes }).notNull(),
  disposition: text('disposition', { enum: CLUE_DISPOSITIONS.codes }).notNull(),
  outcome: text('outcome', { enum: CLUE_OUTCOMES.codes }),
  /** 追赃挽损 in fen (1/100 yuan) so sums are exact. */
  moneyRecoveredFen: integer('money_recovered_fen').notNull().default(0),
  concludedOn: dateCol('concluded_on'),
}, (t) => [index('clues_round_idx').on(t.roundId, t.disposition), index('clues_unit_idx').on(t.unitId)]);

/** Every disposition step, including re-activation of 暂存待查 clues. */
export const clueDispositions = sqliteTable('clue_dispositions', {
  ...syncColumns(),
  clueId: text('clue_id').notNull().references(() => clues.id),
  fromWay: text('from_way', { enum: CLUE_DISPOSITIONS.codes }).notNull(),
  way: text('way', { enum: CLUE_DISPOSITIONS.codes }).notNull(),
  decidedOn: dateCol('decided_on').notNull(),
  note: text('note').notNull(),
  /** 函询: the letter's date starts the 15-working-day reply clock. */
  letterSentOn: dateCol('letter_sent_on'),
  repliedOn: dateCol('replied_on'),
  isReactivation: flag('is_reactivation').notNull().default(false),
}, (t) => [index('clue_dispositions_clue_idx').on(t.clueId)]);

/** 移交建议/通报 to a functional department. */
export const suggestions = sqliteTable('suggestions', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  department: text('department').notNull(),
  content: text('content').notNull(),
  issuedOn: dateCol('issued_on').notNull(),
  reply: text('reply'),
  repliedOn: dateCol('replied_on'),
  status: text('status', { enum: SUGGESTION_STATUSES.codes }).notNull(),
}, (t) => [index('suggestions_round_idx').on(t.roundId, t.status)]);

/** 信访事项 received during the inspection and handed over. */
export const petitions = sqliteTable('petitions', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  receivedOn: dateCol('received_on').notNull(),
  summary: text('summary').notNull(),
  handedTo: text('handed_to'),
  handedOn: dateCol('handed_on'),
  result: text('result'),
  status: text('status', { enum: PETITION_STATUSES.codes }).notNull(),
}, (t) => [index('petitions_round_idx').on(t.roundId)]);

export const supervisionActivities = sqliteTable('supervision_activities', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  kind: text('kind', { enum: ACTIVITY_KINDS.codes }).notNull(),
  activityDate: dateCol('activity_date').notNull(),
  title: text('title').notNull(),
  participants: text('participants'),
  findings: text('findings'),
}, (t) => [index('supervision_activities_unit_idx').on(t.unitId, t.activityDate)]);

export const activityProblems = sqliteTable('activity_problems', {
  ...syncColumns(),
  activityId: text('activity_id').notNull().references(() => supervisionActivities.id),
  problemId: text('problem_id').notNull().references(() => problems.id),
}, (t) => [index('activity_problems_activity_idx').on(t.activityId), index('activity_problems_problem_idx').on(t.problemId)]);

/** A staged supervision programme, e.g. 6 months in 4 stages with 15 measures: all data. */
export const supervisionProgrammes = sqliteTable('supervision_programmes', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  name: text('name').notNull(),
  startOn: dateCol('start_on').notNull(),
  endOn: dateCol('end_on').notNull(),
});

export const programmeStages = sqliteTable('programme_stages', {
  ...syncColumns(),
  programmeId: text('programme_id').notNull().references(() => supervisionProgrammes.id),
  seq: integer('seq').notNull(),
  name: text('name').notNull(),
  startOn: dateCol('start_on').notNull(),
  endOn: dateCol('end_on').notNull(),
}, (t) => [index('programme_stages_programme_idx').on(t.programmeId)]);

export const programmeMeasures = sqliteTable('programme_measures', {
  ...syncColumns(),
  programmeId: text('programme_id').notNull().references(() => supervisionProgrammes.id),
  stageId: text('stage_id').notNull().references(() => programmeStages.id),
  seq: integer('seq').notNull(),
  content: text('content').notNull(),
  owner: text('owner'),
  doneOn: dateCol('done_on'),
}, (t) => [index('programme_measures_stage_idx').on(t.stageId)]);

/** Reports of one inspection: plan, 专题民主生活会, progress report, review opinion, disclosure… */
export const reports = sqliteTable('reports', {
  ...syncColumns(),
  inspectionId: text('inspection_id').notNull().references(() => inspections.id),
  kind: text('kind', { enum: REPORT_KINDS.codes }).notNull(),
  title: text('title').notNull(),
  docNumber: text('doc_number'),
  /** Issued / held / submitted date, depending on the kind. */
  reportDate: dateCol('report_date').notNull(),
  /** For a review opinion: the day the unit received it (starts the disclosure clock). */
  receivedOn: dateCol('received_on'),
  body: text('body'),
}, (t) => [index('reports_inspection_idx').on(t.inspectionId, t.kind)]);

/** 整改评估 / 回头看 ratings of a unit (per inspection) or of a task. */
export const evaluations = sqliteTable('evaluations', {
  ...syncColumns(),
  inspectionId: text('inspection_id').notNull().references(() => inspections.id),
  targetType: text('target_type', { enum: ['unit', 'task'] }).notNull(),
  targetId: text('target_id').notNull(),
  grade: text('grade', { enum: GRADES.codes }).notNull(),
  score: real('score'),
  findings: text('findings'),
  evaluatedOn: dateCol('evaluated_on').notNull(),
  isLookback: flag('is_lookback').notNull().default(false),
  opensSecondRound: flag('opens_second_round').notNull().default(false),
}, (t) => [index('evaluations_inspection_idx').on(t.inspectionId), index('evaluations_target_idx').on(t.targetId)]);

/** Escalation ladder 通知书 → 提醒书 → 告诫书 → 问责 against a lagging unit or task. */
export const escalationNotices = sqliteTable('escalation_notices', {
  ...syncColumns(),
  unitId: text('unit_id').notNull().references(() => units.id),
  targetType: text('target_type', { enum: ['unit', 'task'] }).notNull(),
  targetId: text('target_id').notNull(),
  level: text('level', { enum: ESCALATION_LEVELS.codes }).notNull(),
  issuedOn: dateCol('issued_on').notNull(),
  docNumber: text('doc_number'),
  reason: text('reason').notNull(),
}, (t) => [index('escalation_notices_target_idx').on(t.targetId)]);

/** 问责 of a person for poor rectification. */
export const accountabilityRecords = sqliteTable('accountability', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').references(() => units.id),
  personName: text('person_name').notNull(),
  post: text('post').notNull(),
  reason: text('reason', { enum: ACCOUNTABILITY_REASONS.codes }).notNull(),
  form: text('form', { enum: ACCOUNTABILITY_FORMS.codes }).notNull(),
  decidedOn: dateCol('decided_on').notNull(),
  note: text('note'),
}, (t) => [index('accountability_unit_idx').on(t.unitId), index('accountability_round_idx').on(t.roundId)]);

export const accountabilityLinks = sqliteTable('accountability_links', {
  ...syncColumns(),
  accountabilityId: text('accountability_id').notNull().references(() => accountabilityRecords.id),
  problemId: text('problem_id').references(() => problems.id),
  taskId: text('task_id').references(() => tasks.id),
}, (t) => [index('accountability_links_acc_idx').on(t.accountabilityId)]);
