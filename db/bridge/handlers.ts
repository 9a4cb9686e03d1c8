/**
 * Every call the UI can make: channel name → the call declared with defineCall (db/core/call.ts),
 * which carries its argument schema, its right and its body. This map is the only list of
 * channels: both transports (Electron IPC, the loopback harness) dispatch through it via
 * db/bridge/dispatch.ts, which refuses any name it does not hold, and db/bridge/contract.ts
 * derives the typed contract (argument and result of each channel) from it.
 */
import type { Session } from '../session/host.js';
import { outsideCall, sessionCalls, type ShellHooks } from './session-calls.js';
import { exchangeCalls } from './exchange-calls.js';
import { fileCalls } from './file-calls.js';
import { reportFileCalls } from './report-calls.js';
import { DomainError } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { defineCall } from '../core/call.js';
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
import { buildDraft } from '../reports/drafts.js';
import * as rights from '../services/rights.js';
import * as partners from '../services/partners.js';
import * as conflicts from '../services/conflicts.js';
import { archiveCalls } from '../archive/index.js';
import * as rounds from '../services/rounds.js';
import * as settings from '../services/settings.js';
import * as suggestions from '../services/suggestions.js';
import * as tasks from '../services/tasks.js';
import * as units from '../services/units.js';
import { history, recentActivity } from '../services/history.js';
import { exportHistoryCsv } from '../services/history-export.js';
import { countProblems, listProblems } from '../queries/problem-list.js';
import { countTasks, listTasks } from '../queries/task-list.js';
import { listDutyGroups } from '../queries/duty-groups.js';
import * as bulk from '../services/bulk.js';
import * as savedFilters from '../services/saved-filters.js';
import * as printed from '../services/print-ledger.js';

const dayOf = f.optDate('基准日期');
/** The argument of a clock query: the record's id and an optional reference day (default: the engine's today). */
const clockArg = <K extends string>(key: K, label: string) => f.args({ [key]: f.id(label), today: dayOf } as { [P in K]: ReturnType<typeof f.id> } & { today: typeof dayOf });
const day = (a: { today: string | null }) => a.today ?? undefined;

export type { ShellHooks };

export function makeHandlers(session: Session, shell: ShellHooks = {}) {
  const archive = archiveCalls(() => shell.host?.().archiveOptions ?? {});
  const map = ledgerCalls(session, shell, archive);
  return {
    ...map,
    /**
     * 打开归档 then browse it: a read call of the list below, run on the session's open archive
     * (read-only connection) with the user's own rights. Anything else is refused: an archive
     * is never written. Clue reads are left out: each writes an audit row, which the read-only
     * archive cannot hold.
     */
    'archive:query': outsideCall(f.args({ channel: f.v.picklist(ARCHIVE_READS, '归档文件只读，不能执行此操作。'), arg: f.v.optional(f.v.unknown()) }), (a) => {
      const host = shell.host?.();
      if (!host) throw new DomainError('UNAVAILABLE', '当前版本不能打开归档。');
      const ctx = host.archiveContext(session);
      return (map[a.channel] as (c: typeof ctx, arg: unknown) => unknown)(ctx, a.arg);
    }),
  };
}

/** The read calls an opened archive answers. */
export const ARCHIVE_READS = [
  'rounds:get', 'rounds:list', 'teams:list', 'units:list', 'units:get', 'inspections:list', 'inspections:get', 'feedback:list',
  'problems:list', 'problems:count', 'problems:get', 'tasks:list', 'tasks:count', 'tasks:get', 'progress:list', 'evidence:list',
  'evidence:content', 'reports:list', 'reports:get', 'audit:history',
] as const;

function ledgerCalls(session: Session, shell: ShellHooks, archive: ReturnType<typeof archiveCalls>) {
  return {
    // 台账与会话 (db/bridge/session-calls.ts)
    ...sessionCalls(session, shell),
    'office:get': office.getOffice,
    'office:update': office.updateOffice,
    'offices:list': office.listOffices,
    'users:list': office.listUsers,
    'users:create': office.createUser,
    'users:update': office.updateUser,
    'users:changeOwnPassword': office.changeOwnPassword,
    'rights:grantClue': rights.grantClue,
    'rights:confirmClue': rights.confirmClue,
    'rights:rejectClue': rights.rejectClue,
    'rights:revokeClue': rights.revokeClue,
    'rights:report': rights.rightsReport,
    'settings:get': settings.getSettings,
    'settings:update': settings.updateSettings,

    // 数据交换：本单位密钥与交换单位 (db/services/partners.ts)
    'exchange:identity': partners.ownIdentity,
    'exchange:card': partners.exportCard,
    'exchange:rotateKeys': partners.rotateOwnKeys,
    'partners:list': partners.listPartners,
    'partners:previewCard': partners.previewCard,
    'partners:add': partners.addPartner,
    'partners:confirm': partners.confirmPartner,
    'conflicts:list': conflicts.listConflicts,
    'conflicts:resolve': conflicts.resolveConflict,
    'conflicts:of': conflicts.conflictsOf,
    'proposals:list': conflicts.listProposals,
    'proposals:accept': conflicts.acceptProposal,
    'proposals:reject': conflicts.rejectProposal,
    // 导出导入交换包、回执、交换记录 (db/bridge/exchange-calls.ts: files, outside the transaction)
    ...exchangeCalls(session, shell),
    // 导入Excel台账、导出台账 (db/bridge/file-calls.ts: files, outside the transaction)
    ...fileCalls(session, shell),
    // 报告文稿导出Word (db/bridge/report-calls.ts: the edited draft as .docx, outside the transaction)
    ...reportFileCalls(session, shell),

    // 设置：类别、时限规则、节假日
    'categories:list': categories.listCategories,
    'categories:create': categories.createCategory,
    'categories:rename': categories.renameCategory,
    'categories:deactivate': categories.deactivateCategory,
    'categories:activate': categories.activateCategory,
    'categories:delete': categories.deleteCategory,
    'categories:restore': categories.restoreCategory,
    'categories:reorder': categories.reorderCategories,
    'calendar:list': calendar.listCalendarDays,
    'calendar:set': calendar.setCalendarDay,
    'calendar:remove': calendar.removeCalendarDay,
    'ruleSets:list': calendar.listRuleSets,
    'ruleSets:createVersion': calendar.createRuleSetVersion,
    'rounds:setRuleSet': calendar.setRoundRuleSet,

    // 巡视轮次、巡视组、被巡视单位、反馈
    'rounds:list': rounds.listRounds,
    'rounds:get': rounds.getRound,
    'rounds:create': rounds.createRound,
    'rounds:update': rounds.updateRound,
    'rounds:delete': rounds.deleteRound,
    'rounds:restore': rounds.restoreRound,
    'teams:list': rounds.listTeams,
    'teams:create': rounds.createTeam,
    'teams:update': rounds.updateTeam,
    'teams:delete': rounds.deleteTeam,
    'teams:restore': rounds.restoreTeam,
    'units:list': units.listUnits,
    'units:get': units.getUnit,
    'units:create': units.createUnit,
    'units:update': units.updateUnit,
    'units:delete': units.deleteUnit,
    'units:restore': units.restoreUnit,
    'units:setOverhaul': units.setOverhaul,
    'units:setLeader': units.setInitialLeader,
    'units:updateLeader': units.updateLeader,
    'units:handover': units.handoverLeader,
    'inspections:list': inspections.listInspections,
    'inspections:get': inspections.getInspection,
    'inspections:create': inspections.createInspection,
    'inspections:update': inspections.updateInspection,
    'inspections:delete': inspections.deleteInspection,
    'inspections:restore': inspections.restoreInspection,
    'feedback:list': inspections.listFeedback,
    'feedback:add': inspections.addFeedback,
    'feedback:update': inspections.updateFeedback,
    'feedback:delete': inspections.deleteFeedback,
    'feedback:restore': inspections.restoreFeedback,

    // 问题、任务、进展、佐证、销号、延期
    'problems:list': listProblems,
    'problems:count': countProblems,
    'tasks:list': listTasks,
    'tasks:count': countTasks,
    'problems:create': problems.createProblem,
    'problems:update': problems.updateProblem,
    'problems:delete': problems.deleteProblem,
    'problems:restore': problems.restoreProblem,
    'problems:get': problems.getProblem,
    'tasks:create': tasks.createTask,
    'tasks:update': tasks.updateTask,
    'tasks:start': tasks.startTask,
    'tasks:reopen': tasks.reopenTask,
    'tasks:drop': tasks.dropTask,
    'tasks:get': tasks.getTask,
    'tasks:setStageDone': tasks.setStageDone,
    'progress:add': progress.addProgress,
    'progress:list': progress.listProgress,
    'progress:remove': progress.removeProgress,
    'evidence:add': evidence.addEvidence,
    'evidence:list': evidence.listEvidence,
    'evidence:content': evidence.getEvidenceContent,
    'evidence:remove': evidence.removeEvidence,
    'closeout:submit': closeout.submitCloseout,
    'closeout:review': closeout.reviewCloseout,
    'extensions:request': extensions.requestExtension,
    'extensions:decide': extensions.decideExtension,

    // 问题线索、移交建议、信访、监督举措、报告、评估与问责
    'clues:list': clues.listClues,
    'clues:get': clues.getClue,
    'clues:create': clues.createClue,
    'clues:update': clues.updateClue,
    'clues:dispose': clues.disposeClue,
    'clues:reactivate': clues.reactivateClue,
    'clues:recordOutcome': clues.recordClueOutcome,
    'clues:recordInquiryReply': clues.recordInquiryReply,
    'clues:delete': clues.deleteClue,
    'clues:restore': clues.restoreClue,
    'clues:printed': clues.cluesPrinted,
    'suggestions:list': suggestions.listSuggestions,
    'suggestions:get': suggestions.getSuggestion,
    'suggestions:create': suggestions.createSuggestion,
    'suggestions:update': suggestions.updateSuggestion,
    'suggestions:reply': suggestions.recordSuggestionReply,
    'suggestions:delete': suggestions.deleteSuggestion,
    'suggestions:restore': suggestions.restoreSuggestion,
    'petitions:list': petitions.listPetitions,
    'petitions:get': petitions.getPetition,
    'petitions:create': petitions.createPetition,
    'petitions:update': petitions.updatePetition,
    'petitions:delete': petitions.deletePetition,
    'petitions:restore': petitions.restorePetition,
    'activities:list': activities.listActivities,
    'activities:get': activities.getActivity,
    'activities:create': activities.createActivity,
    'activities:update': activities.updateActivity,
    'activities:delete': activities.deleteActivity,
    'activities:restore': activities.restoreActivity,
    'programmes:list': programmes.listProgrammes,
    'programmes:get': programmes.getProgramme,
    'programmes:create': programmes.createProgramme,
    'programmes:update': programmes.updateProgramme,
    'programmes:updateStage': programmes.updateProgrammeStage,
    'programmes:addMeasure': programmes.addProgrammeMeasure,
    'programmes:updateMeasure': programmes.updateProgrammeMeasure,
    'programmes:deleteMeasure': programmes.deleteProgrammeMeasure,
    'programmes:markMeasureDone': programmes.markMeasureDone,
    'programmes:undoMeasureDone': programmes.undoMeasureDone,
    'programmes:delete': programmes.deleteProgramme,
    'programmes:restore': programmes.restoreProgramme,
    'reports:list': reports.listReports,
    'reports:get': reports.getReport,
    'reports:create': reports.createReport,
    'reports:update': reports.updateReport,
    'reports:delete': reports.deleteReport,
    'reports:restore': reports.restoreReport,
    // 报告文稿：进展情况报告、整改监督情况报告、整改情况公开 (db/reports/drafts.ts; .docx: writeDraftDocx)
    'reports:draft': buildDraft,
    'evaluations:list': evaluations.listEvaluations,
    'evaluations:get': evaluations.getEvaluation,
    'evaluations:create': evaluations.createEvaluation,
    'evaluations:update': evaluations.updateEvaluation,
    'evaluations:delete': evaluations.deleteEvaluation,
    'evaluations:restore': evaluations.restoreEvaluation,
    'escalations:list': escalations.listEscalations,
    'escalations:get': escalations.getEscalation,
    'escalations:ladder': escalations.getEscalationLadder,
    'escalations:issue': escalations.issueEscalation,
    'escalations:update': escalations.updateEscalation,
    'escalations:delete': escalations.deleteEscalation,
    'escalations:restore': escalations.restoreEscalation,
    'accountability:list': accountability.listAccountability,
    'accountability:get': accountability.getAccountability,
    'accountability:create': accountability.createAccountability,
    'accountability:update': accountability.updateAccountability,
    'accountability:delete': accountability.deleteAccountability,
    'accountability:restore': accountability.restoreAccountability,

    // 时限、汇总分析、虚假整改预警、审计
    'clocks:inspection': defineCall({ permission: 'ledger.read', arg: clockArg('inspectionId', '巡视对象') }, (ctx, a) => inspectionClocks(ctx, a.inspectionId, day(a))),
    'clocks:round': defineCall({ permission: 'ledger.read', arg: clockArg('roundId', '巡视轮次') }, (ctx, a) => roundClocks(ctx, a.roundId, day(a))),
    'clocks:task': defineCall({ permission: 'ledger.read', arg: clockArg('taskId', '整改任务') }, (ctx, a) => taskLight(ctx, a.taskId, day(a))),
    // The clue clock checks its own right (the clue's visibility decides NOT_FOUND or FORBIDDEN).
    'clocks:clue': defineCall({ arg: clockArg('clueId', '问题线索') }, (ctx, a) => clueClocks(ctx, a.clueId, day(a))),
    'clocks:roundClues': defineCall({ permission: 'clue.read', arg: clockArg('roundId', '巡视轮次') }, (ctx, a) => roundClueClocks(ctx, a.roundId, day(a))),
    'analysis:summary': summarize,
    'analysis:overview': aggregateOverview,
    'analysis:cluesByDisposition': cluesByDisposition,
    'analysis:accountabilityByForm': accountabilityByForm,
    'analysis:moneyRecovered': moneyRecovered,
    'analysis:suggestionsAnswered': suggestionsAnswered,
    'analysis:evaluationsByGrade': evaluationsByGrade,
    'analysis:redFlags': listRedFlags,
    'audit:history': history,
    'audit:recent': recentActivity,
    'history:exportCsv': exportHistoryCsv,

    // 归档与清理（已完成的巡视轮次）
    'archive:readiness': archive.readiness,
    'archive:create': archive.archiveRound,
    'archive:purge': archive.purgeRound,
    'archive:restore': archive.restoreArchive,
    'archive:list': archive.listArchives,

    // 清单：已保存的筛选、责任清单分组、批量操作
    'savedFilters:list': savedFilters.listSavedFilters,
    'savedFilters:save': savedFilters.saveFilter,
    'savedFilters:rename': savedFilters.renameFilter,
    'savedFilters:delete': savedFilters.deleteFilter,
    'tasks:dutyGroups': listDutyGroups,
    'tasks:bulkAssignDepartment': bulk.bulkAssignDepartment,
    'tasks:bulkSetDeadline': bulk.bulkSetDeadline,

    // 法定台账打印：巡视整改台账、整改监督台账、单位整改情况汇总表、问题线索处置台账（确认后打印，记入审计）
    'ledgers:rectification': printed.printRectification,
    'ledgers:supervision': printed.printSupervision,
    'ledgers:summary': printed.printSummary,
    'ledgers:clues': printed.printClues,
  };
}

export type HandlerMap = ReturnType<typeof makeHandlers>;
