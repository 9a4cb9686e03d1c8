import { sql } from 'drizzle-orm';
import { PROBLEM_STATUSES as PROBLEM_STATUS_VOCAB } from '../domain/enums.js';
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { dateCol, flag, syncColumns } from './common.js';
import { inspections, rounds, units, feedbacks } from './org.js';
import {
  CLOSEOUT_DECISIONS, EVIDENCE_OWNERS, EXTENSION_STATUSES, PROBLEM_SOURCES, TASK_STATUSES, TASK_TERMS,
} from '../domain/enums.js';

/** Configurable problem categories (a tree, two levels in practice). */
export const problemCategories = sqliteTable('problem_categories', {
  ...syncColumns(),
  name: text('name').notNull(),
  parentId: text('parent_id'),
  sortOrder: integer('sort_order').notNull().default(0),
  active: flag('active').notNull().default(true),
});

export const PROBLEM_STATUSES = PROBLEM_STATUS_VOCAB.codes;

export const problems = sqliteTable('problems', {
  ...syncColumns(),
  roundId: text('round_id').references(() => rounds.id),
  unitId: text('unit_id').notNull().references(() => units.id),
  inspectionId: text('inspection_id').references(() => inspections.id),
  feedbackId: text('feedback_id').references(() => feedbacks.id),
  /** 序号 within the unit's problem list. */
  seq: integer('seq').notNull(),
  categoryId: text('category_id').notNull().references(() => problemCategories.id),
  description: text('description').notNull(),
  isKey: flag('is_key').notNull().default(false),
  /** 领办领导 of a key/difficult problem. */
  leadLeader: text('lead_leader'),
  source: text('source', { enum: PROBLEM_SOURCES.codes }).notNull(),
  notForDisclosure: flag('not_for_disclosure').notNull().default(false),
  notForDisclosureReason: text('not_for_disclosure_reason'),
  /** A problem that reappears after being closed (问题反弹) points at the earlier one. */
  reboundOfId: text('rebound_of_id'),
  remark: text('remark'),
  /** Derived from its tasks by the task service, kept here so million-row lists filter in SQL. */
  status: text('status', { enum: PROBLEM_STATUSES }).notNull().default('open'),
  /** Earliest current deadline among its unfinished tasks (null when none). */
  deadline: dateCol('deadline'),
  taskCount: integer('task_count').notNull().default(0),
  closedTaskCount: integer('closed_task_count').notNull().default(0),
}, (t) => [
  index('problems_unit_status_deadline_idx').on(t.unitId, t.status, t.deadline, t.id),
  index('problems_round_idx').on(t.roundId, t.status, t.deadline, t.id),
  index('problems_category_idx').on(t.categoryId),
  index('problems_version_idx').on(t.version),
  // A unit's whole list by deadline, and searches inside one unit.
  index('problems_unit_deadline_idx').on(t.unitId, t.deadline, t.id),
  // Whole-ledger lists (an aggregating office) sorted by deadline or by last change.
  index('problems_deadline_idx').on(t.deadline, t.id),
  index('problems_updated_idx').on(t.updatedAt, t.id),
  // 序号 allocation within a unit's list. Round first, so that it never competes with the
  // (unit_id, status, deadline) index for a unit's list.
  index('problems_round_unit_seq_idx').on(t.roundId, t.unitId, t.seq),
  // Counting live problems reads this, not the table (1,000,000 problems: 2 s → 0.05 s); and the
  // task lists ask "is its problem deleted?" of the few deleted problems only.
  index('problems_live_idx').on(t.id).where(sql`deleted_at IS NULL`),
  index('problems_deleted_idx').on(t.id).where(sql`deleted_at IS NOT NULL`),
  // 来源单位 (an aggregating office's lists of one partner's records), by deadline or last change:
  // without them a partner with few records walked the whole sort index.
  index('problems_origin_idx').on(t.originOfficeId, t.deadline, t.id).where(sql`deleted_at IS NULL`),
  index('problems_origin_updated_idx').on(t.originOfficeId, t.updatedAt, t.id).where(sql`deleted_at IS NULL`),
]);

export const tasks = sqliteTable('tasks', {
  ...syncColumns(),
  problemId: text('problem_id').notNull().references(() => problems.id),
  /** Copied from the problem for aggregation without a join on million-row ledgers. */
  unitId: text('unit_id').notNull().references(() => units.id),
  roundId: text('round_id').references(() => rounds.id),
  seq: integer('seq').notNull(),
  measures: text('measures').notNull(),
  responsibleLeader: text('responsible_leader'),
  responsibleDepartment: text('responsible_department'),
  responsiblePerson: text('responsible_person'),
  term: text('term', { enum: TASK_TERMS.codes }).notNull(),
  /** The deadline first set: kept even after an approved extension. */
  deadline: dateCol('deadline').notNull(),
  /** The deadline in force (the extended one after an approved 延期申请). */
  currentDeadline: dateCol('current_deadline').notNull(),
  status: text('status', { enum: TASK_STATUSES.codes }).notNull(),
  completedOn: dateCol('completed_on'),
  /** The unit reports the task as completed on time (按期完成). */
  reportedOnTime: flag('reported_on_time'),
  submittedBy: text('submitted_by'),
  submittedAt: text('submitted_at'),
  closedAt: text('closed_at'),
  returnCount: integer('return_count').notNull().default(0),
  /** Bumped by every material change; a close-out approves one revision. */
  materialRevision: integer('material_revision').notNull().default(1),
  secondRound: flag('second_round').notNull().default(false),
  notForDisclosure: flag('not_for_disclosure').notNull().default(false),
  notForDisclosureReason: text('not_for_disclosure_reason'),
  remark: text('remark'),
  /** When a task is dropped because it was merged, the surviving task. */
  mergedIntoId: text('merged_into_id'),
}, (t) => [
  index('tasks_problem_idx').on(t.problemId),
  index('tasks_unit_status_idx').on(t.unitId, t.status, t.currentDeadline, t.id),
  index('tasks_round_status_idx').on(t.roundId, t.status),
  index('tasks_dept_idx').on(t.responsibleDepartment, t.status, t.currentDeadline),
  // The problem list filtered by a department or leader of the problem's tasks reads only these.
  index('tasks_dept_problem_idx').on(t.responsibleDepartment, t.problemId).where(sql`deleted_at IS NULL`),
  index('tasks_leader_problem_idx').on(t.responsibleLeader, t.problemId).where(sql`deleted_at IS NULL`),
  index('tasks_deadline_idx').on(t.currentDeadline, t.id),
  index('tasks_version_idx').on(t.version),
  // The task list by last change (2,000,000 tasks: a 70 s sort before).
  index('tasks_updated_idx').on(t.updatedAt, t.id),
  // 来源单位, by deadline or last change. problem_id makes them cover a count of live tasks: the
  // planner may scan either for one, and a lookup of each task's row cost 20 s at 2,000,000 tasks.
  index('tasks_origin_idx').on(t.originOfficeId, t.currentDeadline, t.id, t.problemId).where(sql`deleted_at IS NULL`),
  index('tasks_origin_updated_idx').on(t.originOfficeId, t.updatedAt, t.id, t.problemId).where(sql`deleted_at IS NULL`),
  // A status across every round (待审核 for a reviewer): the list by deadline and its count.
  index('tasks_status_idx').on(t.status, t.currentDeadline, t.id, t.problemId).where(sql`deleted_at IS NULL`),
]);

/** 分阶段目标 of a long-term task. */
export const taskStages = sqliteTable('task_stages', {
  ...syncColumns(),
  taskId: text('task_id').notNull().references(() => tasks.id),
  seq: integer('seq').notNull(),
  goal: text('goal').notNull(),
  dueDate: dateCol('due_date').notNull(),
  doneOn: dateCol('done_on'),
}, (t) => [index('task_stages_task_idx').on(t.taskId)]);

/** 延期申请: both the original and the requested deadline stay on record. */
export const extensionRequests = sqliteTable('extension_requests', {
  ...syncColumns(),
  taskId: text('task_id').notNull().references(() => tasks.id),
  previousDeadline: dateCol('previous_deadline').notNull(),
  requestedDeadline: dateCol('requested_deadline').notNull(),
  reason: text('reason').notNull(),
  requestedBy: text('requested_by').notNull(),
  status: text('status', { enum: EXTENSION_STATUSES.codes }).notNull(),
  decidedBy: text('decided_by'),
  decidedAt: text('decided_at'),
  decisionComment: text('decision_comment'),
}, (t) => [index('extension_requests_task_idx').on(t.taskId)]);

/** 整改进展: dated entries. */
export const progressEntries = sqliteTable('progress_entries', {
  ...syncColumns(),
  taskId: text('task_id').notNull().references(() => tasks.id),
  entryDate: dateCol('entry_date').notNull(),
  content: text('content').notNull(),
}, (t) => [index('progress_entries_task_idx').on(t.taskId, t.entryDate)]);

/**
 * Evidence bytes, content-addressed by SHA-256 and stored once however many records cite them.
 * They live inside the ledger file (not in a folder beside it) so that one transaction covers a
 * record and its bytes (all-or-nothing imports, crash safety), encryption at rest covers them with
 * the rest of the ledger, a backup is one file, and no user-supplied file name ever becomes a path.
 */
export const evidenceBlobs = sqliteTable('evidence_blobs', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * The bytes of an evidence file larger than 1 MiB, in pieces of 1 MiB in order (its
 * evidence_blobs row's `data` is then empty): db/core/blobs.ts.
 */
export const evidenceChunks = sqliteTable('evidence_chunks', {
  sha256: text('sha256').notNull().references(() => evidenceBlobs.sha256),
  seq: integer('seq').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
}, (t) => [primaryKey({ columns: [t.sha256, t.seq] })]);

/** 佐证材料: one file cited by one record. 形成日期 (formedOn) is not the upload date (createdAt). */
export const evidence = sqliteTable('evidence', {
  ...syncColumns(),
  ownerType: text('owner_type', { enum: EVIDENCE_OWNERS.codes }).notNull(),
  ownerId: text('owner_id').notNull(),
  sha256: text('sha256').notNull().references(() => evidenceBlobs.sha256),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  formedOn: dateCol('formed_on').notNull(),
  description: text('description'),
}, (t) => [
  index('evidence_owner_idx').on(t.ownerType, t.ownerId),
  index('evidence_sha_idx').on(t.sha256),
]);

/**
 * 销号 review. A close-out freezes what was approved: the task, its evidence hashes, reviewer,
 * time and comment, in `snapshot` (canonical JSON) with its hash.
 */
export const closeouts = sqliteTable('closeouts', {
  ...syncColumns(),
  taskId: text('task_id').notNull().references(() => tasks.id),
  materialRevision: integer('material_revision').notNull(),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: text('submitted_at').notNull(),
  decision: text('decision', { enum: CLOSEOUT_DECISIONS.codes }).notNull(),
  reviewerId: text('reviewer_id'),
  decidedAt: text('decided_at'),
  comment: text('comment'),
  snapshot: text('snapshot'),
  snapshotHash: text('snapshot_hash'),
  supersededAt: text('superseded_at'),
  supersededReason: text('superseded_reason'),
}, (t) => [index('closeouts_task_idx').on(t.taskId)]);
