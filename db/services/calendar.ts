import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { dayOfWeek, isWeekend } from '../clocks/months.js';
import type { ClockRules } from '../domain/clock-rules.js';
import { readRules } from '../clocks/statutory.js';
import { RULE_FIELDS, RULE_KEYS } from '../domain/clock-rules.js';
import { invalid, notFound } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { calendarDays, clockRuleSets, rounds } from '../schema/index.js';
import * as v from '../core/validate.js';
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

export function listCalendarDays(ctx: ServiceContext, raw: unknown): CalendarDayView[] {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const year = v.int(i.year, 'year', '年份', 1949, 2200);
  return ctx.ledger.orm.select().from(calendarDays)
    .where(and(isNull(calendarDays.deletedAt), gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
    .orderBy(asc(calendarDays.day))
    .all()
    .map(toDayView);
}

/**
 * Mark one day. A 'workday' (调休上班) must fall on a Saturday or Sunday: a weekday is a
 * working day anyway, and accepting one would hide a typing error. A 'holiday' may fall on any
 * day: the official notices list whole holiday blocks (e.g. 春节 2025-01-28 to 02-04) including
 * their weekend days, so the calendar shows the block under its name; on a weekend day it does
 * not change any working-day count. There is one row per day (also when it was removed earlier:
 * the row is restored and changed, never duplicated).
 */
/** `created`: the day was not on the calendar before (a new row, or a removed one restored). */
export function setCalendarDay(ctx: ServiceContext, raw: unknown): CalendarDayView & { created: boolean } {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const day = v.date(i.day, 'day', '日期');
  const kind = v.oneOf(i.kind, 'kind', CALENDAR_KINDS, '日期类型');
  const name = v.text(i.name, 'name', { max: 50, label: '名称' });
  if (kind === 'workday' && !isWeekend(day)) {
    throw invalid('day', '调休上班日应为周六或周日；工作日本来就要上班。', 'workday_not_weekend');
  }
  const existing = ctx.ledger.orm.select().from(calendarDays).where(eq(calendarDays.day, day)).get();
  return inTransaction(ctx, () => {
    if (!existing) return { ...toDayView(insertRow(ctx, calendarDays, { day, kind, name })), created: true };
    const live = existing.deletedAt ? restoreRow(ctx, calendarDays, existing) : existing;
    return { ...toDayView(updateRow(ctx, calendarDays, live, { kind, name })), created: existing.deletedAt !== null };
  });
}

/** Take a day off the calendar (soft delete with a reason): it becomes an ordinary day again. */
export function removeCalendarDay(ctx: ServiceContext, raw: unknown): { id: string; day: string } {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const day = v.date(i.day, 'day', '日期');
  const reason = v.text(i.reason, 'reason', { max: v.LEN.short, label: '删除原因' });
  const row = ctx.ledger.orm.select().from(calendarDays).where(eq(calendarDays.day, day)).get();
  if (!row || row.deletedAt) throw notFound('节假日日历中的日期', day, 'day');
  inTransaction(ctx, () => softDelete(ctx, calendarDays, row, reason));
  return { id: row.id, day };
}

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
export function listRuleSets(ctx: ServiceContext): RuleSetView[] {
  requirePermission(ctx, 'ledger.read');
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
}

const CODE_RE = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]{0,39}$/;

function checkRules(raw: unknown): ClockRules {
  const o = v.object(raw, 'rules');
  for (const k of Object.keys(o)) {
    if (!(RULE_KEYS as string[]).includes(k)) throw invalid(`rules.${k}`, `不认识的时限规则项：${k}。`, 'unknown_field');
  }
  const out = {} as ClockRules;
  for (const k of RULE_KEYS) {
    const f = RULE_FIELDS[k];
    if (o[k] === undefined || o[k] === null) throw invalid(`rules.${k}`, `请填写${f.label}。`, 'required');
    out[k] = v.int(o[k], `rules.${k}`, f.label, f.min, f.max);
  }
  return out;
}

/**
 * A new version of a rule set (or the first version of a new code). Rule sets are never edited:
 * rounds already counted with a version must keep their deadlines, so a change is a new row with
 * ruleVersion + 1, and each round is moved to it explicitly (setRoundRuleSet).
 */
export function createRuleSetVersion(ctx: ServiceContext, raw: unknown): RuleSetView {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const code = v.text(i.code, 'code', { max: 40, label: '规则代码' });
  if (!CODE_RE.test(code)) throw invalid('code', '规则代码只能包含中文、字母、数字、点、下划线和连字符。', 'bad_code');
  const name = v.text(i.name, 'name', { max: v.LEN.name, label: '规则名称' });
  const basis = v.optText(i.basis, 'basis', { max: v.LEN.text, label: '依据' });
  const rules = checkRules(i.rules);
  // Deleted versions keep their number (the unique index covers them): count them too.
  const last = ctx.ledger.prepare('SELECT MAX(rule_version) AS n FROM clock_rule_sets WHERE code = ?').get(code) as { n: number | null };
  const ruleVersion = (last.n ?? 0) + 1;
  return inTransaction(ctx, () => {
    const row = insertRow(ctx, clockRuleSets, { code, name, ruleVersion, basis, rules: JSON.stringify(rules) }, { action: 'create_version' });
    return { id: row.id, code, name, ruleVersion, basis, rules, roundCount: 0 };
  });
}

/** Choose the rule set a round's clocks follow (e.g. the 2017 two-month rules for an old round). */
export function setRoundRuleSet(ctx: ServiceContext, raw: unknown): { roundId: string; ruleSetId: string } {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const roundId = v.id(i.roundId, 'roundId', '巡视轮次');
  const ruleSetId = v.id(i.ruleSetId, 'ruleSetId', '时限规则');
  const round = requireRow(ctx, rounds, roundId, '巡视轮次', 'roundId');
  const rs = requireRow(ctx, clockRuleSets, ruleSetId, '时限规则', 'ruleSetId');
  readRules(rs.rules, rs.code); // a damaged rule set is refused here (CORRUPT), not on the home page
  // Choosing the set already in use writes nothing (updateRow skips unchanged fields).
  inTransaction(ctx, () => updateRow(ctx, rounds, round, { ruleSetId }));
  return { roundId, ruleSetId };
}
