/** Wall clock, injected so tests and clocks run against a fixed "today". */
export interface Clock {
  /** Current instant in epoch milliseconds. */
  now(): number;
  /** Today's local calendar date, 'YYYY-MM-DD'. */
  today(): string;
}

function localDate(ms: number): string {
  const d = new Date(ms);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

export const systemClock: Clock = { now: () => Date.now(), today: () => localDate(Date.now()) };

/** A clock frozen at a calendar date (noon UTC of that day unless an instant is given). */
export function fixedClock(today: string, instantMs?: number): Clock & { advance(ms: number): void } {
  let ms = instantMs ?? Date.parse(`${today}T04:00:00.000Z`);
  let day = today;
  return {
    now: () => ms,
    today: () => day,
    advance(delta: number) {
      ms += delta;
      day = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    },
  };
}
