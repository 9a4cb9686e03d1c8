import type { fixedClock } from '../core/clock.js';

/**
 * The demo generator replays months of office work in date order: every event is scheduled for
 * a calendar day and run with the ledger's clock set to that day, so created/updated stamps,
 * close-out and review times and the audit trail read like a real history, and the services'
 * "not later than today" checks hold. Events scheduled while another runs (a task's progress,
 * then its close-out…) go into the same queue; ties run in scheduling order, so a follow-up
 * scheduled for the same day runs after its cause.
 */
export type DemoClock = ReturnType<typeof fixedClock>;

interface Event {
  day: string;
  seq: number;
  run: () => void;
}

/** 08:30 Beijing time (UTC+8) of a day: offices start work. */
const openingOf = (day: string) => Date.parse(`${day}T00:30:00.000Z`);
/** 23:59:59 Beijing time: a busy day never spills into the next one. */
const closingOf = (day: string) => Date.parse(`${day}T15:59:59.000Z`);

export class Timeline {
  private heap: Event[] = [];
  private seq = 0;
  private current: string;
  /** Events run so far. */
  done = 0;

  constructor(private readonly clock: DemoClock, private readonly lastDay: string, private readonly stepMs = 3000) {
    this.current = clock.today();
  }

  /** The day being replayed. */
  get day(): string {
    return this.current;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Schedule `run` for `day`; a day after the last one is dropped (it has not happened yet). */
  at(day: string, run: () => void): boolean {
    if (day > this.lastDay) return false;
    const e = { day: day < this.current ? this.current : day, seq: this.seq++, run };
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return true;
  }

  /** Move the clock a little within the current day: one user action. */
  tick(): void {
    const now = this.clock.now();
    const room = closingOf(this.current) - now;
    this.clock.advance(Math.max(1, Math.min(this.stepMs, room)));
  }

  /** Run every scheduled event in order; `onDay` is told whenever the replay reaches a new day. */
  run(onDay?: (day: string) => void): void {
    while (this.heap.length > 0) {
      const e = this.pop();
      if (e.day !== this.current) {
        this.current = e.day;
        const open = openingOf(e.day);
        if (this.clock.now() < open) this.clock.advance(open - this.clock.now());
        onDay?.(e.day);
      }
      e.run();
      this.done++;
    }
  }

  private less(a: Event, b: Event): boolean {
    return a.day < b.day || (a.day === b.day && a.seq < b.seq);
  }

  private up(k: number): void {
    const h = this.heap;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(h[k]!, h[p]!)) break;
      [h[k], h[p]] = [h[p]!, h[k]!];
      k = p;
    }
  }

  private pop(): Event {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m]!, h[k]!];
        k = m;
      }
    }
    return top;
  }
}
