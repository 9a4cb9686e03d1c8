import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays, addMonths, compare, dayOfWeek, daysInMonth, diffDays, fromDayNumber, isLeapYear, isValidDate, isWeekend,
  minDate, toDayNumber,
} from '../../db/domain/months.js';

/** An independent oracle: the same date through Date in UTC (never used by the code under test). */
const utc = (s: string) => Date.parse(`${s}T00:00:00Z`);
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const arbDate = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2150-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('calendar-month arithmetic', () => {
  it('clamps to the end of a shorter month, in leap and common years', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2024-03-31', 1)).toBe('2024-04-30');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
  });

  it('keeps the day of month when the target month has it, across year ends', () => {
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2024-01-30', 2)).toBe('2024-03-30');
    expect(addMonths('2024-05-31', 0)).toBe('2024-05-31');
    expect(addMonths('2023-10-31', 27)).toBe('2026-01-31');
  });

  it('counts months backwards with the same clamping', () => {
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15');
    expect(addMonths('2025-03-31', -13)).toBe('2024-02-29');
  });

  it('puts the due date of "within 3 months after the feedback" on the corresponding day of the third month', () => {
    // 反馈 2024-01-31 → 集中整改期 ends 2024-04-30 (April has no 31st); 2024-02-29 → 2024-05-29.
    expect(addMonths('2024-01-31', 3)).toBe('2024-04-30');
    expect(addMonths('2024-02-29', 3)).toBe('2024-05-29');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
  });

  it('moves the month index by exactly n and never past the original day of month (property)', () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: -120, max: 120 }), (d, n) => {
        const r = addMonths(d, n);
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        const [ry, rm, rday] = r.split('-').map(Number) as [number, number, number];
        expect(ry * 12 + rm - (y * 12 + m)).toBe(n);
        expect(rday).toBe(Math.min(day, daysInMonth(ry, rm)));
        expect(isValidDate(r)).toBe(true);
      }),
    );
  });
});

describe('day arithmetic', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts 366 days in a leap year and 365 in a common one', () => {
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366);
    expect(diffDays('2023-01-01', '2024-01-01')).toBe(365);
    expect(diffDays('2025-01-01', '2024-01-01')).toBe(-366);
    expect(diffDays('2024-04-30', '2024-04-30')).toBe(0);
  });

  it('knows leap years by the Gregorian rule', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
  });

  it('gives the weekday, Sunday being 0', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('1969-12-31')).toBe(3);
    expect(dayOfWeek('2025-10-01')).toBe(3); // 国庆 2025 began on a Wednesday
    expect(dayOfWeek('2026-01-04')).toBe(0); // the 2026 元旦 make-up day is a Sunday
    expect(dayOfWeek('2025-10-11')).toBe(6);
    expect(isWeekend('2025-10-11')).toBe(true);
    expect(isWeekend('2025-10-10')).toBe(false);
  });

  it('agrees with an independent UTC computation for any date and offset (property)', () => {
    fc.assert(
      fc.property(arbDate, arbDate, fc.integer({ min: -5000, max: 5000 }), (a, b, n) => {
        expect(addDays(a, n)).toBe(utcDate(utc(a) + n * 86_400_000));
        expect(diffDays(a, b)).toBe((utc(b) - utc(a)) / 86_400_000);
        expect(dayOfWeek(a)).toBe(new Date(utc(a)).getUTCDay());
        expect(compare(a, b)).toBe(Math.sign(utc(a) - utc(b)));
        expect(fromDayNumber(toDayNumber(a))).toBe(a);
      }),
    );
  });
});

describe('robustness', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('gives the same answers whatever the process time zone', () => {
    const run = () => [addMonths('2024-01-31', 1), addDays('2024-03-09', 1), dayOfWeek('2024-03-10'), diffDays('2024-03-09', '2024-11-04')];
    process.env.TZ = 'Asia/Shanghai';
    const shanghai = run();
    process.env.TZ = 'America/Los_Angeles'; // has a DST change on 2024-03-10 and 2024-11-03
    const la = run();
    process.env.TZ = 'Pacific/Kiritimati';
    expect(run()).toEqual(shanghai);
    expect(la).toEqual(shanghai);
    expect(shanghai).toEqual(['2024-02-29', '2024-03-10', 0, 240]);
  });

  it('refuses malformed or impossible dates instead of rolling them over', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '2024-04-31', '', '2024-02-29T00:00']) {
      expect(isValidDate(bad)).toBe(false);
      expect(() => addMonths(bad, 1)).toThrow(RangeError);
    }
    expect(() => addMonths('2024-01-31', 1.5)).toThrow(RangeError);
    expect(() => addDays('2024-01-31', Number.NaN)).toThrow(RangeError);
  });

  it('picks the earlier date and ignores a missing one', () => {
    expect(minDate('2024-03-01', '2024-02-29')).toBe('2024-02-29');
    expect(minDate(null, '2024-02-29')).toBe('2024-02-29');
    expect(minDate('2024-03-01', null)).toBe('2024-03-01');
    expect(minDate(null, null)).toBeNull();
  });
});
