import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { INSPECTION_FORMS, LEVELS, ROUND_KINDS, type Level } from '../domain/enums.js';
import { conflict, invalid } from '../domain/errors.js';
import { clockRuleSets, rounds, teams } from '../schema/index.js';
import { defineCall } from '../core/call.js';
import { count, defineLifecycle } from '../core/lifecycle.js';
import * as f from '../domain/fields.js';
import { getRow, insertRow, requireRow, updateRow, type Row } from '../core/write.js';
import { conflictedSql } from '../queries/conflicted.js';

/**
 * 巡视轮次 and 巡视组, recorded by the inspection office. A round picks the statutory-clock rule
 * set in force for it (rules are versioned data, DOMAIN.md "Statutory clocks").
 */

export type Round = Row<typeof rounds>;
export type Team = Row<typeof teams>;

export interface RoundView {
  id: string;
  name: string;
  level: Level;
  form: Round['form'];
  kind: Round['kind'];
  mobilisedOn: string | null;
  enteredOn: string | null;
  feedbackOn: string | null;
  ruleSetId: string;
  ruleSetCode: string;
  ruleSetName: string;
  ruleSetVersion: number;
  teamCount: number;
  unitCount: number;
  deletedAt: string | null;
  deletedReason: string | null;
  /** 冲突: a field of the round or of one of its teams is in conflict after an exchange import. */
  conflicted: boolean;
}

export interface TeamView {
  id: string;
  roundId: string;
  number: number;
  name: string;
  leaderName: string | null;
  unitCount: number;
  deletedAt: string | null;
  deletedReason: string | null;
}

/** The rule set a new round gets when none is chosen: the newest version of the 2022 opinion. */
export const DEFAULT_RULE_SET_CODE = 'CPC-2022';

const ROUND_SQL = `SELECT r.id, r.name, r.level, r.form, r.kind,
  r.mobilised_on AS mobilisedOn, r.entered_on AS enteredOn, r.feedback_on AS feedbackOn,
  r.rule_set_id AS ruleSetId, rs.code AS ruleSetCode, rs.name AS ruleSetName, rs.rule_version AS ruleSetVersion,
  (SELECT count(*) FROM teams t WHERE t.round_id = r.id AND t.deleted_at IS NULL) AS teamCount,
  (SELECT count(*) FROM inspections i WHERE i.round_id = r.id AND i.deleted_at IS NULL) AS unitCount,
  r.deleted_at AS deletedAt, r.deleted_reason AS deletedReason, ${conflictedSql('rounds', 'r.id')} AS conflicted
FROM rounds r JOIN clock_rule_sets rs ON rs.id = r.rule_set_id`;

// Rounds without any date yet are being planned: they count as the newest.
const LIST_ROUNDS_SQL = `${ROUND_SQL} WHERE (r.deleted_at IS NULL OR ? = 1)
ORDER BY coalesce(r.mobilised_on, r.entered_on, r.feedback_on) DESC NULLS FIRST, r.id DESC`;
const ONE_ROUND_SQL = `${ROUND_SQL} WHERE r.id = ?`;

const TEAM_SQL = `SELECT t.id, t.round_id AS roundId, t.number, t.name, t.leader_name AS leaderName,
  (SELECT count(*) FROM inspections i WHERE i.team_id = t.id AND i.deleted_at IS NULL) AS unitCount,
  t.deleted_at AS deletedAt, t.deleted_reason AS deletedReason
FROM teams t`;
const LIST_TEAMS_SQL = `${TEAM_SQL} WHERE t.round_id = ? AND (t.deleted_at IS NULL OR ? = 1) ORDER BY t.number, t.id`;
const ONE_TEAM_SQL = `${TEAM_SQL} WHERE t.id = ?`;

type RawRound = Omit<RoundView, 'conflicted'> & { conflicted: number };
const toRoundView = (r: RawRound): RoundView => ({ ...r, conflicted: r.conflicted === 1 });

function roundView(ctx: ServiceContext, id: string): RoundView {
  return toRoundView(ctx.ledger.prepare(ONE_ROUND_SQL).get(id) as RawRound);
}

function teamView(ctx: ServiceContext, id: string): TeamView {
  return ctx.ledger.prepare(ONE_TEAM_SQL).get(id) as TeamView;
}

const includeDeleted = f.bool('包含已删除的记录');
const roundIdArg = f.args({ id: f.id('巡视轮次') });
const roundName = f.text('轮次名称', f.LEN.short);
const levelField = f.oneOf(LEVELS.codes, '层级');
const formField = f.oneOf(INSPECTION_FORMS.codes, '巡视或巡察');
const kindField = f.oneOf(ROUND_KINDS.codes, '巡视类型');
const roundDates = {
  mobilisedOn: f.optDate('动员部署日期'),
  enteredOn: f.optDate('进驻日期'),
  feedbackOn: f.optDate('反馈日期'),
};
const teamNumber = f.int('组号', 1, 999);
const leaderNameField = f.optText('组长', f.LEN.name);

// ---------------------------------------------------------------------------------------------
// Rounds

interface RoundDates {
  mobilisedOn: string | null;
  enteredOn: string | null;
  feedbackOn: string | null;
}

/** 动员部署 ≤ 进驻 ≤ 反馈, for the dates that are known. The later date of a bad pair is named. */
function checkRoundDates(d: RoundDates): void {
  if (d.mobilisedOn && d.enteredOn && d.enteredOn < d.mobilisedOn) {
    throw invalid('enteredOn', '进驻日期不能早于动员部署日期。', 'date_order');
  }
  const before = d.enteredOn ?? d.mobilisedOn;
  if (before && d.feedbackOn && d.feedbackOn < before) {
    throw invalid('feedbackOn', d.enteredOn ? '反馈日期不能早于进驻日期。' : '反馈日期不能早于动员部署日期。', 'date_order');
  }
}

function defaultRuleSetId(ctx: ServiceContext): string {
  const r = ctx.ledger
    .prepare('SELECT id FROM clock_rule_sets WHERE code = ? AND deleted_at IS NULL ORDER BY rule_version DESC LIMIT 1')
    .get(DEFAULT_RULE_SET_CODE) as { id: string } | undefined;
  if (!r) throw invalid('ruleSetId', '请选择适用的时限规则。', 'required');
  return r.id;
}

function checkRuleSet(ctx: ServiceContext, id: string): string {
  requireRow(ctx, clockRuleSets, id, '时限规则', 'ruleSetId');
  return id;
}

/** 巡视 at central/provincial level, 巡察 at city/county level: the usual form for a level. */
function formFor(level: Level): Round['form'] {
  return level === 'central' || level === 'province' ? 'xunshi' : 'xuncha';
}

export const listRounds = defineCall({
  permission: 'ledger.read',
  arg: f.v.optional(f.args({ includeDeleted }), {}),
}, (ctx, i): RoundView[] => (ctx.ledger.prepare(LIST_ROUNDS_SQL).all(i.includeDeleted ? 1 : 0) as RawRound[]).map(toRoundView));

export const getRound = defineCall({ permission: 'ledger.read', arg: roundIdArg }, (ctx, i): RoundView => {
  const r = requireRow(ctx, rounds, i.id, '巡视轮次');
  return roundView(ctx, r.id);
});

/** Without a form, the usual one for the level; without a kind, 常规巡视; without a rule set, the default. */
export const createRound = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    name: roundName,
    level: levelField,
    form: f.optOneOf(INSPECTION_FORMS.codes, '巡视或巡察'),
    kind: f.v.nullish(kindField, 'regular'),
    ...roundDates,
    ruleSetId: f.optId('时限规则'),
  }),
}, (ctx, i): RoundView => {
  const { name, level, kind, mobilisedOn, enteredOn, feedbackOn } = i;
  const form = i.form ?? formFor(level);
  const dates: RoundDates = { mobilisedOn, enteredOn, feedbackOn };
  checkRoundDates(dates);
  const ruleSetId = i.ruleSetId ? checkRuleSet(ctx, i.ruleSetId) : defaultRuleSetId(ctx);
  return inTransaction(ctx, () => {
    const r = insertRow(ctx, rounds, { name, level, form, kind, ...dates, ruleSetId });
    return roundView(ctx, r.id);
  });
});

export const updateRound = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    id: f.id('巡视轮次'),
    name: f.patch(roundName),
    level: f.patch(levelField),
    form: f.patch(formField),
    kind: f.patch(kindField),
    mobilisedOn: f.patch(roundDates.mobilisedOn),
    enteredOn: f.patch(roundDates.enteredOn),
    feedbackOn: f.patch(roundDates.feedbackOn),
    ruleSetId: f.patch(f.id('时限规则')),
  }),
}, (ctx, i): RoundView => {
  const cur = requireRow(ctx, rounds, i.id, '巡视轮次');
  const patch: Partial<Round> = {};
  if (i.name !== undefined) patch.name = i.name;
  if (i.level !== undefined) patch.level = i.level;
  if (i.form !== undefined) patch.form = i.form;
  if (i.kind !== undefined) patch.kind = i.kind;
  if (i.mobilisedOn !== undefined) patch.mobilisedOn = i.mobilisedOn;
  if (i.enteredOn !== undefined) patch.enteredOn = i.enteredOn;
  if (i.feedbackOn !== undefined) patch.feedbackOn = i.feedbackOn;
  if (i.ruleSetId !== undefined) patch.ruleSetId = checkRuleSet(ctx, i.ruleSetId);
  const next = { ...cur, ...patch };
  checkRoundDates(next);
  if (patch.enteredOn && patch.enteredOn !== cur.enteredOn) {
    // Feedback cannot precede entry (see inspections.ts): moving entry past recorded feedback would break that.
    const r = ctx.ledger.prepare(`SELECT min(f.feedback_date) AS d FROM feedbacks f JOIN inspections i ON i.id = f.inspection_id
      WHERE i.round_id = ? AND i.deleted_at IS NULL AND f.deleted_at IS NULL`).get(cur.id) as { d: string | null };
    if (r.d && r.d < patch.enteredOn) {
      throw invalid('enteredOn', `进驻日期不能晚于本轮已登记的反馈日期（${r.d}）。`, 'after_feedback');
    }
  }
  return inTransaction(ctx, () => {
    updateRow(ctx, rounds, cur, patch);
    return roundView(ctx, cur.id);
  });
});

/** A round holding live problems or inspected units is in use: remove those first. */
export const { remove: deleteRound, restore: restoreRound } = defineLifecycle({
  table: rounds,
  label: '巡视轮次',
  permission: 'ledger.write',
  beforeDelete(ctx, cur) {
    const problemCount = count(ctx, 'SELECT count(*) AS n FROM problems WHERE round_id = ? AND deleted_at IS NULL', cur.id);
    if (problemCount > 0) throw conflict(`该轮次下还有${problemCount}个问题，不能删除。`, 'in_use');
    const inspectionCount = count(ctx, 'SELECT count(*) AS n FROM inspections WHERE round_id = ? AND deleted_at IS NULL', cur.id);
    if (inspectionCount > 0) throw conflict(`该轮次下还有${inspectionCount}个被巡视单位，请先移除。`, 'in_use');
  },
  view: (ctx, row) => roundView(ctx, row.id),
});

// ---------------------------------------------------------------------------------------------
// Teams

/** 第N巡视组 (or 巡察组 in a 巡察 round): the name teams are usually given. */
function defaultTeamName(round: Round, n: number): string {
  return `第${n}${round.form === 'xuncha' ? '巡察组' : '巡视组'}`;
}

function checkTeamNumberFree(ctx: ServiceContext, roundId: string, n: number, exceptId: string | null): void {
  const clash = count(
    ctx,
    'SELECT count(*) AS n FROM teams WHERE round_id = ? AND number = ? AND deleted_at IS NULL AND id IS NOT ?',
    roundId, n, exceptId,
  );
  if (clash > 0) throw invalid('number', `本轮次已有第${n}组。`, 'duplicate');
}

export const listTeams = defineCall({
  permission: 'ledger.read',
  arg: f.args({ roundId: f.id('巡视轮次'), includeDeleted }),
}, (ctx, i): TeamView[] => {
  const round = requireRow(ctx, rounds, i.roundId, '巡视轮次', 'roundId');
  return ctx.ledger.prepare(LIST_TEAMS_SQL).all(round.id, i.includeDeleted ? 1 : 0) as TeamView[];
});

/** Without a name, the team is called 第N巡视组 (巡察组). */
export const createTeam = defineCall({
  permission: 'ledger.write',
  arg: f.args({ roundId: f.id('巡视轮次'), number: teamNumber, name: f.optText('巡视组名称', f.LEN.name), leaderName: leaderNameField }),
}, (ctx, i): TeamView => {
  const round = requireRow(ctx, rounds, i.roundId, '巡视轮次', 'roundId');
  const { number, leaderName } = i;
  const name = i.name ?? defaultTeamName(round, number);
  checkTeamNumberFree(ctx, round.id, number, null);
  return inTransaction(ctx, () => {
    const t = insertRow(ctx, teams, { roundId: round.id, number, name, leaderName });
    return teamView(ctx, t.id);
  });
});

export const updateTeam = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    id: f.id('巡视组'), number: f.patch(teamNumber), name: f.patch(f.text('巡视组名称', f.LEN.name)), leaderName: f.patch(leaderNameField),
  }),
}, (ctx, i): TeamView => {
  const cur = requireRow(ctx, teams, i.id, '巡视组');
  const patch: Partial<Team> = {};
  if (i.number !== undefined) patch.number = i.number;
  if (i.name !== undefined) patch.name = i.name;
  if (i.leaderName !== undefined) patch.leaderName = i.leaderName;
  if (patch.number !== undefined && patch.number !== cur.number) checkTeamNumberFree(ctx, cur.roundId, patch.number, cur.id);
  return inTransaction(ctx, () => {
    updateRow(ctx, teams, cur, patch);
    return teamView(ctx, cur.id);
  });
});

/**
 * A team still assigned to inspected units is in use: reassign them first. A deleted team frees its
 * number; it comes back only under a live round and while its number is still free.
 */
export const { remove: deleteTeam, restore: restoreTeam } = defineLifecycle({
  table: teams,
  label: '巡视组',
  permission: 'ledger.write',
  beforeDelete(ctx, cur) {
    const n = count(ctx, 'SELECT count(*) AS n FROM inspections WHERE team_id = ? AND deleted_at IS NULL', cur.id);
    if (n > 0) throw conflict(`该巡视组还负责${n}个被巡视单位，不能删除。`, 'in_use');
  },
  beforeRestore(ctx, cur) {
    const round = getRow(ctx, rounds, cur.roundId);
    if (!round || round.deletedAt) throw conflict('该巡视组所属的轮次已被删除，请先恢复轮次。', 'parent_deleted');
    const clash = count(ctx, 'SELECT count(*) AS n FROM teams WHERE round_id = ? AND number = ? AND deleted_at IS NULL', cur.roundId, cur.number);
    if (clash > 0) throw conflict(`本轮次已有第${cur.number}组，不能恢复。`, 'duplicate');
  },
  view: (ctx, row) => teamView(ctx, row.id),
});
