import type { ServiceContext } from '../../core/context.js';
import { scopeWhere } from '../scope.js';
import { detectorCall, excerpt, RED_FLAG_LABELS, type FlagList, type ProblemRef, type RedFlagOptions } from './common.js';
import { similarPairs, textSimilarity } from './text-similarity.js';

// Red flag (e): 问题反弹

export interface Rebound extends ProblemRef {
  earlierProblemId: string;
  earlierRoundId: string | null;
  earlierRoundName: string | null;
  earlierExcerpt: string;
  earlierStatus: string;
  /** 'linked': the problem says so (reboundOfId); otherwise found by its text. */
  match: 'linked' | 'identical' | 'similar';
  similarity: number;
}

/** Rounds in time order: feedback date, else entry/mobilisation/creation; the id breaks ties. */
const ROUND_ORDER = `coalesce(feedback_on, entered_on, mobilised_on, substr(created_at, 1, 10)) || ' ' || id`;

export function reboundQuery(ctx: ServiceContext, o: RedFlagOptions): FlagList<Rebound> {
  const ords = new Map((ctx.ledger.prepare(`SELECT id, ${ROUND_ORDER} AS ord FROM rounds`).all() as { id: string; ord: string }[])
    .map((r) => [r.id, r.ord]));
  const w = scopeWhere(o.scope, 'round_id', 'unit_id');
  const unitIds = o.scope.unitId
    ? [o.scope.unitId]
    : (ctx.ledger.prepare(`SELECT DISTINCT unit_id AS id FROM problems WHERE deleted_at IS NULL${w.sql}`).all(...w.params) as { id: string }[]).map((r) => r.id);
  // One unit at a time: a rebound never crosses units, and memory stays bounded by one unit's history.
  const perUnit = ctx.ledger.prepare(
    'SELECT id, round_id AS roundId, description FROM problems WHERE unit_id = ? AND deleted_at IS NULL AND round_id IS NOT NULL',
  );
  const found = new Map<string, { eid: string; sim: number; linked: boolean }>();
  for (const unitId of unitIds) {
    const rows = perUnit.all(unitId) as { id: string; roundId: string; description: string }[];
    const history = rows.filter((r) => ords.has(r.roundId)).map((r) => ({
      id: r.id, ord: ords.get(r.roundId)!, later: !o.scope.roundId || r.roundId === o.scope.roundId, text: r.description,
    }));
    for (const [pid, m] of similarPairs(history, o.minSimilarity)) found.set(pid, { eid: m.eid, sim: m.sim, linked: false });
  }
  // Problems the ledger itself links to an earlier one: flagged whatever their wording.
  const linked = ctx.ledger.prepare(
    `SELECT l.id AS pid, l.description AS a, e.id AS eid, e.description AS b FROM problems l JOIN problems e ON e.id = l.rebound_of_id
     WHERE l.deleted_at IS NULL${scopeWhere(o.scope, 'l.round_id', 'l.unit_id').sql}`,
  ).all(...w.params) as { pid: string; a: string; eid: string; b: string }[];
  for (const l of linked) found.set(l.pid, { eid: l.eid, sim: textSimilarity(l.a, l.b), linked: true });

  const ranked = [...found].sort(([p, a], [q, b]) => b.sim - a.sim || (p < q ? -1 : p > q ? 1 : 0)).slice(0, o.limit);
  const pairs = JSON.stringify(ranked.map(([pid, m]) => ({ pid, eid: m.eid, sim: m.sim, linked: m.linked ? 1 : 0 })));
  const items = ctx.ledger.prepare(
    `SELECT p.id AS problemId, p.seq AS problemSeq, p.unit_id AS unitId, u.name AS unitName,
       p.round_id AS roundId, r.name AS roundName, ${excerpt('p.description')} AS excerpt,
       e.id AS earlierProblemId, e.round_id AS earlierRoundId, er.name AS earlierRoundName,
       ${excerpt('e.description')} AS earlierExcerpt, e.status AS earlierStatus,
       json_extract(j.value, '$.linked') AS linked, json_extract(j.value, '$.sim') AS similarity
     FROM json_each(?) j
     JOIN problems p ON p.id = json_extract(j.value, '$.pid') JOIN problems e ON e.id = json_extract(j.value, '$.eid')
     JOIN units u ON u.id = p.unit_id LEFT JOIN rounds r ON r.id = p.round_id LEFT JOIN rounds er ON er.id = e.round_id
     ORDER BY j.key`,
  ).all(pairs) as (Omit<Rebound, 'match'> & { linked: number })[];
  return {
    kind: 'rebound', label: RED_FLAG_LABELS.rebound, count: found.size,
    items: items.map(({ linked: isLinked, ...r }) => ({
      ...r,
      match: isLinked ? 'linked' : r.similarity >= 1 ? 'identical' : 'similar',
      similarity: Math.round(r.similarity * 1000) / 1000,
    })),
  };
}

/**
 * 问题反弹: a problem of a later round (or 回头看) in the same unit whose description is the same
 * or nearly the same (textSimilarity >= minSimilarity, default 0.8) as a problem of an earlier
 * round, or one the ledger links to an earlier problem (reboundOfId). One item per later problem,
 * with its best match; `earlierStatus` shows whether the earlier one had been closed out (the
 * worst case: closed, and back). "Later" is by the rounds' feedback dates, not by record order.
 *
 * Candidates come from the same unit's own history (index on unit_id), not from problems_fts:
 * a trigram of the stock phrases of feedback matches a large part of any ledger, whereas a unit's
 * history is small and the prefix filter (similarPairs) compares only texts sharing a rare bigram.
 */
export const rebound = detectorCall(reboundQuery);
