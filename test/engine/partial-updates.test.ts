import { afterEach, describe, expect, it } from 'vitest';
import { getRow, type SyncTable } from '../../db/core/write.js';
import {
  accountabilityRecords, escalationNotices, evaluations, feedbacks, inspections, offices, petitions, problemCategories,
  problems, programmeMeasures, programmeStages, reports, rounds, savedFilters, suggestions, supervisionActivities,
  supervisionProgrammes, tasks, teams, unitLeaders, units, users, clues,
} from '../../db/schema/index.js';
import { createAccountability, getAccountability, updateAccountability } from '../../db/services/accountability.js';
import { createActivity, getActivity, updateActivity } from '../../db/services/activities.js';
import { createCategory, deactivateCategory, renameCategory } from '../../db/services/categories.js';
import { createClue, updateClue } from '../../db/services/clues.js';
import { issueEscalation, updateEscalation } from '../../db/services/escalations.js';
import { createEvaluation, updateEvaluation } from '../../db/services/evaluations.js';
import { addFeedback, createInspection, updateFeedback, updateInspection } from '../../db/services/inspections.js';
import { createUser, updateOffice, updateUser } from '../../db/services/office.js';
import { createPetition, updatePetition } from '../../db/services/petitions.js';
import { createProblem, updateProblem } from '../../db/services/problems.js';
import {
  createProgramme, markMeasureDone, updateProgramme, updateProgrammeMeasure, updateProgrammeStage,
} from '../../db/services/programmes.js';
import { createReport, updateReport } from '../../db/services/reports.js';
import { createRound, createTeam, updateRound, updateTeam } from '../../db/services/rounds.js';
import { renameFilter, saveFilter } from '../../db/services/saved-filters.js';
import { getSettings, updateSettings } from '../../db/services/settings.js';
import { createSuggestion, updateSuggestion } from '../../db/services/suggestions.js';
import { createTask, updateTask } from '../../db/services/tasks.js';
import { createUnit, handoverLeader, setInitialLeader, setOverhaul, updateLeader, updateUnit } from '../../db/services/units.js';
import { ruleSetId } from '../helpers/fixtures.js';
import { auditCount } from '../helpers/expect.js';
import { PASSWORD } from '../helpers/ledger.js';
import { makeWorld, type Ctx, type World } from './supervision-world.js';

/**
 * Partial updates: a key left out of an update keeps the record's value. Each update call gets a
 * record with every field it can change filled in (text, dates, ids, flags set to true, link lists
 * not empty), then (a) is called with only the record (and any key the call requires) and must
 * leave every stored field as it was, writing nothing; (b) is called with one field changed and
 * must leave every other stored field as it was. A patch field declared with a bare optional
 * builder (f.optText, f.bool, f.list…) instead of f.patch(…) turns an absent key into null, false
 * or [] and fails (a).
 */

let w: World;
afterEach(() => w?.t.close());

type AnyCall = ((ctx: Ctx, raw?: unknown) => unknown) & { readonly arg: unknown };
type State = Record<string, unknown>;

interface Subject {
  /** What is stored for the record, as a clerk would see it: its row, and its links where it has some. */
  read(): State;
  /** The argument naming the record, with any key the call requires (unchanged). */
  key: Record<string, unknown>;
  /** One field given a new value. */
  change: Record<string, unknown>;
}

interface Case {
  channel: string;
  call: AnyCall;
  /** The acting user. */
  as(w: World): Ctx;
  /** Every field the call may change, each filled in by `make`. */
  fields: string[];
  /** Declared keys that are not stored fields as such (the record's key, a reason, a password). */
  notStored: string[];
  make(w: World, ctx: Ctx): Subject;
}

/** Sync bookkeeping that any write changes. */
const META = ['updatedAt', 'updatedBy', 'version', 'hlc', 'fieldClocks'];
const withoutMeta = (s: State): State => Object.fromEntries(Object.entries(s).filter(([k]) => !META.includes(k)));

function row<T extends SyncTable>(w: World, table: T, id: string): State {
  const r = getRow(w.fx, table, id);
  if (!r) throw new Error(`no row ${id}`);
  return { ...(r as State) };
}

type Node = { entries?: Record<string, unknown>; wrapped?: Node; pipe?: Node[] };

/** The keys a call's argument object declares (through optional wrappers and pipes). */
function declaredKeys(call: AnyCall): string[] {
  let s = call.arg as Node;
  for (let k = 0; k < 5 && !s.entries; k++) s = s.wrapped ?? s.pipe?.find((p) => p.entries) ?? s;
  return Object.keys(s.entries ?? {}).sort();
}

/** Filled: not null, not an empty list, and a flag set (its "empty" value is false). */
const isFilled = (x: unknown) => x !== null && x !== undefined && x !== false && !(Array.isArray(x) && x.length === 0);

const ctxOf = {
  sup: (w: World) => w.sup,
  admin: (w: World) => w.t.as(w.t.users.admin),
};

const CASES: Case[] = [
  {
    channel: 'tasks:update',
    call: updateTask,
    as: ctxOf.sup,
    fields: [
      'measures', 'term', 'deadline', 'responsibleLeader', 'responsibleDepartment', 'responsiblePerson', 'remark',
      'notForDisclosure', 'notForDisclosureReason',
    ],
    notStored: ['id', 'reason'],
    make(w, ctx) {
      const p = createProblem(ctx, { inspectionId: w.inspection.id, categoryId: w.problem.categoryId, description: '公务用车管理不规范。' });
      const t = createTask(ctx, {
        problemId: p.id, measures: '修订公务用车管理办法，开展专项清理。', term: 'long_term', deadline: '2024-12-31',
        responsibleLeader: '陈某某', responsibleDepartment: '办公室', responsiblePerson: '刘某', remark: '与审计整改一并推进。',
        stages: [{ goal: '完成清理', dueDate: '2024-09-30' }],
      });
      updateTask(ctx, { id: t.id, notForDisclosure: true, notForDisclosureReason: '涉及国家秘密。' });
      return { read: () => row(w, tasks, t.id), key: { id: t.id }, change: { remark: '已纳入年度督查。' } };
    },
  },
  {
    channel: 'problems:update',
    call: updateProblem,
    as: ctxOf.sup,
    fields: ['isKey', 'leadLeader', 'notForDisclosure', 'notForDisclosureReason', 'description', 'categoryId', 'source', 'remark'],
    notStored: ['id'],
    make(w, ctx) {
      const p = createProblem(ctx, {
        inspectionId: w.inspection.id, feedbackId: w.feedback.id, categoryId: w.problem.categoryId,
        description: '违规发放津补贴问题仍有发生。', source: 'petition', remark: '信访反映。', reboundOfId: w.problem.id,
        isKey: true, leadLeader: '王某某', notForDisclosure: true, notForDisclosureReason: '涉及正在查办的案件。',
      });
      return { read: () => row(w, problems, p.id), key: { id: p.id }, change: { description: '违规发放津补贴问题屡查屡犯。' } };
    },
  },
  {
    channel: 'rounds:update',
    call: updateRound,
    as: ctxOf.sup,
    fields: ['name', 'level', 'form', 'kind', 'mobilisedOn', 'enteredOn', 'feedbackOn', 'ruleSetId'],
    notStored: ['id'],
    make(w, ctx) {
      const r = createRound(ctx, {
        name: '某市委第三轮巡察', level: 'city', form: 'xunshi', kind: 'special',
        mobilisedOn: '2024-03-01', enteredOn: '2024-03-05', feedbackOn: '2024-05-20', ruleSetId: ruleSetId(w.fx),
      });
      return { read: () => row(w, rounds, r.id), key: { id: r.id }, change: { name: '某市委第三轮专项巡察' } };
    },
  },
  {
    channel: 'teams:update',
    call: updateTeam,
    as: ctxOf.sup,
    fields: ['number', 'name', 'leaderName'],
    notStored: ['id'],
    make(w, ctx) {
      const t = createTeam(ctx, { roundId: w.round.id, number: 2, name: '第二巡视组（专项）', leaderName: '吴某' });
      return { read: () => row(w, teams, t.id), key: { id: t.id }, change: { number: 3 } };
    },
  },
  {
    channel: 'units:update',
    call: updateUnit,
    as: ctxOf.sup,
    fields: ['name', 'sector', 'parentUnitId'],
    notStored: ['id'],
    make(w, ctx) {
      const u = createUnit(ctx, { name: '某某银行某分行', sector: 'central_finance', parentUnitId: w.unit2.id });
      setOverhaul(ctx, { unitId: u.id, underOverhaul: true, note: '班子软弱涣散，列为整顿单位。' });
      return { read: () => row(w, units, u.id), key: { id: u.id }, change: { name: '某某银行某省分行' } };
    },
  },
  {
    channel: 'units:updateLeader',
    call: updateLeader,
    as: ctxOf.sup,
    fields: ['name', 'post'],
    notStored: ['id'],
    make(w, ctx) {
      const first = setInitialLeader(ctx, { unitId: w.unit.id, name: '郑某某', post: '党委书记、董事长', fromDate: '2022-01-10' });
      // Handed over: the first leader's term has an end date, which a correction must keep.
      handoverLeader(ctx, { unitId: w.unit.id, toName: '冯某', toPost: '党委书记、董事长', date: '2024-03-01', notes: '交接整改台账。' });
      return { read: () => row(w, unitLeaders, first.id), key: { id: first.id }, change: { post: '党委书记' } };
    },
  },
  {
    channel: 'inspections:update',
    call: updateInspection,
    as: ctxOf.sup,
    fields: ['teamId'],
    notStored: ['id'],
    make(w, ctx) {
      const team = createTeam(ctx, { roundId: w.round2.id, number: 1 });
      const other = createTeam(ctx, { roundId: w.round2.id, number: 2 });
      const i = createInspection(ctx, { roundId: w.round2.id, unitId: w.unit.id, teamId: team.id });
      return { read: () => row(w, inspections, i.id), key: { id: i.id }, change: { teamId: other.id } };
    },
  },
  {
    channel: 'feedback:update',
    call: updateFeedback,
    as: ctxOf.sup,
    fields: ['kind', 'feedbackDate', 'docNumber', 'body'],
    notStored: ['id'],
    make(w, ctx) {
      const fb = addFeedback(ctx, {
        inspectionId: w.inspection.id, kind: 'one_to_one', feedbackDate: '2024-02-02', docNumber: '某巡反〔2024〕2号',
        body: '向主要负责人一对一反馈的意见。',
      });
      return { read: () => row(w, feedbacks, fb.id), key: { id: fb.id }, change: { body: '向主要负责人一对一反馈的意见（修订）。' } };
    },
  },
  {
    channel: 'clues:update',
    call: updateClue,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'subjectName', 'subjectPost', 'summary', 'receivedOn', 'receivingOrgan'],
    notStored: ['id'],
    make(w, ctx) {
      const c = createClue(ctx, {
        roundId: w.round.id, unitId: w.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
        summary: '反映其在工程招标中为亲属企业谋利。', receivedOn: '2024-02-10', receivingOrgan: 'org_dept',
      });
      return { read: () => row(w, clues, c.id), key: { id: c.id }, change: { summary: '反映其在工程招标和物资采购中为亲属企业谋利。' } };
    },
  },
  {
    channel: 'suggestions:update',
    call: updateSuggestion,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'department', 'content', 'issuedOn', 'reply', 'repliedOn', 'status'],
    notStored: ['id'],
    make(w, ctx) {
      const s = createSuggestion(ctx, {
        roundId: w.round.id, unitId: w.unit.id, department: '某省国资委', content: '建议加强对国有企业工程招投标的监管。',
        issuedOn: '2024-02-15', reply: '已建立长效机制。', repliedOn: '2024-03-20', status: 'adopted',
      });
      return { read: () => row(w, suggestions, s.id), key: { id: s.id }, change: { content: '建议加强对国有企业招投标和采购的监管。' } };
    },
  },
  {
    channel: 'petitions:update',
    call: updatePetition,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'receivedOn', 'summary', 'handedTo', 'handedOn', 'result', 'status'],
    notStored: ['id'],
    make(w, ctx) {
      const p = createPetition(ctx, {
        roundId: w.round.id, unitId: w.unit.id, receivedOn: '2024-01-10', summary: '反映某某公司违规发放津补贴。',
        handedTo: '某市纪委监委', handedOn: '2024-01-20', result: '经核查，已责令退还。', status: 'concluded',
      });
      return { read: () => row(w, petitions, p.id), key: { id: p.id }, change: { summary: '反映某某公司违规发放津补贴和福利。' } };
    },
  },
  {
    channel: 'activities:update',
    call: updateActivity,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'kind', 'activityDate', 'title', 'participants', 'findings', 'problemIds'],
    notStored: ['id'],
    make(w, ctx) {
      const a = createActivity(ctx, {
        roundId: w.round.id, unitId: w.unit.id, kind: 'dlm_attendance', activityDate: '2024-03-15',
        title: '列席某某集团有限公司巡视整改专题民主生活会', participants: '赵某某、孙某某', findings: '批评和自我批评不够深入。',
        problemIds: [w.problem.id, w.problem2.id],
      });
      return {
        read: () => ({ ...row(w, supervisionActivities, a.id), problemIds: getActivity(ctx, { id: a.id }).problemIds }),
        key: { id: a.id },
        change: { title: '列席某某集团有限公司巡视整改专题民主生活会（第二次）' },
      };
    },
  },
  {
    channel: 'programmes:update',
    call: updateProgramme,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'name', 'startOn', 'endOn'],
    notStored: ['id'],
    make(w, ctx) {
      const p = createProgramme(ctx, {
        roundId: w.round.id, unitId: w.unit.id, name: '某某集团有限公司巡视整改监督工作方案', startOn: '2024-02-01', endOn: '2024-07-31',
        stages: [{ name: '学习部署', startOn: '2024-02-01', endOn: '2024-02-29', measures: [{ content: '召开部署会。', owner: '第一监督检查室' }] }],
      });
      return { read: () => row(w, supervisionProgrammes, p.id), key: { id: p.id }, change: { name: '某某集团有限公司巡视整改监督工作方案（修订）' } };
    },
  },
  {
    channel: 'programmes:updateStage',
    call: updateProgrammeStage,
    as: ctxOf.sup,
    fields: ['name', 'startOn', 'endOn'],
    notStored: ['stageId'],
    make(w, ctx) {
      const p = createProgramme(ctx, {
        name: '整改监督工作方案', startOn: '2024-02-01', endOn: '2024-07-31',
        stages: [
          { name: '学习部署', startOn: '2024-02-01', endOn: '2024-02-29' },
          { name: '集中整改落实', startOn: '2024-03-01', endOn: '2024-05-31' },
        ],
      });
      const s = p.stages[1]!;
      return { read: () => row(w, programmeStages, s.id), key: { stageId: s.id }, change: { name: '集中整改' } };
    },
  },
  {
    channel: 'programmes:updateMeasure',
    call: updateProgrammeMeasure,
    as: ctxOf.sup,
    fields: ['content', 'owner'],
    notStored: ['measureId'],
    make(w, ctx) {
      const p = createProgramme(ctx, {
        name: '整改监督工作方案', startOn: '2024-02-01', endOn: '2024-07-31',
        stages: [{ name: '学习部署', startOn: '2024-02-01', endOn: '2024-02-29', measures: [{ content: '召开部署会。', owner: '第一监督检查室' }] }],
      });
      const m = p.stages[0]!.measures[0]!;
      markMeasureDone(ctx, { measureId: m.id, doneOn: '2024-02-20' });
      return { read: () => row(w, programmeMeasures, m.id), key: { measureId: m.id }, change: { content: '召开整改监督工作部署会。' } };
    },
  },
  {
    channel: 'reports:update',
    call: updateReport,
    as: ctxOf.sup,
    fields: ['kind', 'inspectionId', 'title', 'docNumber', 'reportDate', 'receivedOn', 'body'],
    notStored: ['id'],
    make(w, ctx) {
      const r = createReport(ctx, {
        inspectionId: w.inspection.id, kind: 'review_opinion', title: '关于某某集团有限公司整改方案的审核意见',
        docNumber: '某纪审〔2024〕3号', reportDate: '2024-04-01', receivedOn: '2024-04-03', body: '整改方案总体可行。',
      });
      return { read: () => row(w, reports, r.id), key: { id: r.id }, change: { title: '关于某某集团有限公司巡视整改方案的审核意见' } };
    },
  },
  {
    channel: 'evaluations:update',
    call: updateEvaluation,
    as: ctxOf.sup,
    fields: ['inspectionId', 'targetType', 'targetId', 'grade', 'score', 'findings', 'evaluatedOn', 'isLookback'],
    notStored: ['id'],
    make(w, ctx) {
      const e = createEvaluation(ctx, {
        inspectionId: w.inspection.id, targetType: 'unit', targetId: w.unit.id, grade: 'fairly_good', score: 86.5,
        findings: '整改总体到位，个别问题整改成效有待巩固。', evaluatedOn: '2024-06-15', isLookback: true,
      });
      return { read: () => row(w, evaluations, e.id), key: { id: e.id }, change: { findings: '整改总体到位。' } };
    },
  },
  {
    channel: 'escalations:update',
    call: updateEscalation,
    as: ctxOf.sup,
    fields: ['level', 'targetType', 'targetId', 'unitId', 'issuedOn', 'docNumber', 'reason'],
    notStored: ['id'],
    make(w, ctx) {
      const n = issueEscalation(ctx, {
        targetType: 'task', targetId: w.task.id, unitId: w.unit.id, level: 'notice', issuedOn: '2024-05-01',
        docNumber: '某督〔2024〕5号', reason: '整改进度滞后。',
      });
      return { read: () => row(w, escalationNotices, n.id), key: { id: n.id }, change: { reason: '整改进度明显滞后。' } };
    },
  },
  {
    channel: 'accountability:update',
    call: updateAccountability,
    as: ctxOf.sup,
    fields: ['roundId', 'unitId', 'personName', 'post', 'reason', 'form', 'decidedOn', 'note', 'problemIds', 'taskIds'],
    notStored: ['id'],
    make(w, ctx) {
      const a = createAccountability(ctx, {
        roundId: w.round.id, unitId: w.unit.id, personName: '李某', post: '某某集团有限公司财务部部长',
        reason: 'fake', form: 'circular', decidedOn: '2024-07-01', note: '虚假整改。',
        problemIds: [w.problem.id, w.problem2.id], taskIds: [w.task.id],
      });
      const links = () => {
        const d = getAccountability(ctx, { id: a.id });
        return { problemIds: d.problemIds, taskIds: d.taskIds };
      };
      return {
        read: () => ({ ...row(w, accountabilityRecords, a.id), ...links() }),
        key: { id: a.id },
        change: { post: '某某集团有限公司原财务部部长' },
      };
    },
  },
  {
    channel: 'users:update',
    call: updateUser,
    as: ctxOf.admin,
    fields: ['displayName', 'role', 'active', 'canExchange'],
    // The password is stored as passwordHash, which the whole-row comparison covers; the clue
    // right is accepted only unchanged (it takes two people: rights:grantClue / rights:confirmClue).
    notStored: ['id', 'password', 'adminPassword', 'canViewClues'],
    make(w, ctx) {
      const u = createUser(ctx, { username: 'shenhe9', displayName: '何某', role: 'reviewer', canExchange: true, password: PASSWORD });
      return { read: () => row(w, users, u.id), key: { id: u.id }, change: { displayName: '何某某' } };
    },
  },
  {
    channel: 'office:update',
    call: updateOffice,
    as: ctxOf.admin,
    fields: ['name'],
    notStored: [],
    make(w) {
      const id = w.t.ledger.state.officeId!;
      const name = getRow(w.fx, offices, id)!.name;
      return { read: () => row(w, offices, id), key: { name }, change: { name: '某省纪委监委第四监督检查室' } };
    },
  },
  {
    channel: 'settings:update',
    call: updateSettings,
    as: ctxOf.admin,
    fields: ['closeoutMinEvidence', 'warnDaysDefault', 'disclosureRequiresFlagReason', 'passwordMinLength', 'passwordNeedsClasses', 'idleLockMinutes'],
    notStored: [],
    make(w, ctx) {
      updateSettings(ctx, { closeoutMinEvidence: 3, warnDaysDefault: 10, disclosureRequiresFlagReason: false });
      updateSettings(ctx, { disclosureRequiresFlagReason: true });
      return { read: () => ({ ...getSettings(ctx) }), key: {}, change: { warnDaysDefault: 14 } };
    },
  },
  {
    channel: 'categories:rename',
    call: renameCategory,
    as: ctxOf.admin,
    fields: ['name'],
    notStored: ['id'],
    make(w, ctx) {
      const top = createCategory(ctx, { name: '作风建设' });
      const c = createCategory(ctx, { name: '公车私用', parentId: top.id });
      // Deactivated: a rename must not bring it back into use.
      deactivateCategory(ctx, { id: c.id });
      return { read: () => row(w, problemCategories, c.id), key: { id: c.id, name: '公车私用' }, change: { name: '公车私用和违规配车' } };
    },
  },
  {
    channel: 'savedFilters:rename',
    call: renameFilter,
    as: ctxOf.sup,
    fields: ['name'],
    notStored: ['id'],
    make(w, ctx) {
      const f = saveFilter(ctx, { list: 'tasks', name: '逾期任务', filter: { overdue: true, responsibleDepartment: '办公室' } });
      return { read: () => row(w, savedFilters, f.id), key: { id: f.id, name: '逾期任务' }, change: { name: '办公室的逾期任务' } };
    },
  },
];

describe.each(CASES)('$channel', (c) => {
  it('has every field it can change filled in the record under test', () => {
    w = makeWorld();
    const s = c.make(w, c.as(w));
    expect(declaredKeys(c.call)).toEqual([...c.fields, ...c.notStored].sort());
    const before = s.read();
    const empty = c.fields.filter((k) => !isFilled(before[k]));
    expect(empty, 'fields left empty in the fixture').toEqual([]);
  });

  it('keeps every stored field and writes nothing when given only the record', () => {
    w = makeWorld();
    const ctx = c.as(w);
    const s = c.make(w, ctx);
    const before = s.read();
    const audit = auditCount(w.t);
    c.call(ctx, { ...s.key });
    expect(s.read()).toEqual(before);
    expect(auditCount(w.t)).toBe(audit);
  });

  it('changes only the field it is given and keeps every other stored field', () => {
    w = makeWorld();
    const ctx = c.as(w);
    const s = c.make(w, ctx);
    const before = s.read();
    for (const [k, x] of Object.entries(s.change)) expect(before[k], `${k} already has the new value`).not.toEqual(x);
    c.call(ctx, { ...s.key, ...s.change });
    expect(withoutMeta(s.read())).toEqual({ ...withoutMeta(before), ...s.change });
  });
});
