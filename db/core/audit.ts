import { hash } from 'node:crypto';
import type { ServiceContext } from './context.js';
import { GENESIS_HASH, type Ledger } from './open.js';
import { encodeHlc, tickHlc } from './hlc.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /**
   * The record's content hash after the change (write.ts rowHash): what db/core/verify.ts compares
   * the stored record with. Absent for events, which change no record.
   */
  rowHash?: string | null;
}

export interface StoredAudit {
  seq: number;
  version: number;
  at: string;
  hlc: string;
  office_id: string;
  user_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
  /** Absent on rows read from a ledger migrated before the column existed (never, after 0006). */
  row_hash?: string | null;
}

/**
 * The hash of one audit row: over every stored column except its own hash, in a fixed order.
 * `row_hash` (added later) is hashed only when present, so rows written before it keep their
 * hashes; the encoding is self-delimiting, so a row with it never hashes like one without.
 */
export function auditHash(r: Omit<StoredAudit, 'hash'>): string {
  const fields: Array<string | number | null> = [r.seq, r.version, r.at, r.hlc, r.office_id, r.user_id, r.action, r.entity, r.entity_id, r.before, r.after, r.prev_hash];
  if (r.row_hash !== null && r.row_hash !== undefined) fields.push(r.row_hash);
  // Each field length-prefixed (null as '-'), so no two different rows hash the same input. (One
  // string hashed once: the same bytes as feeding the pieces one by one, at a fraction of the calls.)
  let input = '';
  for (const f of fields) {
    if (f === null) input += '-;';
    else {
      const s = String(f);
      input += `${s.length}:${s};`;
    }
  }
  return hash('sha256', input);
}

const INSERT_SQL = `INSERT INTO audit_log (seq, version, at, hlc, office_id, user_id, action, entity,
  entity_id, before, after, prev_hash, hash, row_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

/**
 * Append one entry, chained to the previous one. Called by the write layer inside the same
 * transaction as the change it describes, with the version and HLC that change received.
 * The in-memory chain head only moves once the row is written; on rollback `rollbackState`
 * restores it (see write.ts).
 */
export function appendAudit(
  ctx: ServiceContext,
  e: AuditEntry,
  stamp: { version: number; hlc: string; at: string },
): void {
  const st = ctx.ledger.state;
  const row = {
    seq: st.lastAuditSeq + 1,
    version: stamp.version,
    at: stamp.at,
    hlc: stamp.hlc,
    office_id: st.officeId ?? 'unconfigured',
    user_id: ctx.user?.id ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId,
    before: e.before === null ? null : JSON.stringify(e.before),
    after: e.after === null ? null : JSON.stringify(e.after),
    prev_hash: st.lastAuditHash,
    row_hash: e.rowHash ?? null,
  };
  const hash = auditHash(row);
  ctx.ledger
    .prepare(INSERT_SQL)
    .run(row.seq, row.version, row.at, row.hlc, row.office_id, row.user_id, row.action, row.entity,
      row.entity_id, row.before, row.after, row.prev_hash, hash, row.row_hash);
  st.lastAuditSeq = row.seq;
  st.lastAuditHash = hash;
}

/**
 * An event that changes no record (log-in, lock, a read of a clue…): chained like any entry, at
 * the ledger's current version (it is not a change to replicate) and a fresh HLC tick.
 */
export function appendEvent(
  ctx: ServiceContext,
  e: { action: string; entity: string; entityId: string; detail: Record<string, unknown> | null },
): void {
  const st = ctx.ledger.state;
  const now = ctx.clock.now();
  st.hlc = tickHlc(st.hlc, now);
  appendAudit(ctx, { action: e.action, entity: e.entity, entityId: e.entityId, before: null, after: e.detail }, {
    version: st.version, hlc: encodeHlc(st.hlc, st.officeId ?? 'unconfigured'), at: new Date(now).toISOString(),
  });
}

export type AuditProblem = 'hash_mismatch' | 'chain_broken' | 'gap';
export type AuditVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAtSeq: number; problem: AuditProblem; expectedSeq: number };

/**
 * The chain check one row at a time, in seq order: verifyAudit runs it over the whole trail, and
 * db/core/verify.ts in slices. Names the first row that does not hold: its stored hash does not
 * match its content (the row was edited), its prev_hash is not the previous row's hash (a row
 * before it was removed or replaced), or its seq skips (rows removed; expectedSeq is the first
 * missing one). Rows cut off the end leave no trace here: the anchor (db/core/anchor.ts) shows them.
 */
export class AuditChainCheck {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  rows = 0;
  failure: Extract<AuditVerdict, { ok: false }> | null = null;

  /** False once a row failed (the rest of the trail is not checked). */
  next(r: StoredAudit): boolean {
    if (this.failure) return false;
    this.rows++;
    const fail = (problem: AuditProblem) => {
      this.failure = { ok: false, rows: this.rows, brokenAtSeq: r.seq, problem, expectedSeq: this.expectedSeq };
      return false;
    };
    if (r.seq !== this.expectedSeq) return fail('gap');
    if (r.prev_hash !== this.prev) return fail('chain_broken');
    const { hash, ...rest } = r;
    if (auditHash(rest) !== hash) return fail('hash_mismatch');
    this.prev = hash;
    this.expectedSeq++;
    return true;
  }

  verdict(): AuditVerdict {
    return this.failure ?? { ok: true, rows: this.rows };
  }
}

/** Walk the whole trail in order and name the first row that does not hold (see AuditChainCheck). */
export function verifyAudit(ledger: Ledger): AuditVerdict {
  const check = new AuditChainCheck();
  const it = ledger.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<StoredAudit>;
  for (const r of it) {
    if (!check.next(r)) {
      it.return?.();
      break;
    }
  }
  return check.verdict();
}
