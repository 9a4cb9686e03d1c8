/**
 * Per-field clocks for exchange (EXCHANGE.md 2, 3 and 5; docs/exchange-format.md "Merge").
 *
 * Every field of a replicated record is a multi-value register under version vectors:
 * - a version of a field is (value, clock); the clock is a version vector, written as the sorted
 *   list of the newest HLC stamp seen from each office for this field (an HLC stamp names its
 *   office: db/core/hlc.ts), e.g. ["…-01935…-<unit office>", "…-<discipline office>"];
 * - a local write's clock is the join of the clocks of every value it replaces plus the writer's
 *   new stamp, so it dominates them all;
 * - a field holds the set of its versions that no other version dominates (its heads). One head:
 *   that value. Several: a conflict (两处同时修改): every head is kept, the shown value is the head
 *   with the greatest own stamp (the same on every replica), and the record is flagged until a
 *   person resolves it, with a write whose clock joins all heads.
 * The set of heads is a function of the set of versions received, whatever their order and however
 * often each arrives (the maximal antichain of a partial order): replicas that have seen the same
 * changes hold the same values. A missing intermediate version does not fake a conflict: a later
 * clock carries the entries of everything its writer had seen.
 * Pure: the ledger side (storing clocks beside records, applying a package) builds on this.
 */

/** A version vector: the newest HLC stamp per office, sorted, at most one per office. */
export type Clock = readonly string[];

export interface Version<V = unknown> {
  value: V;
  clock: Clock;
  /** The stamp of the write that made this version (its own entry in `clock`). */
  stamp: string;
}

const officeOf = (stamp: string): string => stamp.slice(stamp.indexOf('-', stamp.indexOf('-') + 1) + 1);

function toMap(c: Clock): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of c) {
    const o = officeOf(s);
    const prev = m.get(o);
    if (prev === undefined || s > prev) m.set(o, s);
  }
  return m;
}

function fromMap(m: Map<string, string>): Clock {
  return [...m.values()].sort();
}

/** A clock in normal form (one stamp per office, the newest; sorted). */
export function normalise(c: Clock): Clock {
  return fromMap(toMap(c));
}

/** The least clock that dominates both. */
export function join(...clocks: Clock[]): Clock {
  const m = new Map<string, string>();
  for (const c of clocks) {
    for (const [o, s] of toMap(c)) {
      const prev = m.get(o);
      if (prev === undefined || s > prev) m.set(o, s);
    }
  }
  return fromMap(m);
}

/** a ≤ b: b has seen everything a has (every office's entry of a is at most b's). */
export function dominatedBy(a: Clock, b: Clock): boolean {
  const mb = toMap(b);
  for (const [o, s] of toMap(a)) {
    const t = mb.get(o);
    if (t === undefined || t < s) return false;
  }
  return true;
}

export function sameClock(a: Clock, b: Clock): boolean {
  return dominatedBy(a, b) && dominatedBy(b, a);
}

/** The clock of a local write that replaces `heads`: their join plus the writer's new stamp. */
export function nextClock(heads: readonly Version[], stamp: string): Clock {
  return join(...heads.map((h) => h.clock), [stamp]);
}

/**
 * The heads after `incoming` arrives: the versions no other version dominates. A version equal to
 * one already held (a duplicate) or dominated by one (an older change) changes nothing. Returns
 * the same array when nothing changed, so callers can skip a write.
 */
export function receive<V>(heads: readonly Version<V>[], incoming: Version<V>): readonly Version<V>[] {
  if (heads.some((h) => dominatedBy(incoming.clock, h.clock))) return heads;
  return [...heads.filter((h) => !dominatedBy(h.clock, incoming.clock)), incoming].sort(byStamp);
}

/** Heads in a fixed order: the shown value last (the greatest stamp). */
function byStamp(a: Version, b: Version): number {
  return a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0;
}

/** The stamp of the write that made a version: the greatest entry of its clock (HLC stamps sort). */
export function stampOf(c: Clock): string {
  return c.reduce((a, b) => (b > a ? b : a), '');
}

/** The value every replica shows for these heads: the head with the greatest stamp. */
export function shown<V>(heads: readonly Version<V>[]): Version<V> | undefined {
  return heads.reduce<Version<V> | undefined>((best, h) => (best === undefined || h.stamp > best.stamp ? h : best), undefined);
}

export function inConflict(heads: readonly Version[]): boolean {
  return heads.length > 1;
}
