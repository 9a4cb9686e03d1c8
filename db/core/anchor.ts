/**
 * The audit chain's anchor: the chain head (sequence number and hash) written to the key file
 * after every call that wrote, with an HMAC under a key derived from the data key
 * (db/core/keystore.ts anchorKey). The chain alone shows edits and removals in its middle; the
 * anchor shows what the chain cannot: its newest rows cut off, or an older copy of the ledger file
 * put back in place of the current one.
 */
import type { Clock } from './clock.js';
import { anchorMac, type Anchor } from './keystore.js';
import type { Ledger } from './open.js';

export type AnchorVerdict =
  | {
    ok: true;
    seq: number;
    /**
     * Audit rows after the anchored one at the time of the check (0 when the anchor is the head).
     * The host writes the anchor right after each commit, so at open this is 0 unless the app
     * stopped between a commit and the key-file write — or rows were appended outside the app
     * (their chain needs no key): worth a warning, not proof (db/core/verify.ts words it).
     */
    unanchored: number;
  }
  | { ok: false; problem: 'anchor_forged' | 'tail_missing' | 'head_replaced'; anchoredSeq: number; ledgerSeq: number; message: string };

/** The current head, signed. */
export function anchorHead(ledger: Ledger, ledgerId: string, key: Buffer, clock: Clock): Anchor {
  const { lastAuditSeq: seq, lastAuditHash: hash } = ledger.state;
  return { seq, hash, at: new Date(clock.now()).toISOString(), mac: anchorMac(key, ledgerId, seq, hash) };
}

/**
 * Does the ledger still hold the anchored row, unchanged? Catches, with the chain check
 * (verifyAudit):
 * - the newest rows deleted, or an older copy of the file put back: the anchored row is gone
 *   (tail_missing);
 * - any row up to the anchored one edited, forged or removed and every later hash recomputed (the
 *   chain then holds, but its head is not the anchored hash: head_replaced) — the anchor's MAC
 *   needs the data key, so it cannot be moved to the forged head;
 * - the anchor itself edited (anchor_forged).
 * A ledger may be ahead of its anchor (see `unanchored`). `headSeq`: the head to count unanchored
 * rows up to (default: the ledger's head when it was opened, ledger.state).
 */
export function checkAnchor(ledger: Ledger, ledgerId: string, key: Buffer, anchor: Anchor | null, headSeq?: number): AnchorVerdict {
  const ledgerSeq = ledger.state.lastAuditSeq;
  const head = headSeq ?? ledgerSeq;
  if (!anchor) return { ok: true, seq: 0, unanchored: Math.max(0, head) };
  if (anchorMac(key, ledgerId, anchor.seq, anchor.hash) !== anchor.mac) {
    return { ok: false, problem: 'anchor_forged', anchoredSeq: anchor.seq, ledgerSeq, message: '钥匙文件中的审计锚点校验失败：锚点被改动过。' };
  }
  if (anchor.seq === 0) return { ok: true, seq: 0, unanchored: Math.max(0, head) };
  const row = ledger.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(anchor.seq) as { hash: string } | undefined;
  if (!row) {
    const present = (ledger.sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
    return {
      ok: false, problem: 'tail_missing', anchoredSeq: anchor.seq, ledgerSeq: present,
      message: `审计记录缺少末尾部分：钥匙文件记载最后一条审计记录为第${anchor.seq}条，台账中只到第${present}条（第${present + 1}至${anchor.seq}条缺失）。台账可能被截断，或被替换为旧副本。`,
    };
  }
  if (row.hash !== anchor.hash) {
    return {
      ok: false, problem: 'head_replaced', anchoredSeq: anchor.seq, ledgerSeq,
      message: `第${anchor.seq}条审计记录与钥匙文件中的锚点不符：第${anchor.seq}条及之前的审计记录被改写后重新计算过哈希，或台账被替换为其他副本。`,
    };
  }
  return { ok: true, seq: anchor.seq, unanchored: Math.max(0, head - anchor.seq) };
}
