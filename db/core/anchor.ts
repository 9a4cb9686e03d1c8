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
  | { ok: true; seq: number }
  | { ok: false; problem: 'anchor_forged' | 'tail_missing' | 'head_replaced'; anchoredSeq: number; ledgerSeq: number; message: string };

/** The current head, signed. */
export function anchorHead(ledger: Ledger, ledgerId: string, key: Buffer, clock: Clock): Anchor {
  const { lastAuditSeq: seq, lastAuditHash: hash } = ledger.state;
  return { seq, hash, at: new Date(clock.now()).toISOString(), mac: anchorMac(key, ledgerId, seq, hash) };
}

/**
 * Does the ledger still hold the anchored row, unchanged? (A ledger may be ahead of its anchor:
 * the anchor is written just after each commit.)
 */
export function checkAnchor(ledger: Ledger, ledgerId: string, key: Buffer, anchor: Anchor | null): AnchorVerdict {
  const ledgerSeq = ledger.state.lastAuditSeq;
  if (!anchor) return { ok: true, seq: 0 };
  if (anchorMac(key, ledgerId, anchor.seq, anchor.hash) !== anchor.mac) {
    return { ok: false, problem: 'anchor_forged', anchoredSeq: anchor.seq, ledgerSeq, message: '钥匙文件中的审计锚点校验失败：锚点被改动过。' };
  }
  if (anchor.seq === 0) return { ok: true, seq: 0 };
  const row = ledger.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(anchor.seq) as { hash: string } | undefined;
  if (!row) {
    return {
      ok: false, problem: 'tail_missing', anchoredSeq: anchor.seq, ledgerSeq,
      message: `审计记录缺少末尾部分：最后记录的审计序号为${anchor.seq}，台账中只有${ledgerSeq}条。台账可能被截断，或被替换为旧副本。`,
    };
  }
  if (row.hash !== anchor.hash) {
    return {
      ok: false, problem: 'head_replaced', anchoredSeq: anchor.seq, ledgerSeq,
      message: `第${anchor.seq}条审计记录与锚点不符：审计记录被改写，或台账被替换为其他副本。`,
    };
  }
  return { ok: true, seq: anchor.seq };
}
