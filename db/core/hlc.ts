/**
 * Hybrid logical clock (Kulkarni et al.): stamps that follow wall time but never go backwards
 * and order causally across offices. Encoded so that string order is stamp order:
 * 15-digit wall milliseconds, '-', 6-digit counter, '-', the office id as tie-breaker.
 */
export interface HlcState {
  wall: number;
  counter: number;
}

export function encodeHlc(s: HlcState, officeId: string): string {
  return `${String(s.wall).padStart(15, '0')}-${String(s.counter).padStart(6, '0')}-${officeId}`;
}

export function decodeHlc(stamp: string): HlcState & { officeId: string } {
  const m = /^(\d{15})-(\d{6})-(.+)$/.exec(stamp);
  if (!m) throw new Error(`bad HLC stamp: ${stamp}`);
  return { wall: Number(m[1]), counter: Number(m[2]), officeId: m[3]! };
}

/** Advance for a local event at physical time `now`. */
export function tickHlc(s: HlcState, now: number): HlcState {
  if (now > s.wall) return { wall: now, counter: 0 };
  return { wall: s.wall, counter: s.counter + 1 };
}

/** Advance on receiving a remote stamp (used by exchange import). */
export function receiveHlc(s: HlcState, remote: HlcState, now: number): HlcState {
  const wall = Math.max(s.wall, remote.wall, now);
  let counter = 0;
  if (wall === s.wall && wall === remote.wall) counter = Math.max(s.counter, remote.counter) + 1;
  else if (wall === s.wall) counter = s.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  return { wall, counter };
}
