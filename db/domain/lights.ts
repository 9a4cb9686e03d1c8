import { compare, diffDays } from './months.js';

/**
 * The traffic light of one clock (DOMAIN.md: "the UI shows each clock as a traffic light";
 * task deadline: "warn 7 days before (yellow), overdue (red)").
 */
export const LIGHTS = ['not_started', 'green', 'yellow', 'red', 'done'] as const;
export type Light = (typeof LIGHTS)[number];

/** Words shown beside the colour (zh-CN fallback; the renderer may override). */
export const LIGHT_WORDS = {
  not_started: '未开始',
  green: '正常推进',
  yellow: '临近期限',
  red: '已逾期',
  done_on_time: '按期完成',
  done_late: '逾期完成',
  /** A period (集中整改期) that has run its course: nothing was due, it simply ended. */
  period_over: '已期满',
} as const;
export type LightWord = (typeof LIGHT_WORDS)[keyof typeof LIGHT_WORDS];

export interface LightInput {
  /** The day the start event happened; null when it has not happened (not_started). */
  startsOn: string | null;
  /** The due date; null only when startsOn is null. */
  dueOn: string | null;
  /** The day the clock was satisfied (report submitted, task closed…); null while running. */
  doneOn: string | null;
  /** True when the clock is satisfied even if no date is known (e.g. a closed task without a completion date). */
  done?: boolean;
  /** True for a clock that runs from its creation (a task's deadline): never 'not_started'. */
  started?: boolean;
  today: string;
  warnDays: number;
}

export interface LightState {
  light: Light;
  word: LightWord;
  dueOn: string | null;
  /**
   * Calendar days from today to the due date while the clock runs (0 on the due day, negative
   * when overdue); once done, days from the completion to the due date (negative = days late);
   * null when there is nothing to count (not started, or done without a date).
   */
  daysLeft: number | null;
  doneOn: string | null;
  /** Overdue now (red), or finished after the due date (done late). */
  late: boolean;
}

/**
 * - done: satisfied (on time when doneOn <= dueOn; the due day itself is on time);
 * - not_started: the start event has not happened, or happens after today;
 * - red: today is after the due date;
 * - yellow: due within warnDays, inclusive (due - today <= warnDays);
 * - green: otherwise.
 * Being done wins over not started: a report filed before its clock formally started is done.
 */
export function trafficLight(i: LightInput): LightState {
  if (i.done || i.doneOn !== null) {
    const daysLeft = i.doneOn !== null && i.dueOn !== null ? diffDays(i.doneOn, i.dueOn) : null;
    const late = daysLeft !== null && daysLeft < 0;
    return {
      light: 'done', word: late ? LIGHT_WORDS.done_late : LIGHT_WORDS.done_on_time,
      dueOn: i.dueOn, daysLeft, doneOn: i.doneOn, late,
    };
  }
  const started = i.started === true || (i.startsOn !== null && compare(i.today, i.startsOn) >= 0);
  if (!started || i.dueOn === null) {
    return { light: 'not_started', word: LIGHT_WORDS.not_started, dueOn: i.dueOn, daysLeft: null, doneOn: null, late: false };
  }
  const daysLeft = diffDays(i.today, i.dueOn);
  if (daysLeft < 0) return { light: 'red', word: LIGHT_WORDS.red, dueOn: i.dueOn, daysLeft, doneOn: null, late: true };
  if (daysLeft <= i.warnDays) {
    return { light: 'yellow', word: LIGHT_WORDS.yellow, dueOn: i.dueOn, daysLeft, doneOn: null, late: false };
  }
  return { light: 'green', word: LIGHT_WORDS.green, dueOn: i.dueOn, daysLeft, doneOn: null, late: false };
}

/** The worst light of several, for a one-colour summary (red > yellow > green > not started > done). */
export function worstLight(lights: Iterable<Light>): Light | null {
  const rank: Record<Light, number> = { red: 4, yellow: 3, green: 2, not_started: 1, done: 0 };
  let worst: Light | null = null;
  for (const l of lights) if (worst === null || rank[l] > rank[worst]) worst = l;
  return worst;
}
