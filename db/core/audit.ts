import { createHash } from 'node:crypto';
import type { ServiceContext } from './context.js';
import { GENESIS_HASH, type Ledger } from './open.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

interface StoredAudit {
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
}

/** The hash of one audit row: over every stored column except its own hash, in a fixed order. */
export function auditHash(r: Omit<StoredAudit, 'hash'>): string {
  const h = createHash('sha256');
  // Each field length-prefixed (null as '-'), so no two different rows hash the same input.
  for (const f of [r.seq, r.version, r.at, r.hlc, r.office_id, r.user_id, r.action, r.entity, r.entity_id, r.before, r.after, r.prev_hash]) {
    if (f === null) h.update('-;');
    else {
      const s = String(f);
      h.update(`${s.length}:`).update(s).update(';');
    }
  }
  return h.digest('hex');
}

const INSERT_SQL = `INSERT INTO audit_log (seq, version, at, hlc, office_id, user_id, action, entity,
  entity_id, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`;

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
  };
  const hash = auditHash(row);
  ctx.ledger
    .prepare(INSERT_SQL)
    .run(row.seq, row.version, row.at, row.hlc, row.office_id, row.user_id, row.action, row.entity,
      row.entity_id, row.before, row.after, row.prev_hash, hash);
  st.lastAuditSeq = row.seq;
  st.lastAuditHash = hash;
}

export type AuditVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAtSeq: number; problem: 'hash_mismatch' | 'chain_broken' | 'gap' };

/**
 * Walk the whole trail in order and name the first row that does not hold: its stored hash does
 * not match its content (the row was edited), its prev_hash is not the previous row's hash (a row
 * before it was removed or replaced), or its seq skips (rows removed at the end of a run).
 */
export function verifyAudit(ledger: Ledger): AuditVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  const it = ledger.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<StoredAudit>;
  for (const r of it) {
    rows++;
    if (r.seq !== expectedSeq) return { ok: false, rows, brokenAtSeq: r.seq, problem: 'gap' };
    if (r.prev_hash !== prev) return { ok: false, rows, brokenAtSeq: r.seq, problem: 'chain_broken' };
    const { hash, ...rest } = r;
    if (auditHash(rest) !== hash) return { ok: false, rows, brokenAtSeq: r.seq, problem: 'hash_mismatch' };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, rows };
}
