import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CALENDAR_2025, CALENDAR_2026, OFFICIAL_CALENDAR } from '../../db/clocks/calendar-data.js';
import { dayOfWeek, isWeekend } from '../../db/domain/months.js';
import { loadCalendar, makeWorkCalendar } from '../../db/clocks/working-days.js';
import { removeCalendarDay, setCalendarDay } from '../../db/services/calendar.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';

let t: TestLedger;
afterEach(() => t?.close());

const official = makeWorkCalendar(OFFICIAL_CALENDAR);
const plain = makeWorkCalendar([]);

describe('the shipped 2025/2026 calendar', () => {
  it('lists make-up working days only on weekends and holidays on the notified days', () => {
    const work = OFFICIAL_CALENDAR.filter((d) => d.kind === 'workday').map((d) => d.day);
    expect(work).toEqual([
      '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
      '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
    ]);
    for (const d of work) expect(isWeekend(d)).toBe(true);
    // Days off per notice (国办发明电〔2024〕12号: 1+8+3+5+3+8; 国办发明电〔2025〕7号: 3+9+3+5+3+3+7).
    expect(CALENDAR_2025.filter((d) => d.kind === 'holiday')).toHaveLength(28);
    expect(CALENDAR_2026.filter((d) => d.kind === 'holiday')).toHaveLength(33);
    expect(new Set(OFFICIAL_CALENDAR.map((d) => d.day)).size).toBe(OFFICIAL_CALENDAR.length);
  });
});

describe('working days under the official calendar', () => {
  it('treats holidays as days off and make-up weekend days as working days', () => {
    expect(official.isWorkingDay('2025-10-01')).toBe(false); // 国庆, a Wednesday
    expect(official.isWorkingDay('2025-09-28')).toBe(true); // Sunday worked
    expect(official.isWorkingDay('2025-10-11')).toBe(true); // Saturday worked
    expect(official.isWorkingDay('2025-10-12')).toBe(false); // an ordinary Sunday
    expect(official.isWorkingDay('2025-10-09')).toBe(true); // an ordinary Thursday
    expect(plain.isWorkingDay('2025-10-01')).toBe(true);
  });

  it('counts 15 working days across 国庆 2025 and its make-up Saturday', () => {
    // Letter sent Fri 2025-09-26: 9-28(Sun, worked) 9-29 9-30 | 10-1..10-8 off | 10-9 10-10
    // 10-11(Sat, worked) | 10-13..10-17 | 10-20 10-21 10-22 10-23 → the 15th is Thu 2025-10-23.
    expect(official.addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
    expect(plain.addWorkingDays('2025-09-26', 15)).toBe('2025-10-17');
    expect(official.workingDaysBetween('2025-09-26', '2025-10-23')).toBe(15);
    expect(official.workingDaysBetween('2025-09-26', '2025-10-22')).toBe(14);
  });

  it('counts 15 working days across 春节 2026 with both make-up Saturdays', () => {
    // Letter sent Fri 2026-02-13: 2-14(Sat, worked) | 2-15..2-23 off | 2-24..2-27 | 2-28(Sat,
    // worked) | 3-2..3-6 | 3-9 3-10 3-11 3-12 → the 15th is Thu 2026-03-12.
    expect(official.addWorkingDays('2026-02-13', 15)).toBe('2026-03-12');
    expect(official.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(official.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
  });

  it('makes Sunday 2026-01-04 the first working day after 元旦 2026', () => {
    expect(dayOfWeek('2026-01-04')).toBe(0);
    expect(official.isWorkingDay('2026-01-04')).toBe(true);
    expect(official.isWorkingDay('2026-01-02')).toBe(false); // Friday inside 元旦
    expect(official.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(plain.addWorkingDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('does not count the day of the event, and 0 working days is the day itself', () => {
    expect(official.addWorkingDays('2025-10-09', 1)).toBe('2025-10-10');
    expect(official.addWorkingDays('2025-10-09', 0)).toBe('2025-10-09');
    expect(official.workingDaysBetween('2025-10-09', '2025-10-09')).toBe(0);
    expect(() => official.addWorkingDays('2025-10-09', -1)).toThrow(RangeError);
    expect(() => official.addWorkingDays('2025-10-09', 2.5)).toThrow(RangeError);
  });

  it('counts backwards as a negative number of working days', () => {
    expect(official.workingDaysBetween('2025-10-23', '2025-09-26')).toBe(-15);
  });

  it('makes workingDaysBetween the inverse of addWorkingDays (property)', () => {
    const arbDay = fc.date({ min: new Date('2024-11-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(arbDay, fc.integer({ min: 0, max: 60 }), (d, n) => {
        const due = official.addWorkingDays(d, n);
        expect(official.workingDaysBetween(d, due)).toBe(n);
        if (n > 0) expect(official.isWorkingDay(due)).toBe(true);
      }),
    );
  });

  it('refuses a calendar row with an impossible date', () => {
    expect(() => makeWorkCalendar([{ day: '2025-02-29', kind: 'holiday' }])).toThrow(RangeError);
  });
});

describe('the calendar stored in the ledger', () => {
  it('loads the shipped calendar from calendar_days', () => {
    t = makeTestLedger({ today: '2025-09-26' });
    const cal = loadCalendar(t.as(t.users.readonly));
    expect(cal.addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
    expect(cal.addWorkingDays('2026-02-13', 15)).toBe('2026-03-12');
  });

  it('ignores removed rows, so a deadline moves when a make-up day is taken off', () => {
    t = makeTestLedger({ today: '2025-12-01' });
    const admin = t.as(t.users.admin);
    expect(loadCalendar(admin).addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    removeCalendarDay(admin, { day: '2026-01-04', reason: '测试：撤销调休' });
    const cal = loadCalendar(admin);
    expect(cal.isWorkingDay('2026-01-04')).toBe(false);
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
  });

  it('moves a 15-working-day deadline by one day when a weekday is added as a holiday', () => {
    t = makeTestLedger({ today: '2025-09-26' });
    const admin = t.as(t.users.admin);
    expect(loadCalendar(admin).addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
    setCalendarDay(admin, { day: '2025-10-20', kind: 'holiday', name: '本地放假' });
    expect(loadCalendar(admin).addWorkingDays('2025-09-26', 15)).toBe('2025-10-24');
    setCalendarDay(admin, { day: '2025-10-18', kind: 'workday', name: '本地调休上班' });
    expect(loadCalendar(admin).addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
  });
});
