/**
 * Text similarity of problem descriptions, for the rebound check (问题反弹): normalisation,
 * character-bigram Dice similarity, and a similarity join with prefix filtering over one unit's
 * history. Pure: no SQL.
 */

/** NFKC, lower case, and no whitespace, punctuation or symbols: wording, not layout. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * A text's character bigrams as a sorted array of distinct numeric tokens: bigram (c1, c2) is
 * c1·2²¹ + c2 (code points have 21 bits), times 64 plus its occurrence number, so the k-th
 * occurrence of a bigram is its own token and set operations on tokens are multiset operations
 * on bigrams. Numbers, not strings: hashing and comparing them is what the similarity join does
 * most (a bigram repeated more than 63 times in one text counts 63 times).
 */
function bigramTokens(norm: string): Float64Array {
  const cps: number[] = [];
  for (let k = 0; k < norm.length; k++) {
    const c = norm.codePointAt(k)!;
    cps.push(c);
    if (c > 0xffff) k++;
  }
  const out = new Float64Array(Math.max(0, cps.length - 1));
  for (let k = 0; k + 1 < cps.length; k++) out[k] = cps[k]! * 2097152 + cps[k + 1]!;
  out.sort();
  // Number the occurrences within each run of equal bigrams (sorting keeps the result sorted).
  for (let k = 0, run = 0; k < out.length; k++) {
    run = k > 0 && Math.floor(out[k - 1]! / 64) === out[k] ? Math.min(run + 1, 63) : 1;
    out[k] = out[k]! * 64 + run;
  }
  let m = 0;
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[m - 1]) out[m++] = out[k]!;
  return out.subarray(0, m);
}

/** 2·|a ∩ b| / (|a| + |b|) of two sorted arrays of distinct tokens. */
function dice(a: Float64Array | Int32Array, b: Float64Array | Int32Array): number {
  if (a.length + b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Similarity of two problem descriptions: the Dice coefficient of their character-bigram
 * multisets after normalisation (2·shared bigrams / all bigrams). Bigrams suit Chinese, whose
 * words are mostly two characters; 1 means the same wording, 0.8 (the default threshold) keeps
 * rewordings of a phrase or two and drops problems that merely share the stock phrases.
 */
export function textSimilarity(a: string, b: string): number {
  const na = normaliseText(a);
  const nb = normaliseText(b);
  if (na !== '' && na === nb) return 1;
  return dice(bigramTokens(na), bigramTokens(nb));
}

/** One problem of a unit's history, as the similarity join sees it. */
export interface HistoryText {
  id: string;
  /** Sort key of its round (later rounds sort higher). */
  ord: string;
  /** In scope: looked at as a possible rebound (everything else only as an earlier problem). */
  later: boolean;
  text: string;
}

interface Doc extends Omit<HistoryText, 'text'> {
  norm: string;
  /** Its tokens as ranks in the unit's rarity order, ascending: the rarest come first. */
  ranks: Int32Array;
  /** How many of the first ranks any match above the threshold must share one of. */
  prefix: number;
}

/**
 * Pairs (later problem in scope, earlier problem of the same unit in an earlier round) with
 * similarity >= t, best earlier match per later problem. A similarity join with prefix
 * filtering (Chaudhuri et al. 2006; Xiao et al., PPJoin, 2008): Dice >= t needs an overlap of
 * at least t·|x|/(2−t) tokens, so two such texts must share one of the |x| − ⌈t·|x|/(2−t)⌉ + 1
 * rarest tokens of each; only pairs sharing a rare token are compared. The common phrases of
 * feedback (落实, 不到位, 整改…) never make a candidate by themselves, so the cost stays close to
 * linear in a unit's problems instead of quadratic.
 */
export function similarPairs(history: readonly HistoryText[], t: number): Map<string, { eid: string; ord: string; sim: number }> {
  const norms = history.map((h) => normaliseText(h.text));
  const tokens = norms.map(bigramTokens);
  // Rarity order: tokens by document frequency, then by value. Rank = position in that order,
  // so each text's ranks sorted ascending start with its rarest tokens (and Dice on ranks equals
  // Dice on tokens: the ranking is one-to-one). Sorting typed arrays, no hashing: this is the
  // inner loop of the join.
  let total = 0;
  for (const ts of tokens) total += ts.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const ts of tokens) {
    all.set(ts, at);
    at += ts.length;
  }
  all.sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < all.length; k++) {
    if (k > 0 && all[k] === all[k - 1]) counts[counts.length - 1]!++;
    else {
      distinct.push(all[k]!);
      counts.push(1);
    }
  }
  const byCount: number[][] = [];
  counts.forEach((n, u) => (byCount[n] ??= []).push(u));
  const rankOf = new Int32Array(distinct.length);
  let next = 0;
  for (const us of byCount) for (const u of us ?? []) rankOf[u] = next++;
  const rankOfToken = (g: number): number => {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < g) lo = mid + 1;
      else hi = mid;
    }
    return rankOf[lo]!;
  };
  const need = (n: number) => Math.ceil((t * n) / (2 - t) - 1e-9);
  const docs: Doc[] = history.map((h, i) => {
    const ts = tokens[i]!;
    const ranks = new Int32Array(ts.length);
    for (let k = 0; k < ts.length; k++) ranks[k] = rankOfToken(ts[k]!);
    ranks.sort();
    return { id: h.id, ord: h.ord, later: h.later, norm: norms[i]!, ranks, prefix: Math.min(ranks.length, ranks.length - need(ranks.length) + 1) };
  });
  // Inverted index of prefix tokens, packed (rank r's texts are postings[start[r]..start[r+1]]):
  // one array per distinct token would be tens of thousands of small arrays per unit.
  const start = new Int32Array(distinct.length + 1);
  for (const d of docs) for (let i = 0; i < d.prefix; i++) start[d.ranks[i]! + 1]!++;
  for (let r = 0; r < distinct.length; r++) start[r + 1]! += start[r]!;
  const postings = new Int32Array(start[distinct.length]!);
  const fill = start.slice(0, distinct.length);
  docs.forEach((d, k) => {
    for (let i = 0; i < d.prefix; i++) postings[fill[d.ranks[i]!]!++] = k;
  });
  // A one-character text has no bigram: such texts can only match by being the same.
  const short = new Map<string, number[]>();
  docs.forEach((d, k) => {
    if (d.ranks.length > 0 || d.norm === '') return;
    let list = short.get(d.norm);
    if (!list) short.set(d.norm, (list = []));
    list.push(k);
  });

  const best = new Map<string, { eid: string; ord: string; sim: number }>();
  const seenBy = new Int32Array(docs.length).fill(-1);
  const consider = (xk: number, yk: number) => {
    const x = docs[xk]!;
    const y = docs[yk]!;
    if (seenBy[yk] === xk || y.ord >= x.ord) return;
    seenBy[yk] = xk;
    const sim = x.ranks.length > 0 ? dice(x.ranks, y.ranks) : 1;
    if (sim < t) return;
    const cur = best.get(x.id);
    // Best match; on a tie the most recent earlier round, then the id, so results are stable.
    if (!cur || sim > cur.sim || (sim === cur.sim && (y.ord > cur.ord || (y.ord === cur.ord && y.id > cur.eid)))) {
      best.set(x.id, { eid: y.id, ord: y.ord, sim });
    }
  };
  docs.forEach((x, xk) => {
    if (!x.later) return;
    if (x.ranks.length === 0) {
      for (const yk of short.get(x.norm) ?? []) consider(xk, yk);
      return;
    }
    for (let i = 0; i < x.prefix; i++) {
      const r = x.ranks[i]!;
      for (let p = start[r]!; p < start[r + 1]!; p++) consider(xk, postings[p]!);
    }
  });
  return best;
}
