import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import { inTransaction } from '../core/context.js';
import { dayOfWeek, isWeekend } from '../domain/months.js';
import type { ClockRules } from '../domain/clock-rules.js';
import { readRules } from '../clocks/statutory.js';
import { RULE_FIELDS, RULE_KEYS } from '../domain/clock-rules.js';
import { invalid, notFound } from '../domain/errors.js';
import { calendarDays, clockRuleSets, rounds } from '../schema/index.js';
import { deleteReasonField } from '../core/lifecycle.js';
import { defineCall, defineQuery } from '../core/call.js';
import * as f from '../domain/fields.js';
import { insertRow, requireRow, restoreRow, softDelete, updateRow } from '../core/write.js';

/**
 * 设置 → 节假日日历 and 时限规则: the holiday calendar (with 调休) and the versioned clock rule
 * sets are data that offices edit (DOMAIN.md: "every one must be configurable per office").
 * Reading needs 'ledger.read'; changing needs 'settings.write' (管理员).
 */

export const CALENDAR_KINDS = ['holiday', 'workday'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

export interface CalendarDayView {
  id: string;
  day: string;
  kind: CalendarKind;
  name: string;
  /** 0 = 周日 … 6 = 周六, so the screen can show the weekday without its own date code. */
  weekday: number;
}

const toDayView = (r: typeof calendarDays.$inferSelect): CalendarDayView => ({
  id: r.id, day: r.day, kind: r.kind, name: r.name, weekday: dayOfWeek(r.day),
});

const dayField = f.date('日期');

export const listCalendarDays = defineCall({
  permission: 'ledger.read',
  arg: f.args({ year: f.int('年份', 1949, 2200) }),
}, (ctx, { year }): CalendarDayView[] => {
  return ctx.ledger.orm.select().from(calendarDays)
    .where(and(isNull(calendarDays.deletedAt), gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
    .orderBy(asc(calendarDays.day))
    .all()
    .map(toDayView);
});

/**
 * Mark one day. A 'workday' (调休上班) must fall on a Saturday or Sunday: a weekday is a
 * working day anyway, and accepting one would hide a typing error. A 'holiday' may fall on any
 * day: the official notices list whole holiday blocks (e.g. 春节 2025-01-28 to 02-04) including
 * their weekend days, so the calendar shows the block under its name; on a weekend day it does
 * not change any working-day count. There is one row per day (also when it was removed earlier:
 * the row is restored and changed, never duplicated).
 */
/** `created`: the day was not on the calendar before (a new row, or a removed one restored). */
export const setCalendarDay = defineCall({
  permission: 'settings.write',
  arg: f.args({ day: dayField, kind: f.oneOf(CALENDAR_KINDS, '日期类型'), name: f.text('名称', 50) }),
}, (ctx, { day, kind, name }): CalendarDayView & { created: boolean } => {
  if (kind === 'workday' && !isWeekend(day)) {
    throw invalid('day', '调休上班日应为周六或周日；工作日本来就要上班。', 'workday_not_weekend');
  }
  const existing = ctx.ledger.orm.select().from(calendarDays).where(eq(calendarDays.day, day)).get();
  return inTransaction(ctx, () => {
    if (!existing) return { ...toDayView(insertRow(ctx, calendarDays, { day, kind, name })), created: true };
    const live = existing.deletedAt ? restoreRow(ctx, calendarDays, existing) : existing;
    return { ...toDayView(updateRow(ctx, calendarDays, live, { kind, name })), created: existing.deletedAt !== null };
  });
});

/**
 * Take a day off the calendar (soft delete with a reason): it becomes an ordinary day again. The
 * day, not the row id, names it (setCalendarDay brings the same row back).
 */
export const removeCalendarDay = defineCall({
  permission: 'settings.write',
  arg: f.args({ day: dayField, reason: deleteReasonField }),
}, (ctx, { day, reason }): { id: string; day: string } => {
  const row = ctx.ledger.orm.select().from(calendarDays).where(eq(calendarDays.day, day)).get();
  if (!row || row.deletedAt) throw notFound('节假日日历中的日期', day, 'day');
  inTransaction(ctx, () => softDelete(ctx, calendarDays, row, reason));
  return { id: row.id, day };
});

export interface RuleSetView {
  id: string;
  code: string;
  name: string;
  ruleVersion: number;
  basis: string | null;
  rules: ClockRules;
  /** Live rounds using this version. */
  roundCount: number;
}

/** Every live rule-set version, newest version of each code first. */
export const listRuleSets = defineQuery({ permission: 'ledger.read' }, (ctx): RuleSetView[] => {
  const rows = ctx.ledger.prepare(`
    SELECT s.id, s.code, s.name, s.rule_version, s.basis, s.rules,
      (SELECT COUNT(*) FROM rounds r WHERE r.rule_set_id = s.id AND r.deleted_at IS NULL) AS round_count
    FROM clock_rule_sets s WHERE s.deleted_at IS NULL
    ORDER BY s.code, s.rule_version DESC`).all() as {
    id: string; code: string; name: string; rule_version: number; basis: string | null; rules: string; round_count: number;
  }[];
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, ruleVersion: r.rule_version, basis: r.basis,
    rules: readRules(r.rules, r.code), roundCount: r.round_count,
  }));
});

const CODE_RE = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]{0,39}$/;

const ruleField = (k: keyof ClockRules) => f.int(RULE_FIELDS[k].label, RULE_FIELDS[k].min, RULE_FIELDS[k].max);

/**
 * Every rule of a version, each a whole number within its bounds; a rule this version does not
 * know is refused by name. A list is not a set of rules (valibot's objects would take one).
 */
const rulesObject = f.v.strictObject(
  Object.fromEntries(RULE_KEYS.map((k) => [k, ruleField(k)])) as { [K in keyof ClockRules]: ReturnType<typeof ruleField> },
  (issue) => {
    const key = issue.path?.[issue.path.length - 1]?.key;
    if (issue.expected === 'never') return `不认识的时限规则项：${String(key)}。`;
    if (issue.input === undefined && typeof key === 'string') return `请填写${RULE_FIELDS[key as keyof ClockRules]?.label ?? '时限规则'}。`;
    return '请填写时限规则。';
  },
);
const rulesField = f.v.pipe(
  f.v.custom<f.In<typeof rulesObject>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), '请填写时限规则。'),
  rulesObject,
);

/**
 * A new version of a rule set (or the first version of a new code). Rule sets are never edited:
 * rounds already counted with a version must keep their deadlines, so a change is a new row with
 * ruleVersion + 1, and each round is moved to it explicitly (setRoundRuleSet).
 */
export const createRuleSetVersion = defineCall({
  permission: 'settings.write',
  arg: f.args({
    code: f.v.pipe(f.text('规则代码', 40), f.rule('bad_code', (s: string) => CODE_RE.test(s), '规则代码只能包含中文、字母、数字、点、下划线和连字符。')),
    name: f.text('规则名称', f.LEN.name),
    basis: f.optText('依据', f.LEN.text),
    rules: rulesField,
  }),
}, (ctx, { code, name, basis, rules }): RuleSetView => {
  // Deleted versions keep their number (the unique index covers them): count them too.
  const last = ctx.ledger.prepare('SELECT MAX(rule_version) AS n FROM clock_rule_sets WHERE code = ?').get(code) as { n: number | null };
  const ruleVersion = (last.n ?? 0) + 1;
  return inTransaction(ctx, () => {
    const row = insertRow(ctx, clockRuleSets, { code, name, ruleVersion, basis, rules: JSON.stringify(rules) }, { action: 'create_version' });
    return { id: row.id, code, name, ruleVersion, basis, rules, roundCount: 0 };
  });
});

/** Choose the rule set a round's clocks follow (e.g. the 2017 two-month rules for an old round). */
export const setRoundRuleSet = defineCall({
  permission: 'settings.write',
  arg: f.args({ roundId: f.id('巡视轮次'), ruleSetId: f.id('时限规则') }),
}, (ctx, { roundId, ruleSetId }): { roundId: string; ruleSetId: string } => {
  const round = requireRow(ctx, rounds, roundId, '巡视轮次', 'roundId');
  const rs = requireRow(ctx, clockRuleSets, ruleSetId, '时限规则', 'ruleSetId');
  readRules(rs.rules, rs.code); // a damaged rule set is refused here (CORRUPT), not on the home page
  // Choosing the set already in use writes nothing (updateRow skips unchanged fields).
  inTransaction(ctx, () => updateRow(ctx, rounds, round, { ruleSetId }));
  return { roundId, ruleSetId };
});
