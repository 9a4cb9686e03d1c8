import type { ServiceContext } from '../core/context.js';
import { defineCall } from '../core/call.js';
import * as f from '../domain/fields.js';
import { checkedOptions, optionFields, RED_FLAG_KINDS, type FlagList, type RedFlagKind, type RedFlagOptions } from './red-flags/common.js';
import { closedWithoutEvidenceQuery, type ClosedWithoutEvidence } from './red-flags/closed-without-evidence.js';
import { evidenceAfterDeadlineQuery, type EvidenceAfterDeadline } from './red-flags/evidence-after-deadline.js';
import { evidenceReusedQuery, type ReusedEvidence } from './red-flags/evidence-reused.js';
import { lateButOnTimeQuery, type LateButOnTime } from './red-flags/late-but-on-time.js';
import { massClosureQuery, type MassClosure } from './red-flags/mass-closure.js';
import { reboundQuery, type Rebound } from './red-flags/rebound.js';
import { repeatedReturnsQuery, type RepeatedReturns } from './red-flags/repeated-returns.js';

/**
 * Signs of fake rectification (虚假整改, DOMAIN.md "Signs of fake rectification worth flagging"),
 * one SQL query each, except the rebound check, which is a text-similarity join run per unit
 * (see red-flags/text-similarity.ts). A flag is a reason to look, not a finding: every item carries the evidence
 * that raised it so a reviewer can judge. Only live records count (see aggregates.ts: a task
 * counts while it and its problem are live; merged tasks are tombstoned by the task service).
 *
 * Several queries pin their join order (CROSS JOIN, unary +): a fresh ledger has no statistics,
 * and SQLite's guesses would otherwise start from the evidence table on a round's list.
 */

export {
  DEFAULTS, RED_FLAG_KINDS, RED_FLAG_LABELS, type FlagList, type RedFlagKind, type RedFlagOptions, type TaskRef,
} from './red-flags/common.js';
export { closedWithoutEvidence, type ClosedWithoutEvidence } from './red-flags/closed-without-evidence.js';
export { evidenceReused, type ReusedEvidence } from './red-flags/evidence-reused.js';
export { lateButOnTime, type LateButOnTime } from './red-flags/late-but-on-time.js';
export { evidenceAfterDeadline, type EvidenceAfterDeadline } from './red-flags/evidence-after-deadline.js';
export { massClosure, type MassClosure } from './red-flags/mass-closure.js';
export { rebound, type Rebound } from './red-flags/rebound.js';
export { repeatedReturns, type RepeatedReturns } from './red-flags/repeated-returns.js';
export { normaliseText, similarPairs, textSimilarity, type HistoryText } from './red-flags/text-similarity.js';

// ---------------------------------------------------------------------------------------------
// All flags

type AnyFlag =
  | FlagList<ClosedWithoutEvidence> | FlagList<ReusedEvidence> | FlagList<LateButOnTime> | FlagList<EvidenceAfterDeadline>
  | FlagList<MassClosure> | FlagList<Rebound> | FlagList<RepeatedReturns>;

const QUERIES: Record<RedFlagKind, (ctx: ServiceContext, o: RedFlagOptions) => AnyFlag> = {
  closed_without_evidence: closedWithoutEvidenceQuery,
  evidence_reused: evidenceReusedQuery,
  late_but_on_time: lateButOnTimeQuery,
  evidence_after_deadline: evidenceAfterDeadlineQuery,
  mass_closure: massClosureQuery,
  rebound: reboundQuery,
  repeated_returns: repeatedReturnsQuery,
};

export interface RedFlagReport {
  roundId: string | null;
  unitId: string | null;
  /** In the order of RED_FLAG_KINDS, only the kinds asked for. */
  flags: AnyFlag[];
  /** Sum of the counts. */
  total: number;
}

/**
 * Every sign of fake rectification (or the `kinds` asked for) in one call, each with its full
 * count and its first `limit` items.
 */
export const listRedFlags = defineCall({
  permission: 'ledger.read',
  arg: f.args({
    /** Absent or null: every kind. */
    kinds: f.v.nullish(f.nonEmptyList(f.v.picklist(RED_FLAG_KINDS, '疑点类型的取值无效。'), '要检查的疑点类型', RED_FLAG_KINDS.length)),
    ...optionFields,
  }),
}, (ctx, a): RedFlagReport => {
  const asked = a.kinds;
  const kinds = asked ? RED_FLAG_KINDS.filter((k) => asked.includes(k)) : RED_FLAG_KINDS;
  const o = checkedOptions(ctx, a);
  const flags = kinds.map((k) => QUERIES[k](ctx, o));
  return { roundId: o.scope.roundId, unitId: o.scope.unitId, flags, total: flags.reduce((n, fl) => n + fl.count, 0) };
});
