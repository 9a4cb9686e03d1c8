import type { ServiceContext } from '../context.js';
import { requirePermission } from '../permissions.js';
import * as v from '../validate.js';

export interface HistoryEntry {
  seq: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  entity: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Entities whose history is itself sensitive (问题线索): shown only with the clue right. */
const CLUE_ENTITIES = new Set(['clues', 'clue_dispositions']);

/** The full change history of one record, oldest first, from the audit trail. */
export function history(ctx: ServiceContext, raw: unknown): HistoryEntry[] {
  requirePermission(ctx, 'ledger.read');
  const i = v.object(raw);
  const entityId = v.id(i.entityId, 'entityId', '记录');
  const rows = ctx.ledger.prepare(`
    SELECT a.seq, a.at, a.user_id, u.display_name, a.action, a.entity, a.before, a.after
    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity_id = ? ORDER BY a.seq`).all(entityId) as {
    seq: number; at: string; user_id: string | null; display_name: string | null; action: string; entity: string; before: string | null; after: string | null;
  }[];
  if (rows.some((r) => CLUE_ENTITIES.has(r.entity))) requirePermission(ctx, 'clue.read');
  return rows.map((r) => ({
    seq: r.seq, at: r.at, userId: r.user_id, userName: r.display_name, action: r.action, entity: r.entity,
    before: r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>),
    after: r.after === null ? null : (JSON.parse(r.after) as Record<string, unknown>),
  }));
}
