import { defineCall } from '../core/call.js';
import { requirePermission } from '../core/permissions.js';
import * as f from '../domain/fields.js';

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
export const history = defineCall({ permission: 'ledger.read', arg: f.args({ entityId: f.id('记录') }) }, (ctx, a): HistoryEntry[] => {
  const rows = ctx.ledger.prepare(`
    SELECT a.seq, a.at, a.user_id, u.display_name, a.action, a.entity, a.before, a.after
    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity_id = ? ORDER BY a.seq`).all(a.entityId) as {
    seq: number; at: string; user_id: string | null; display_name: string | null; action: string; entity: string; before: string | null; after: string | null;
  }[];
  if (rows.some((r) => CLUE_ENTITIES.has(r.entity))) requirePermission(ctx, 'clue.read');
  return rows.map((r) => ({
    seq: r.seq, at: r.at, userId: r.user_id, userName: r.display_name, action: r.action, entity: r.entity,
    before: r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>),
    after: r.after === null ? null : (JSON.parse(r.after) as Record<string, unknown>),
  }));
});

export interface RecentEntry {
  seq: number;
  at: string;
  userName: string | null;
  action: string;
  entity: string;
  entityId: string;
  /** What the change is about, in a few words: a problem's description, a task's measures, a name. */
  subject: string | null;
  /** The record the UI opens for it: the problem or task it belongs to, or the round. */
  open: { kind: 'problem' | 'task' | 'round'; id: string } | null;
}

/** The ledger's own records (not accounts, settings or saved filters), for the home page's feed. */
const RECENT_ENTITIES = [
  'problems', 'tasks', 'progress_entries', 'evidence', 'closeouts', 'extension_requests', 'feedbacks', 'reports', 'rounds',
  'units', 'inspections', 'evaluations', 'accountability', 'suggestions', 'supervision_activities', 'petitions',
] as const;
const SUBJECT_FIELDS = ['description', 'measures', 'content', 'title', 'name', 'fileName', 'docNumber', 'summary', 'reason'] as const;

function subjectOf(o: Record<string, unknown> | null): string | null {
  if (!o) return null;
  for (const k of SUBJECT_FIELDS) {
    const x = o[k];
    if (typeof x === 'string' && x.trim() !== '') return x.length > 40 ? `${x.slice(0, 40)}…` : x;
  }
  return null;
}

function openOf(entity: string, id: string, o: Record<string, unknown> | null): RecentEntry['open'] {
  const str = (k: string) => (o && typeof o[k] === 'string' ? (o[k] as string) : null);
  if (entity === 'problems') return { kind: 'problem', id };
  if (entity === 'tasks') return { kind: 'task', id };
  if (entity === 'rounds') return { kind: 'round', id };
  if (entity === 'progress_entries' || entity === 'closeouts' || entity === 'extension_requests') {
    const t = str('taskId');
    return t ? { kind: 'task', id: t } : null;
  }
  if (entity === 'evidence') {
    const owner = str('ownerId');
    const type = str('ownerType');
    if (type === 'progress') {
      const t = str('taskId');
      return t ? { kind: 'task', id: t } : null;
    }
    return owner && (type === 'task' || type === 'problem') ? { kind: type, id: owner } : null;
  }
  return null;
}

/**
 * The latest changes to the ledger, newest first, from the audit trail (the home page's 最近动态).
 * Clue records and evidence of clues are left out: they are sensitive and have their own screen
 * for those with the right.
 */
export const recentActivity = defineCall({
  permission: 'ledger.read',
  // Absent: the latest 20.
  arg: f.v.nullish(f.args({ limit: f.optInt('条数', 1, 100) }), {}),
}, (ctx, a): RecentEntry[] => {
  const limit = a.limit ?? 20;
  const stmt = ctx.ledger.prepare(`
    SELECT a.seq, a.at, u.display_name, a.action, a.entity, a.entity_id, a.before, a.after
    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity IN (${RECENT_ENTITIES.map(() => '?').join(', ')}) AND a.seq < ?
      AND NOT (a.entity = 'evidence' AND (coalesce(json_extract(a.after, '$.ownerType'), '') = 'clue'
        OR coalesce(json_extract(a.before, '$.ownerType'), '') = 'clue'
        OR EXISTS (SELECT 1 FROM evidence e WHERE e.id = a.entity_id AND e.owner_type = 'clue')))
    ORDER BY a.seq DESC LIMIT ?`);
  type Raw = { seq: number; at: string; display_name: string | null; action: string; entity: string; entity_id: string; before: string | null; after: string | null };
  const out: RecentEntry[] = [];
  let below = Number.MAX_SAFE_INTEGER;
  // Bounded: after a large bulk change the newest rows may be mostly bookkeeping; the feed then
  // shows what it found within the last few thousand rows.
  for (let round = 0; round < 50 && out.length < limit; round++) {
    const rows = stmt.all(...RECENT_ENTITIES, below, limit * 2) as Raw[];
    if (rows.length === 0) break;
    for (const r of rows) {
      below = r.seq;
      const after = r.after === null ? {} : (JSON.parse(r.after) as Record<string, unknown>);
      if (isBookkeeping(r.entity, r.action, after)) continue;
      // An update's audit row holds the changed fields only: what is missing is read from the record.
      const merged = { ...(r.before === null ? {} : (JSON.parse(r.before) as Record<string, unknown>)), ...after };
      const stored = LOOKUP[r.entity];
      const row = stored && (subjectOf(merged) === null || openOf(r.entity, r.entity_id, merged) === null)
        ? (ctx.ledger.prepare(stored).get(r.entity_id) as Record<string, unknown> | undefined) : undefined;
      const full = row ? { ...row, ...merged } : merged;
      out.push({
        seq: r.seq, at: r.at, userName: r.display_name, action: r.action, entity: r.entity, entityId: r.entity_id,
        subject: subjectOf(full), open: openOf(r.entity, r.entity_id, full),
      });
      if (out.length === limit) break;
    }
  }
  return out;
});

/** Updates the engine makes on its own (roll-ups, revision counters) are not news. */
const BOOKKEEPING: Record<string, Set<string>> = {
  tasks: new Set(['materialRevision']),
  problems: new Set(['status', 'deadline', 'taskCount', 'closedTaskCount']),
};
function isBookkeeping(entity: string, action: string, after: Record<string, unknown>): boolean {
  const keys = BOOKKEEPING[entity];
  return action === 'update' && keys !== undefined && Object.keys(after).every((k) => keys.has(k));
}

/** The fields the feed needs, read from the record itself when its audit row lacks them. */
const LOOKUP: Record<string, string> = {
  problems: 'SELECT description FROM problems WHERE id = ?',
  tasks: 'SELECT measures FROM tasks WHERE id = ?',
  progress_entries: 'SELECT task_id AS taskId, content FROM progress_entries WHERE id = ?',
  closeouts: 'SELECT task_id AS taskId FROM closeouts WHERE id = ?',
  extension_requests: 'SELECT task_id AS taskId, reason FROM extension_requests WHERE id = ?',
  evidence: `SELECT e.owner_type AS ownerType, e.owner_id AS ownerId, e.file_name AS fileName, pe.task_id AS taskId
    FROM evidence e LEFT JOIN progress_entries pe ON e.owner_type = 'progress' AND pe.id = e.owner_id WHERE e.id = ?`,
  rounds: 'SELECT name FROM rounds WHERE id = ?',
  units: 'SELECT name FROM units WHERE id = ?',
  inspections: 'SELECT u.name AS name FROM inspections i JOIN units u ON u.id = i.unit_id WHERE i.id = ?',
  reports: 'SELECT title FROM reports WHERE id = ?',
};
