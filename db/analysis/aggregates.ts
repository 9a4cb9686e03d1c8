/**
 * 汇总分析 (DOMAIN.md "Aggregate figures people ask for"). Every figure is counted by SQLite
 * (GROUP BY over the indexed columns); JS only merges the few group rows and attaches labels,
 * so the home page stays fast on a million-problem ledger.
 *
 * Counting rules, the same in every function:
 * - soft-deleted rows (deleted_at set) never count. A task counts only while it and its problem
 *   are both live: the problem service refuses to delete a problem with live tasks, but a ledger
 *   merged from another office may still carry a live task under a problem tombstoned there.
 *   A task merged into another is tombstoned by the task service (merged_into_id says where),
 *   so its work is counted once, on the surviving task.
 * - 已完成 (completed): the unit reported a completion date, or the task has been closed out
 *   (销号 implies completion even when no date was entered).
 * - 已销号 (closed): status 'closed'; 销号率 = closed / tasks, null when there are no tasks.
 * - 逾期 (overdue): not closed and the deadline in force (current_deadline, i.e. after an
 *   approved 延期申请) is before today (ctx.clock.today()).
 * - 长期坚持未销号 (longTermOpen): term 'long_term' and not closed.
 * - 分类 (category): a problem counts under its top-level category (the root of the category
 *   tree), because feedback is read by the top-level headings; a category whose chain does not
 *   reach a root (bad data) counts under itself.
 * - 责任部门 (department): the task's responsible_department text as entered; a problem counts
 *   once in every department that has one of its tasks, so department rows do not add up to
 *   the problem total (totals always count each problem once).
 * - 问责 counts records, i.e. 人次 (one person held accountable twice counts twice).
 * - 移交建议: answered means status 已回复 or 已采纳办结.
 * - 整改评估: counts evaluation records of one target type (a unit, by default), each grade once
 *   per record, so an 整改评估 followed by a 回头看 counts twice.
 */

export * from './scope.js';
export * from './aggregates/groups.js';
export * from './aggregates/summary.js';
export * from './aggregates/breakdowns.js';
