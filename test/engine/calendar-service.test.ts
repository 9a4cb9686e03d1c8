import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import { CALENDAR_2026 } from '../../db/clocks/calendar-data.js';
import { RULES_2017, RULES_2022 } from '../../db/domain/clock-rules.js';
import { loadCalendar } from '../../db/clocks/working-days.js';
import type { ServiceContext } from '../../db/core/context.js';
import type { ErrorCode } from '../../db/domain/errors.js';
import {
  createRuleSetVersion, listCalendarDays, listRuleSets, removeCalendarDay, setCalendarDay, setRoundRuleSet,
} from '../../db/services/calendar.js';
import { auditCount, expectError, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { fxRound, ruleSetId } from '../helpers/fixtures.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

const count = (sql: string) => (t.ledger.sqlite.prepare(sql).get() as { n: number }).n;
const dayRows = () => count('SELECT count(*) n FROM calendar_days');
const setRows = () => count('SELECT count(*) n FROM clock_rule_sets');

/** Call `fn`, expect it refused with `code` (and `field`), and nothing written: no audit entry, version, day or rule set. */
function refused(fn: () => unknown, code: ErrorCode, field?: string) {
  const before = { days: dayRows(), sets: setRows() };
  const e = expectRefused(t, fn, code, field);
  expect({ days: dayRows(), sets: setRows() }).toEqual(before);
  return e;
}

let admin: ServiceContext;
function setup(today = '2025-12-01') {
  t = makeTestLedger({ today });
  admin = t.as(t.users.admin);
}

describe('listing the holiday calendar', () => {
  it('lists one year\'s official days in order, with their weekday, to any reader', () => {
    setup();
    const days = listCalendarDays(t.as(t.users.readonly), { year: 2026 });
    expect(days.map((d) => d.day)).toEqual([...CALENDAR_2026].map((d) => d.day).sort());
    expect(days.find((d) => d.day === '2026-01-04')).toMatchObject({ kind: 'workday', name: '元旦调休上班', weekday: 0 });
    expect(listCalendarDays(t.as(t.users.readonly), { year: 2027 })).toEqual([]);
  });

  it('refuses a bad year and a caller who is not logged in', () => {
    setup();
    expectError(() => listCalendarDays(admin, { year: '2026' }), 'VALIDATION', 'year');
    expectError(() => listCalendarDays(admin, {}), 'VALIDATION', 'year');
    expectError(() => listCalendarDays(t.as(null), { year: 2026 }), 'FORBIDDEN');
  });
});

describe('changing the holiday calendar', () => {
  it('adds a holiday, audited, and the working-day deadline moves', () => {
    setup();
    const before = auditCount(t);
    expect(loadCalendar(admin).addWorkingDays('2027-01-29', 1)).toBe('2027-02-01');
    const r = setCalendarDay(admin, { day: '2027-02-01', kind: 'holiday', name: '春节' });
    expect(r).toMatchObject({ day: '2027-02-01', kind: 'holiday', name: '春节', created: true, weekday: 1 });
    expect(auditCount(t)).toBe(before + 1);
    expect(listCalendarDays(admin, { year: 2027 }).map((d) => d.day)).toEqual(['2027-02-01']);
    expect(loadCalendar(admin).addWorkingDays('2027-01-29', 1)).toBe('2027-02-02');
    expect(verifyAudit(t.ledger).ok).toBe(true);
  });

  it('updates the existing row of a day instead of adding a second one', () => {
    setup();
    const rows = dayRows();
    const r = setCalendarDay(admin, { day: '2026-10-01', kind: 'holiday', name: '国庆节（更正）' });
    expect(r.created).toBe(false);
    expect(dayRows()).toBe(rows);
    expect(listCalendarDays(admin, { year: 2026 }).find((d) => d.day === '2026-10-01')?.name).toBe('国庆节（更正）');
    const audit = auditCount(t);
    setCalendarDay(admin, { day: '2026-10-01', kind: 'holiday', name: '国庆节（更正）' });
    expect(auditCount(t)).toBe(audit); // the same values again write nothing
  });

  it('turns a weekday holiday into an ordinary working day when it is removed, and restores the same row when set again', () => {
    setup();
    expect(loadCalendar(admin).isWorkingDay('2026-10-07')).toBe(false);
    const before = auditCount(t);
    const gone = removeCalendarDay(admin, { day: '2026-10-07', reason: '本地安排调整' });
    expect(auditCount(t)).toBe(before + 1);
    expect(loadCalendar(admin).isWorkingDay('2026-10-07')).toBe(true);
    expect(listCalendarDays(admin, { year: 2026 }).some((d) => d.day === '2026-10-07')).toBe(false);
    const back = setCalendarDay(admin, { day: '2026-10-07', kind: 'holiday', name: '国庆节' });
    expect(back).toMatchObject({ id: gone.id, created: true });
    expect(loadCalendar(admin).isWorkingDay('2026-10-07')).toBe(false);
  });

  it('accepts a holiday on a weekend day (a holiday block includes its weekend)', () => {
    setup();
    expect(setCalendarDay(admin, { day: '2027-02-06', kind: 'holiday', name: '春节' }).weekday).toBe(6);
  });

  it('refuses a make-up working day that is not a weekend day, and changes nothing', () => {
    setup();
    const e = refused(() => setCalendarDay(admin, { day: '2026-03-04', kind: 'workday', name: '调休上班' }), 'VALIDATION', 'day');
    expect(e.reason).toBe('workday_not_weekend');
  });

  it('refuses a bad date, an unknown kind, an empty name or a missing request, and changes nothing', () => {
    setup();
    refused(() => setCalendarDay(admin, { day: '2026-02-30', kind: 'holiday', name: '春节' }), 'VALIDATION', 'day');
    refused(() => setCalendarDay(admin, { day: '2026/02/16', kind: 'holiday', name: '春节' }), 'VALIDATION', 'day');
    refused(() => setCalendarDay(admin, { day: '2026-02-16', kind: 'festival', name: '春节' }), 'VALIDATION', 'kind');
    refused(() => setCalendarDay(admin, { day: '2026-02-16', kind: 'holiday', name: '  ' }), 'VALIDATION', 'name');
    refused(() => setCalendarDay(admin, null), 'VALIDATION', 'input');
    refused(() => removeCalendarDay(admin, { day: '2026-13-01', reason: '错误' }), 'VALIDATION', 'day');
    refused(() => removeCalendarDay(admin, { day: '2026-10-07' }), 'VALIDATION', 'reason');
    refused(() => removeCalendarDay(admin, { day: '2026-03-04', reason: '不在日历中' }), 'NOT_FOUND', 'day');
  });

  it('refuses users who may not change settings, and changes nothing', () => {
    setup();
    for (const u of [t.users.entry, t.users.reviewer, t.users.leader, t.users.readonly]) {
      const e = refused(() => setCalendarDay(t.as(u), { day: '2027-02-01', kind: 'holiday', name: '春节' }), 'FORBIDDEN');
      expect(e.reason).toBe('settings.write');
      refused(() => removeCalendarDay(t.as(u), { day: '2026-10-07', reason: '调整' }), 'FORBIDDEN');
    }
    refused(() => setCalendarDay(t.as(null), { day: '2027-02-01', kind: 'holiday', name: '春节' }), 'FORBIDDEN');
  });
});

describe('clock rule sets', () => {
  const rules = { ...RULES_2022.rules, warnDays: 10 };

  it('lists the shipped versions with the rules they hold and how many rounds use them', () => {
    setup();
    fxRound(admin);
    fxRound(admin, { name: '某省委第二轮巡视' });
    const list = listRuleSets(t.as(t.users.readonly));
    expect(list.map((r) => [r.code, r.ruleVersion, r.roundCount])).toEqual([['CPC-2017', 1, 0], ['CPC-2022', 1, 2]]);
    expect(list[0]!.rules).toEqual(RULES_2017.rules);
    expect(list[1]!.rules).toEqual(RULES_2022.rules);
  });

  it('creates a new version as a new row and leaves the version in use untouched', () => {
    setup();
    fxRound(admin); // a round on version 1: that version must stay as it is
    const v1 = ruleSetId(admin, 'CPC-2022');
    const before = auditCount(t);
    const v2 = createRuleSetVersion(admin, { code: 'CPC-2022', name: '2022年意见（本省细则）', basis: '本省细则：提前10天预警', rules });
    expect(v2).toMatchObject({ code: 'CPC-2022', ruleVersion: 2, rules, roundCount: 0 });
    expect(v2.id).not.toBe(v1);
    expect(auditCount(t)).toBe(before + 1);
    const list = listRuleSets(admin);
    expect(list.find((r) => r.id === v1)).toMatchObject({ ruleVersion: 1, rules: RULES_2022.rules, roundCount: 1 });
    expect(createRuleSetVersion(admin, { code: 'CPC-2022', name: '第三版', rules }).ruleVersion).toBe(3);
    expect(createRuleSetVersion(admin, { code: '某省-2023', name: '某省细则', rules }).ruleVersion).toBe(1);
  });

  it('refuses a rule that is missing, not an integer, out of range or unknown, and changes nothing', () => {
    setup();
    const ok = { code: 'CPC-2022', name: '新版本' };
    const { warnDays: _w, ...noWarn } = rules;
    refused(() => createRuleSetVersion(admin, { ...ok, rules: noWarn }), 'VALIDATION', 'rules.warnDays');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, concentratedMonths: 2.5 } }), 'VALIDATION', 'rules.concentratedMonths');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, progressReportMonths: '3' } }), 'VALIDATION', 'rules.progressReportMonths');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, disclosureMonths: 0 } }), 'VALIDATION', 'rules.disclosureMonths');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, warnDays: -1 } }), 'VALIDATION', 'rules.warnDays');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, inquiryReplyWorkingDays: 1000 } }), 'VALIDATION', 'rules.inquiryReplyWorkingDays');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: { ...rules, graceDays: 3 } }), 'VALIDATION', 'rules.graceDays');
    refused(() => createRuleSetVersion(admin, { ...ok, rules: [1, 2] }), 'VALIDATION', 'rules');
    refused(() => createRuleSetVersion(admin, { ...ok, code: 'CPC 2022', rules }), 'VALIDATION', 'code');
    refused(() => createRuleSetVersion(admin, { code: 'X-1', rules }), 'VALIDATION', 'name');
    refused(() => createRuleSetVersion(t.as(t.users.leader), { ...ok, rules }), 'FORBIDDEN');
  });

  it('moves a round to another rule set, audited, and refuses bad or unknown ids and non-admins', () => {
    setup();
    const round = fxRound(admin);
    const old = ruleSetId(admin, 'CPC-2017');
    const before = auditCount(t);
    expect(setRoundRuleSet(admin, { roundId: round.id, ruleSetId: old })).toEqual({ roundId: round.id, ruleSetId: old });
    expect(auditCount(t)).toBe(before + 1);
    expect(listRuleSets(admin).find((r) => r.id === old)!.roundCount).toBe(1);
    setRoundRuleSet(admin, { roundId: round.id, ruleSetId: old });
    expect(auditCount(t)).toBe(before + 1); // already in use: nothing written

    const other = ruleSetId(admin, 'CPC-2022');
    refused(() => setRoundRuleSet(admin, { roundId: 'round-1', ruleSetId: other }), 'VALIDATION', 'roundId');
    refused(() => setRoundRuleSet(admin, { roundId: round.id }), 'VALIDATION', 'ruleSetId');
    refused(() => setRoundRuleSet(admin, { roundId: UNKNOWN_ID, ruleSetId: other }), 'NOT_FOUND', 'roundId');
    refused(() => setRoundRuleSet(admin, { roundId: round.id, ruleSetId: UNKNOWN_ID }), 'NOT_FOUND', 'ruleSetId');
    refused(() => setRoundRuleSet(t.as(t.users.reviewer), { roundId: round.id, ruleSetId: other }), 'FORBIDDEN');
    expect(count(`SELECT count(*) n FROM rounds WHERE rule_set_id = '${old}'`)).toBe(1);
  });
});
