/**
 * Official public-holiday arrangements (国务院办公厅关于部分节假日安排的通知) for 2025 and 2026:
 * `holiday` = a weekday (or weekend day inside a holiday block) off, `workday` = a weekend day
 * worked (调休). Shipped as data; offices edit it in 设置 when a new year's notice is published.
 */
export interface CalendarEntry {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

function range(from: string, to: string, name: string): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end) {
    out.push({ day: d.toISOString().slice(0, 10), kind: 'holiday', name });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
const work = (day: string, name: string): CalendarEntry => ({ day, kind: 'workday', name: `${name}调休上班` });

/**
 * 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）, the first
 * under the 2024 revision of 《全国年节及纪念日放假办法》 (春节 and 劳动节 one day longer). Checked
 * against the published text: 28 days in the holiday blocks, make-up days 1-26, 2-8, 4-27, 9-28, 10-11.
 */
export const CALENDAR_2025: readonly CalendarEntry[] = [
  ...range('2025-01-01', '2025-01-01', '元旦'),
  work('2025-01-26', '春节'),
  ...range('2025-01-28', '2025-02-04', '春节'),
  work('2025-02-08', '春节'),
  ...range('2025-04-04', '2025-04-06', '清明节'),
  work('2025-04-27', '劳动节'),
  ...range('2025-05-01', '2025-05-05', '劳动节'),
  ...range('2025-05-31', '2025-06-02', '端午节'),
  work('2025-09-28', '国庆节、中秋节'),
  ...range('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  work('2025-10-11', '国庆节、中秋节'),
];

/**
 * 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）. Checked
 * against the published text: 33 days in the holiday blocks, make-up days 1-4, 2-14, 2-28, 5-9, 9-20, 10-10.
 */
export const CALENDAR_2026: readonly CalendarEntry[] = [
  ...range('2026-01-01', '2026-01-03', '元旦'),
  work('2026-01-04', '元旦'),
  work('2026-02-14', '春节'),
  ...range('2026-02-15', '2026-02-23', '春节'),
  work('2026-02-28', '春节'),
  ...range('2026-04-04', '2026-04-06', '清明节'),
  ...range('2026-05-01', '2026-05-05', '劳动节'),
  work('2026-05-09', '劳动节'),
  ...range('2026-06-19', '2026-06-21', '端午节'),
  work('2026-09-20', '国庆节'),
  ...range('2026-09-25', '2026-09-27', '中秋节'),
  ...range('2026-10-01', '2026-10-07', '国庆节'),
  work('2026-10-10', '国庆节'),
];

export const OFFICIAL_CALENDAR: readonly CalendarEntry[] = [...CALENDAR_2025, ...CALENDAR_2026];
