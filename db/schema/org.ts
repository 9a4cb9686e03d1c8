import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { dateCol, flag, syncColumns } from './common.js';
import {
  FEEDBACK_KINDS, INSPECTION_FORMS, LEVELS, OFFICE_KINDS, ROLES, ROUND_KINDS, SECTORS,
} from '../domain/enums.js';
import { CLUE_GRANT_STATUSES } from '../domain/permissions.js';

/** An office running its own copy of the ledger, or a partner office known to it. */
export const offices = sqliteTable('offices', {
  ...syncColumns(),
  name: text('name').notNull(),
  kind: text('kind', { enum: OFFICE_KINDS.codes }).notNull(),
  level: text('level', { enum: LEVELS.codes }).notNull(),
  parentOfficeId: text('parent_office_id'),
});

/** Local accounts. `canViewClues` is separate from the role: 问题线索 are need-to-know. */
export const users = sqliteTable('users', {
  ...syncColumns(),
  officeId: text('office_id').notNull().references(() => offices.id),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES.codes }).notNull(),
  canViewClues: flag('can_view_clues').notNull().default(false),
  /** 数据交换: may export and import exchange packages (given by a 管理员; a right of its own). */
  canExchange: flag('can_exchange').notNull().default(false),
  passwordHash: text('password_hash'),
  active: flag('active').notNull().default(true),
}, (t) => [uniqueIndex('users_username_uq').on(t.username)]);

/**
 * The clue right (users.canViewClues) takes two people: a 管理员 proposes it for a user with a
 * reason (`pending`), a 负责人 who is neither the proposer nor the grantee confirms it
 * (`confirmed`: only then is canViewClues set) or rejects it; the proposer may withdraw it. A
 * confirmed right ends when revoked (one person suffices). A revocation of a right held from
 * before this rule has no proposal: its row starts as `revoked`, with no proposer.
 * The rights report (db/services/rights.ts) reads holders, pending proposals and history here.
 */
export const clueGrants = sqliteTable('clue_grants', {
  ...syncColumns(),
  userId: text('user_id').notNull().references(() => users.id),
  status: text('status', { enum: CLUE_GRANT_STATUSES.codes }).notNull(),
  /** Why the user needs the right (null only for a revoked right that predates proposals). */
  reason: text('reason'),
  grantedBy: text('granted_by').references(() => users.id),
  grantedAt: text('granted_at'),
  /** The 负责人 who confirmed or rejected it, or the proposer who withdrew it. */
  decidedBy: text('decided_by').references(() => users.id),
  decidedAt: text('decided_at'),
  decisionNote: text('decision_note'),
  revokedBy: text('revoked_by').references(() => users.id),
  revokedAt: text('revoked_at'),
  revokeReason: text('revoke_reason'),
}, (t) => [index('clue_grants_user_idx').on(t.userId)]);

/** Versioned statutory-clock rule sets (data, not code): a round picks one. */
export const clockRuleSets = sqliteTable('clock_rule_sets', {
  ...syncColumns(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  ruleVersion: integer('rule_version').notNull(),
  basis: text('basis'),
  /** JSON of ClockRules (db/clocks/rules.ts). */
  rules: text('rules').notNull(),
}, (t) => [uniqueIndex('clock_rule_sets_code_version_uq').on(t.code, t.ruleVersion)]);

export const rounds = sqliteTable('rounds', {
  ...syncColumns(),
  name: text('name').notNull(),
  level: text('level', { enum: LEVELS.codes }).notNull(),
  form: text('form', { enum: INSPECTION_FORMS.codes }).notNull(),
  kind: text('kind', { enum: ROUND_KINDS.codes }).notNull(),
  mobilisedOn: dateCol('mobilised_on'),
  enteredOn: dateCol('entered_on'),
  feedbackOn: dateCol('feedback_on'),
  ruleSetId: text('rule_set_id').notNull().references(() => clockRuleSets.id),
});

export const teams = sqliteTable('teams', {
  ...syncColumns(),
  roundId: text('round_id').notNull().references(() => rounds.id),
  number: integer('number').notNull(),
  name: text('name').notNull(),
  leaderName: text('leader_name'),
}, (t) => [index('teams_round_idx').on(t.roundId)]);

export const units = sqliteTable('units', {
  ...syncColumns(),
  name: text('name').notNull(),
  sector: text('sector', { enum: SECTORS.codes }).notNull(),
  parentUnitId: text('parent_unit_id'),
  /** 整顿: "问题不解决不放手，成效不明显不收兵" — a stricter follow-up regime. */
  underOverhaul: flag('under_overhaul').notNull().default(false),
  overhaulNote: text('overhaul_note'),
});

/** One unit inspected in one round by one team: the object the statutory clocks hang on. */
export const inspections = sqliteTable('inspections', {
  ...syncColumns(),
  roundId: text('round_id').notNull().references(() => rounds.id),
  teamId: text('team_id').references(() => teams.id),
  unitId: text('unit_id').notNull().references(() => units.id),
  /** Set when a poor rating opens 二次整改 for the whole unit. */
  secondRoundFrom: dateCol('second_round_from'),
}, (t) => [
  uniqueIndex('inspections_round_unit_uq').on(t.roundId, t.unitId),
  index('inspections_unit_idx').on(t.unitId),
]);

/** 主要负责人 history; the current one has no `toDate`. */
export const unitLeaders = sqliteTable('unit_leaders', {
  ...syncColumns(),
  unitId: text('unit_id').notNull().references(() => units.id),
  name: text('name').notNull(),
  post: text('post').notNull(),
  fromDate: dateCol('from_date').notNull(),
  toDate: dateCol('to_date'),
}, (t) => [index('unit_leaders_unit_idx').on(t.unitId)]);

/** 整改责任交接: recorded whenever the principal leader changes. */
export const handovers = sqliteTable('handovers', {
  ...syncColumns(),
  unitId: text('unit_id').notNull().references(() => units.id),
  fromLeaderId: text('from_leader_id').references(() => unitLeaders.id),
  toLeaderId: text('to_leader_id').notNull().references(() => unitLeaders.id),
  handoverDate: dateCol('handover_date').notNull(),
  openTaskCount: integer('open_task_count').notNull(),
  notes: text('notes'),
}, (t) => [index('handovers_unit_idx').on(t.unitId)]);

/** 反馈意见: its date starts every statutory clock. */
export const feedbacks = sqliteTable('feedbacks', {
  ...syncColumns(),
  inspectionId: text('inspection_id').notNull().references(() => inspections.id),
  kind: text('kind', { enum: FEEDBACK_KINDS.codes }).notNull(),
  feedbackDate: dateCol('feedback_date').notNull(),
  docNumber: text('doc_number'),
  body: text('body').notNull(),
}, (t) => [index('feedbacks_inspection_idx').on(t.inspectionId)]);
