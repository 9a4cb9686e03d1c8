/**
 * Every call the UI can make, channel → service. Both transports (Electron IPC, the loopback
 * harness) dispatch through this one map via db/bridge/dispatch.ts; db/bridge/contract.ts derives the typed
 * contract from it and db/bridge/channels.ts lists the channels at run time.
 */
import type { Session } from './dispatch.js';
import type { ServiceContext } from '../core/context.js';
import { DomainError } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import * as v from '../core/validate.js';
import { aggregateOverview, accountabilityByForm, cluesByDisposition, evaluationsByGrade, moneyRecovered, suggestionsAnswered, summarize } from '../analysis/aggregates.js';
import { listRedFlags } from '../analysis/red-flags.js';
import { clueClocks, inspectionClocks, roundClocks, roundClueClocks, taskLight } from '../clocks/statutory.js';
import * as accountability from '../services/accountability.js';
import * as activities from '../services/activities.js';
import * as calendar from '../services/calendar.js';
import * as categories from '../services/categories.js';
import * as closeout from '../services/closeout.js';
import * as clues from '../services/clues.js';
import * as escalations from '../services/escalations.js';
import * as evaluations from '../services/evaluations.js';
import * as evidence from '../services/evidence.js';
import * as extensions from '../services/extensions.js';
import * as inspections from '../services/inspections.js';
import * as office from '../services/office.js';
import * as petitions from '../services/petitions.js';
import * as problems from '../services/problems.js';
import * as programmes from '../services/programmes.js';
import * as progress from '../services/progress.js';
import * as reports from '../services/reports.js';
import * as rounds from '../services/rounds.js';
import * as settings from '../services/settings.js';
import * as suggestions from '../services/suggestions.js';
import * as tasks from '../services/tasks.js';
import * as units from '../services/units.js';
import { history, recentActivity } from '../services/history.js';
import { countProblems, listProblems } from '../queries/problem-list.js';
import { countTasks, listTasks } from '../queries/task-list.js';
import { listDutyGroups } from '../queries/duty-groups.js';
import * as bulk from '../services/bulk.js';
import * as savedFilters from '../services/saved-filters.js';
import { permissionsOf } from '../core/permissions.js';

/** Read `{ [key]: id }` from an argument, for wrappers of functions that take plain ids. */
function idArg(raw: unknown, key: string, label: string): string {
  return v.id(v.object(raw)[key], key, label);
}
function optDay(raw: unknown): string | undefined {
  const d = v.optDate(v.object(raw ?? {}).today, 'today', '基准日期');
  return d ?? undefined;
}

/** What only the transport can do (it owns which ledger file is open). */
export interface ShellHooks {
  /** Switch to the demo ledger (generated on first use); returns the demo accounts' password. */
  openDemo?(): { password: string };
}

export function makeHandlers(session: Session, shell: ShellHooks = {}) {
  return {
    // 台账与会话
    // `today` is the engine's date (its clock decides what is overdue); the page uses it too.
    'ledger:status': (ctx: ServiceContext) => ({ setUp: office.isSetUp(ctx), office: office.getOffice(ctx), today: ctx.clock.today() }),
    'ledger:setup': (ctx: ServiceContext, a: unknown) => office.setupLedger(ctx, a),
    'ledger:openDemo': (ctx: ServiceContext) => {
      if (office.isSetUp(ctx)) throw new DomainError('CONFLICT', '本机台账已经建立，不能在此切换到演示台账。', { reason: 'already_set_up' });
      if (!shell.openDemo) throw new DomainError('UNAVAILABLE', '当前版本不能打开演示台账。');
      session.user = null;
      return shell.openDemo();
    },
    'session:login': (ctx: ServiceContext, a: unknown) => {
      const user = office.login(ctx, a);
      session.user = user;
      return { ...user, permissions: permissionsOf(user) };
    },
    'session:logout': () => {
      session.user = null;
      return null;
    },
    'session:current': (ctx: ServiceContext) => (ctx.user ? { ...ctx.user, permissions: permissionsOf(ctx.user) } : null),
    'office:get': (ctx: ServiceContext) => office.getOffice(ctx),
    'office:update': (ctx: ServiceContext, a: unknown) => office.updateOffice(ctx, a),
    'users:list': (ctx: ServiceContext) => office.listUsers(ctx),
    'users:create': (ctx: ServiceContext, a: unknown) => office.createUser(ctx, a),
    'users:update': (ctx: ServiceContext, a: unknown) => office.updateUser(ctx, a),
    'settings:get': (ctx: ServiceContext) => settings.getSettings(ctx),
    'settings:update': (ctx: ServiceContext, a: unknown) => settings.updateSettings(ctx, a),

    // 设置：类别、时限规则、节假日
    'categories:list': (ctx: ServiceContext, a: unknown) => categories.listCategories(ctx, a),
    'categories:create': (ctx: ServiceContext, a: unknown) => categories.createCategory(ctx, a),
    'categories:rename': (ctx: ServiceContext, a: unknown) => categories.renameCategory(ctx, a),
    'categories:deactivate': (ctx: ServiceContext, a: unknown) => categories.deactivateCategory(ctx, a),
    'categories:activate': (ctx: ServiceContext, a: unknown) => categories.activateCategory(ctx, a),
    'categories:delete': (ctx: ServiceContext, a: unknown) => categories.deleteCategory(ctx, a),
    'categories:restore': (ctx: ServiceContext, a: unknown) => categories.restoreCategory(ctx, a),
    'categories:reorder': (ctx: ServiceContext, a: unknown) => categories.reorderCategories(ctx, a),
    'calendar:list': (ctx: ServiceContext, a: unknown) => calendar.listCalendarDays(ctx, a),
    'calendar:set': (ctx: ServiceContext, a: unknown) => calendar.setCalendarDay(ctx, a),
    'calendar:remove': (ctx: ServiceContext, a: unknown) => calendar.removeCalendarDay(ctx, a),
    'ruleSets:list': (ctx: ServiceContext) => calendar.listRuleSets(ctx),
    'ruleSets:createVersion': (ctx: ServiceContext, a: unknown) => calendar.createRuleSetVersion(ctx, a),
    'rounds:setRuleSet': (ctx: ServiceContext, a: unknown) => calendar.setRoundRuleSet(ctx, a),

    // 巡视轮次、巡视组、被巡视单位、反馈
    'rounds:list': (ctx: ServiceContext, a: unknown) => rounds.listRounds(ctx, a),
    'rounds:get': (ctx: ServiceContext, a: unknown) => rounds.getRound(ctx, a),
    'rounds:create': (ctx: ServiceContext, a: unknown) => rounds.createRound(ctx, a),
    'rounds:update': (ctx: ServiceContext, a: unknown) => rounds.updateRound(ctx, a),
    'rounds:delete': (ctx: ServiceContext, a: unknown) => rounds.deleteRound(ctx, a),
    'rounds:restore': (ctx: ServiceContext, a: unknown) => rounds.restoreRound(ctx, a),
    'teams:list': (ctx: ServiceContext, a: unknown) => rounds.listTeams(ctx, a),
    'teams:create': (ctx: ServiceContext, a: unknown) => rounds.createTeam(ctx, a),
    'teams:update': (ctx: ServiceContext, a: unknown) => rounds.updateTeam(ctx, a),
    'teams:delete': (ctx: ServiceContext, a: unknown) => rounds.deleteTeam(ctx, a),
    'teams:restore': (ctx: ServiceContext, a: unknown) => rounds.restoreTeam(ctx, a),
    'units:list': (ctx: ServiceContext, a: unknown) => units.listUnits(ctx, a),
    'units:get': (ctx: ServiceContext, a: unknown) => units.getUnit(ctx, a),
    'units:create': (ctx: ServiceContext, a: unknown) => units.createUnit(ctx, a),
    'units:update': (ctx: ServiceContext, a: unknown) => units.updateUnit(ctx, a),
    'units:delete': (ctx: ServiceContext, a: unknown) => units.deleteUnit(ctx, a),
    'units:restore': (ctx: ServiceContext, a: unknown) => units.restoreUnit(ctx, a),
    'units:setOverhaul': (ctx: ServiceContext, a: unknown) => units.setOverhaul(ctx, a),
    'units:setLeader': (ctx: ServiceContext, a: unknown) => units.setInitialLeader(ctx, a),
    'units:updateLeader': (ctx: ServiceContext, a: unknown) => units.updateLeader(ctx, a),
    'units:handover': (ctx: ServiceContext, a: unknown) => units.handoverLeader(ctx, a),
    'inspections:list': (ctx: ServiceContext, a: unknown) => inspections.listInspections(ctx, a),
    'inspections:get': (ctx: ServiceContext, a: unknown) => inspections.getInspection(ctx, a),
    'inspections:create': (ctx: ServiceContext, a: unknown) => inspections.createInspection(ctx, a),
    'inspections:update': (ctx: ServiceContext, a: unknown) => inspections.updateInspection(ctx, a),
    'inspections:delete': (ctx: ServiceContext, a: unknown) => inspections.deleteInspection(ctx, a),
    'inspections:restore': (ctx: ServiceContext, a: unknown) => inspections.restoreInspection(ctx, a),
    'feedback:list': (ctx: ServiceContext, a: unknown) => inspections.listFeedback(ctx, a),
    'feedback:add': (ctx: ServiceContext, a: unknown) => inspections.addFeedback(ctx, a),
    'feedback:update': (ctx: ServiceContext, a: unknown) => inspections.updateFeedback(ctx, a),
    'feedback:delete': (ctx: ServiceContext, a: unknown) => inspections.deleteFeedback(ctx, a),
    'feedback:restore': (ctx: ServiceContext, a: unknown) => inspections.restoreFeedback(ctx, a),

    // 问题、任务、进展、佐证、销号、延期
    'problems:list': (ctx: ServiceContext, a: unknown) => listProblems(ctx, a),
    'problems:count': (ctx: ServiceContext, a: unknown) => countProblems(ctx, a),
    'tasks:list': (ctx: ServiceContext, a: unknown) => listTasks(ctx, a),
    'tasks:count': (ctx: ServiceContext, a: unknown) => countTasks(ctx, a),
    'problems:create': (ctx: ServiceContext, a: unknown) => problems.createProblem(ctx, a),
    'problems:update': (ctx: ServiceContext, a: unknown) => problems.updateProblem(ctx, a),
    'problems:delete': (ctx: ServiceContext, a: unknown) => problems.deleteProblem(ctx, a),
    'problems:restore': (ctx: ServiceContext, a: unknown) => problems.restoreProblem(ctx, a),
    'problems:get': (ctx: ServiceContext, a: unknown) => problems.getProblem(ctx, a),
    'tasks:create': (ctx: ServiceContext, a: unknown) => tasks.createTask(ctx, a),
    'tasks:update': (ctx: ServiceContext, a: unknown) => tasks.updateTask(ctx, a),
    'tasks:start': (ctx: ServiceContext, a: unknown) => tasks.startTask(ctx, a),
    'tasks:reopen': (ctx: ServiceContext, a: unknown) => tasks.reopenTask(ctx, a),
    'tasks:drop': (ctx: ServiceContext, a: unknown) => tasks.dropTask(ctx, a),
    'tasks:get': (ctx: ServiceContext, a: unknown) => tasks.getTask(ctx, a),
    'tasks:setStageDone': (ctx: ServiceContext, a: unknown) => tasks.setStageDone(ctx, a),
    'progress:add': (ctx: ServiceContext, a: unknown) => progress.addProgress(ctx, a),
    'progress:list': (ctx: ServiceContext, a: unknown) => progress.listProgress(ctx, a),
    'progress:remove': (ctx: ServiceContext, a: unknown) => progress.removeProgress(ctx, a),
    'evidence:add': (ctx: ServiceContext, a: unknown) => evidence.addEvidence(ctx, a),
    'evidence:list': (ctx: ServiceContext, a: unknown) => evidence.listEvidence(ctx, a),
    'evidence:content': (ctx: ServiceContext, a: unknown) => evidence.getEvidenceContent(ctx, a),
    'evidence:remove': (ctx: ServiceContext, a: unknown) => evidence.removeEvidence(ctx, a),
    'closeout:submit': (ctx: ServiceContext, a: unknown) => closeout.submitCloseout(ctx, a),
    'closeout:review': (ctx: ServiceContext, a: unknown) => closeout.reviewCloseout(ctx, a),
    'extensions:request': (ctx: ServiceContext, a: unknown) => extensions.requestExtension(ctx, a),
    'extensions:decide': (ctx: ServiceContext, a: unknown) => extensions.decideExtension(ctx, a),

    // 问题线索、移交建议、信访、监督举措、报告、评估与问责
    'clues:list': (ctx: ServiceContext, a: unknown) => clues.listClues(ctx, a),
    'clues:get': (ctx: ServiceContext, a: unknown) => clues.getClue(ctx, a),
    'clues:create': (ctx: ServiceContext, a: unknown) => clues.createClue(ctx, a),
    'clues:update': (ctx: ServiceContext, a: unknown) => clues.updateClue(ctx, a),
    'clues:dispose': (ctx: ServiceContext, a: unknown) => clues.disposeClue(ctx, a),
    'clues:reactivate': (ctx: ServiceContext, a: unknown) => clues.reactivateClue(ctx, a),
    'clues:recordOutcome': (ctx: ServiceContext, a: unknown) => clues.recordClueOutcome(ctx, a),
    'clues:recordInquiryReply': (ctx: ServiceContext, a: unknown) => clues.recordInquiryReply(ctx, a),
    'clues:delete': (ctx: ServiceContext, a: unknown) => clues.deleteClue(ctx, a),
    'clues:restore': (ctx: ServiceContext, a: unknown) => clues.restoreClue(ctx, a),
    'suggestions:list': (ctx: ServiceContext, a: unknown) => suggestions.listSuggestions(ctx, a),
    'suggestions:get': (ctx: ServiceContext, a: unknown) => suggestions.getSuggestion(ctx, a),
    'suggestions:create': (ctx: ServiceContext, a: unknown) => suggestions.createSuggestion(ctx, a),
    'suggestions:update': (ctx: ServiceContext, a: unknown) => suggestions.updateSuggestion(ctx, a),
    'suggestions:reply': (ctx: ServiceContext, a: unknown) => suggestions.recordSuggestionReply(ctx, a),
    'suggestions:delete': (ctx: ServiceContext, a: unknown) => suggestions.deleteSuggestion(ctx, a),
    'suggestions:restore': (ctx: ServiceContext, a: unknown) => suggestions.restoreSuggestion(ctx, a),
    'petitions:list': (ctx: ServiceContext, a: unknown) => petitions.listPetitions(ctx, a),
    'petitions:get': (ctx: ServiceContext, a: unknown) => petitions.getPetition(ctx, a),
    'petitions:create': (ctx: ServiceContext, a: unknown) => petitions.createPetition(ctx, a),
    'petitions:update': (ctx: ServiceContext, a: unknown) => petitions.updatePetition(ctx, a),
    'petitions:delete': (ctx: ServiceContext, a: unknown) => petitions.deletePetition(ctx, a),
    'petitions:restore': (ctx: ServiceContext, a: unknown) => petitions.restorePetition(ctx, a),
    'activities:list': (ctx: ServiceContext, a: unknown) => activities.listActivities(ctx, a),
    'activities:get': (ctx: ServiceContext, a: unknown) => activities.getActivity(ctx, a),
    'activities:create': (ctx: ServiceContext, a: unknown) => activities.createActivity(ctx, a),
    'activities:update': (ctx: ServiceContext, a: unknown) => activities.updateActivity(ctx, a),
    'activities:delete': (ctx: ServiceContext, a: unknown) => activities.deleteActivity(ctx, a),
    'activities:restore': (ctx: ServiceContext, a: unknown) => activities.restoreActivity(ctx, a),
    'programmes:list': (ctx: ServiceContext, a: unknown) => programmes.listProgrammes(ctx, a),
    'programmes:get': (ctx: ServiceContext, a: unknown) => programmes.getProgramme(ctx, a),
    'programmes:create': (ctx: ServiceContext, a: unknown) => programmes.createProgramme(ctx, a),
    'programmes:update': (ctx: ServiceContext, a: unknown) => programmes.updateProgramme(ctx, a),
    'programmes:updateStage': (ctx: ServiceContext, a: unknown) => programmes.updateProgrammeStage(ctx, a),
    'programmes:addMeasure': (ctx: ServiceContext, a: unknown) => programmes.addProgrammeMeasure(ctx, a),
    'programmes:updateMeasure': (ctx: ServiceContext, a: unknown) => programmes.updateProgrammeMeasure(ctx, a),
    'programmes:deleteMeasure': (ctx: ServiceContext, a: unknown) => programmes.deleteProgrammeMeasure(ctx, a),
    'programmes:markMeasureDone': (ctx: ServiceContext, a: unknown) => programmes.markMeasureDone(ctx, a),
    'programmes:undoMeasureDone': (ctx: ServiceContext, a: unknown) => programmes.undoMeasureDone(ctx, a),
    'programmes:delete': (ctx: ServiceContext, a: unknown) => programmes.deleteProgramme(ctx, a),
    'programmes:restore': (ctx: ServiceContext, a: unknown) => programmes.restoreProgramme(ctx, a),
    'reports:list': (ctx: ServiceContext, a: unknown) => reports.listReports(ctx, a),
    'reports:get': (ctx: ServiceContext, a: unknown) => reports.getReport(ctx, a),
    'reports:create': (ctx: ServiceContext, a: unknown) => reports.createReport(ctx, a),
    'reports:update': (ctx: ServiceContext, a: unknown) => reports.updateReport(ctx, a),
    'reports:delete': (ctx: ServiceContext, a: unknown) => reports.deleteReport(ctx, a),
    'reports:restore': (ctx: ServiceContext, a: unknown) => reports.restoreReport(ctx, a),
    'evaluations:list': (ctx: ServiceContext, a: unknown) => evaluations.listEvaluations(ctx, a),
    'evaluations:get': (ctx: ServiceContext, a: unknown) => evaluations.getEvaluation(ctx, a),
    'evaluations:create': (ctx: ServiceContext, a: unknown) => evaluations.createEvaluation(ctx, a),
    'evaluations:update': (ctx: ServiceContext, a: unknown) => evaluations.updateEvaluation(ctx, a),
    'evaluations:delete': (ctx: ServiceContext, a: unknown) => evaluations.deleteEvaluation(ctx, a),
    'evaluations:restore': (ctx: ServiceContext, a: unknown) => evaluations.restoreEvaluation(ctx, a),
    'escalations:list': (ctx: ServiceContext, a: unknown) => escalations.listEscalations(ctx, a),
    'escalations:get': (ctx: ServiceContext, a: unknown) => escalations.getEscalation(ctx, a),
    'escalations:ladder': (ctx: ServiceContext, a: unknown) => escalations.getEscalationLadder(ctx, a),
    'escalations:issue': (ctx: ServiceContext, a: unknown) => escalations.issueEscalation(ctx, a),
    'escalations:update': (ctx: ServiceContext, a: unknown) => escalations.updateEscalation(ctx, a),
    'escalations:delete': (ctx: ServiceContext, a: unknown) => escalations.deleteEscalation(ctx, a),
    'escalations:restore': (ctx: ServiceContext, a: unknown) => escalations.restoreEscalation(ctx, a),
    'accountability:list': (ctx: ServiceContext, a: unknown) => accountability.listAccountability(ctx, a),
    'accountability:get': (ctx: ServiceContext, a: unknown) => accountability.getAccountability(ctx, a),
    'accountability:create': (ctx: ServiceContext, a: unknown) => accountability.createAccountability(ctx, a),
    'accountability:update': (ctx: ServiceContext, a: unknown) => accountability.updateAccountability(ctx, a),
    'accountability:delete': (ctx: ServiceContext, a: unknown) => accountability.deleteAccountability(ctx, a),
    'accountability:restore': (ctx: ServiceContext, a: unknown) => accountability.restoreAccountability(ctx, a),

    // 时限、汇总分析、虚假整改预警、审计
    'clocks:inspection': (ctx: ServiceContext, a: unknown) => (requirePermission(ctx, 'ledger.read'), inspectionClocks(ctx, idArg(a, 'inspectionId', '巡视对象'), optDay(a))),
    'clocks:round': (ctx: ServiceContext, a: unknown) => (requirePermission(ctx, 'ledger.read'), roundClocks(ctx, idArg(a, 'roundId', '巡视轮次'), optDay(a))),
    'clocks:task': (ctx: ServiceContext, a: unknown) => (requirePermission(ctx, 'ledger.read'), taskLight(ctx, idArg(a, 'taskId', '整改任务'), optDay(a))),
    'clocks:clue': (ctx: ServiceContext, a: unknown) => clueClocks(ctx, idArg(a, 'clueId', '问题线索'), optDay(a)),
    'clocks:roundClues': (ctx: ServiceContext, a: unknown) => (requirePermission(ctx, 'clue.read'), roundClueClocks(ctx, idArg(a, 'roundId', '巡视轮次'), optDay(a))),
    'analysis:summary': (ctx: ServiceContext, a: unknown) => summarize(ctx, a),
    'analysis:overview': (ctx: ServiceContext, a: unknown) => aggregateOverview(ctx, a),
    'analysis:cluesByDisposition': (ctx: ServiceContext, a: unknown) => cluesByDisposition(ctx, a),
    'analysis:accountabilityByForm': (ctx: ServiceContext, a: unknown) => accountabilityByForm(ctx, a),
    'analysis:moneyRecovered': (ctx: ServiceContext, a: unknown) => moneyRecovered(ctx, a),
    'analysis:suggestionsAnswered': (ctx: ServiceContext, a: unknown) => suggestionsAnswered(ctx, a),
    'analysis:evaluationsByGrade': (ctx: ServiceContext, a: unknown) => evaluationsByGrade(ctx, a),
    'analysis:redFlags': (ctx: ServiceContext, a: unknown) => listRedFlags(ctx, a),
    'audit:history': (ctx: ServiceContext, a: unknown) => history(ctx, a),
    'audit:recent': (ctx: ServiceContext, a: unknown) => recentActivity(ctx, a),

    // 清单：已保存的筛选、责任清单分组、批量操作
    'savedFilters:list': (ctx: ServiceContext, a: unknown) => savedFilters.listSavedFilters(ctx, a),
    'savedFilters:save': (ctx: ServiceContext, a: unknown) => savedFilters.saveFilter(ctx, a),
    'savedFilters:rename': (ctx: ServiceContext, a: unknown) => savedFilters.renameFilter(ctx, a),
    'savedFilters:delete': (ctx: ServiceContext, a: unknown) => savedFilters.deleteFilter(ctx, a),
    'tasks:dutyGroups': (ctx: ServiceContext, a: unknown) => listDutyGroups(ctx, a),
    'tasks:bulkAssignDepartment': (ctx: ServiceContext, a: unknown) => bulk.bulkAssignDepartment(ctx, a),
    'tasks:bulkSetDeadline': (ctx: ServiceContext, a: unknown) => bulk.bulkSetDeadline(ctx, a),
  };
}

export type HandlerMap = ReturnType<typeof makeHandlers>;
