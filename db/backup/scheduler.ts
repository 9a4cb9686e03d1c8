/**
 * When a scheduled backup is due: pure timer logic, the clock and the timer injected (tests drive
 * it with a fake clock).
 *
 * Rules:
 * - at the first log-in of a day (local day): due when no scheduled backup was taken that day;
 * - every `everyHours` hours of use: "use" is the time the ledger is open (between start() and
 *   stop()), so a machine switched off overnight does not count;
 * - a day that begins while the ledger is open counts as a new day (the timer also wakes at local
 *   midnight);
 * - a failed run is retried after `retryMinutes`; runs never overlap.
 */

export interface SchedulerOptions {
  now: () => number;
  /** Run a scheduled backup (reject on failure). */
  run: () => Promise<unknown>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** The local day of an instant, 'YYYY-MM-DD' (default: this machine's time zone). */
  dayOf?: (ms: number) => string;
  everyHours?: number;
  retryMinutes?: number;
  /** When the newest scheduled backup was taken (from listBackups), if any. */
  lastRunAt?: number | null;
  /** Told about a failed run (the UI shows it; the next attempt is scheduled anyway). */
  onError?: (e: unknown) => void;
}

export const DEFAULT_EVERY_HOURS = 4;
export const DEFAULT_RETRY_MINUTES = 30;

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class BackupScheduler {
  private lastRunAt: number | null;
  /** Use accumulated since the last run, before the current session. */
  private usedMs = 0;
  private activeSince: number | null = null;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private retryAt: number | null = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (h: unknown) => void;
  private readonly dayOf: (ms: number) => string;
  private readonly everyMs: number;
  private readonly retryMs: number;

  constructor(private readonly o: SchedulerOptions) {
    this.lastRunAt = o.lastRunAt ?? null;
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.dayOf = o.dayOf ?? localDay;
    this.everyMs = (o.everyHours ?? DEFAULT_EVERY_HOURS) * 3600_000;
    this.retryMs = (o.retryMinutes ?? DEFAULT_RETRY_MINUTES) * 60_000;
  }

  get active(): boolean {
    return this.activeSince !== null;
  }

  /** Time of use since the last scheduled backup. */
  usedSinceLastRun(): number {
    return this.usedMs + (this.activeSince === null ? 0 : this.o.now() - this.activeSince);
  }

  /** Why a backup is due now, or null. */
  due(): 'first_of_day' | 'hours_of_use' | 'retry' | null {
    const now = this.o.now();
    if (this.retryAt !== null) return now >= this.retryAt ? 'retry' : null;
    if (this.lastRunAt === null || this.dayOf(this.lastRunAt) !== this.dayOf(now)) return 'first_of_day';
    if (this.usedSinceLastRun() >= this.everyMs) return 'hours_of_use';
    return null;
  }

  /** The instant the next check should happen (while active). */
  nextCheckAt(): number | null {
    if (this.activeSince === null) return null;
    const now = this.o.now();
    if (this.retryAt !== null) return this.retryAt;
    const byUse = now + Math.max(0, this.everyMs - this.usedSinceLastRun());
    return Math.min(byUse, this.nextMidnight(now));
  }

  /** The ledger was opened (log-in): count use from now, and back up at once if due. */
  start(): void {
    if (this.activeSince !== null) return;
    this.activeSince = this.o.now();
    this.tick();
  }

  /** The ledger was closed (last log-out, quit): stop counting use. */
  stop(): void {
    if (this.activeSince !== null) this.usedMs += this.o.now() - this.activeSince;
    this.activeSince = null;
    this.disarm();
  }

  /** A scheduled backup was taken by other means (counts as a run). */
  recordRun(at: number = this.o.now()): void {
    this.lastRunAt = at;
    this.usedMs = 0;
    this.retryAt = null;
    if (this.activeSince !== null) this.activeSince = at;
  }

  /** Check now: run if due, then arm the timer for the next check. Resolves when a run it started ends. */
  tick(): Promise<void> {
    if (this.activeSince === null) return Promise.resolve();
    if (this.running) return this.running;
    if (this.due() === null) {
      this.arm();
      return Promise.resolve();
    }
    this.disarm();
    this.running = this.o.run().then(
      () => {
        this.recordRun();
      },
      (e: unknown) => {
        this.retryAt = this.o.now() + this.retryMs;
        this.o.onError?.(e);
      },
    ).finally(() => {
      this.running = null;
      this.arm();
    });
    return this.running;
  }

  private arm(): void {
    this.disarm();
    const at = this.nextCheckAt();
    if (at === null) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.tick();
    }, Math.max(1000, at - this.o.now()));
  }

  private disarm(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  /** The first instant of the next local day (found by stepping: time zones need no table here). */
  private nextMidnight(now: number): number {
    const today = this.dayOf(now);
    let lo = now;
    let hi = now + 26 * 3600_000;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dayOf(mid) === today) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}
