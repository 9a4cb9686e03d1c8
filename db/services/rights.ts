import { and, desc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineCall, defineQuery } from '../core/call.js';
import { conflict, forbidden } from '../domain/errors.js';
import { can } from '../core/permissions.js';
import * as f from '../domain/fields.js';
import type { ClueGrantStatus } from '../domain/permissions.js';
import type { Role } from '../domain/enums.js';
import { clueGrants, users } from '../schema/index.js';
import { getRow, insertRow, requireRow, updateRow, type Row } from '../core/write.js';

/**
 * 问题线索查看权限 (users.canViewClues) takes two people (the security review's finding: an
 * administrator could give themself the clue right):
 * - a 管理员 proposes it for another user with a reason (grantClue → a pending clue_grants row);
 * - a 负责人 who is neither the proposer nor the grantee confirms it (confirmClue): only then is
 *   canViewClues set, through updateRow, so the change is in the audit trail; or rejects it
 *   (rejectClue; the proposer may withdraw their own proposal the same way);
 * - withdrawing a right takes one person, a 管理员 or a 负责人 (revokeClue), at once.
 * Nobody proposes, confirms or revokes their own right. The rights report lists who holds the
 * right since when, proposed and confirmed by whom, the pending proposals and the history.
 */

export type ClueGrant = Row<typeof clueGrants>;
type User = Row<typeof users>;

const now = (ctx: ServiceContext) => new Date(ctx.clock.now()).toISOString();

function liveUser(ctx: ServiceContext, id: string, field: string): User {
  return requireRow(ctx, users, id, '用户', field);
}

function pendingGrantOf(ctx: ServiceContext, userId: string): ClueGrant | undefined {
  return ctx.ledger.orm.select().from(clueGrants)
    .where(and(eq(clueGrants.userId, userId), eq(clueGrants.status, 'pending'))).get();
}

/** The proposal that gave a user the right they hold now (confirmed, not revoked), if any. */
function confirmedGrantOf(ctx: ServiceContext, userId: string): ClueGrant | undefined {
  return ctx.ledger.orm.select().from(clueGrants)
    .where(and(eq(clueGrants.userId, userId), eq(clueGrants.status, 'confirmed')))
    .orderBy(desc(clueGrants.decidedAt), desc(clueGrants.id)).get();
}

function pendingGrant(ctx: ServiceContext, id: string): ClueGrant {
  const g = requireRow(ctx, clueGrants, id, '权限申请', 'grantId');
  if (g.status !== 'pending') throw conflict('该权限申请已经办结，不能再确认或驳回。', 'not_pending');
  return g;
}

const reasonField = (label: string) => f.text(label, f.LEN.short);

/** 提请授予: a 管理员 proposes the clue right for another user; it takes effect once a 负责人 confirms. */
export const grantClue = defineCall({
  permission: 'rights.grant',
  arg: f.args({ userId: f.id('用户'), reason: reasonField('授权理由') }),
}, (ctx, a): ClueGrant => {
  const actor = ctx.user!;
  const u = liveUser(ctx, a.userId, 'userId');
  if (u.id === actor.id) throw forbidden('不能为自己提请问题线索查看权限，须由其他管理员提请。', 'self_change');
  if (!u.active) throw conflict('该账号已停用，不能授予问题线索查看权限。', 'inactive');
  if (u.canViewClues) throw conflict('该用户已有问题线索查看权限。', 'already_granted');
  if (pendingGrantOf(ctx, u.id)) throw conflict('该用户已有一项待负责人确认的授权申请。', 'already_pending');
  return inTransaction(ctx, () => insertRow(ctx, clueGrants, {
    userId: u.id, status: 'pending', reason: a.reason, grantedBy: actor.id, grantedAt: now(ctx),
    decidedBy: null, decidedAt: null, decisionNote: null, revokedBy: null, revokedAt: null, revokeReason: null,
  }, { action: 'clue_right_proposed' }));
});

/** 确认: a 负责人 other than the proposer and the grantee makes a proposal effective. */
export const confirmClue = defineCall({
  permission: 'rights.confirm',
  arg: f.args({ grantId: f.id('权限申请'), note: f.optText('确认意见', f.LEN.short) }),
}, (ctx, a): ClueGrant => {
  const actor = ctx.user!;
  const g = pendingGrant(ctx, a.grantId);
  if (g.userId === actor.id) throw forbidden('不能确认授予自己的问题线索查看权限。', 'self_change');
  if (g.grantedBy === actor.id) throw forbidden('提请人不能自己确认，须由另一名负责人确认（两人办理）。', 'same_person');
  const u = liveUser(ctx, g.userId, 'grantId');
  if (!u.active) throw conflict('该账号已停用，不能授予问题线索查看权限。', 'inactive');
  if (u.canViewClues) throw conflict('该用户已有问题线索查看权限。', 'already_granted');
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, clueGrants, g, { status: 'confirmed', decidedBy: actor.id, decidedAt: now(ctx), decisionNote: a.note }, { action: 'clue_right_confirmed' });
    updateRow(ctx, users, u, { canViewClues: true }, { action: 'clue_right_granted' });
    return next;
  });
});

/** 驳回 by a 负责人 (not the grantee), or 撤回 by the proposer: the proposal ends without effect. */
export const rejectClue = defineCall({
  arg: f.args({ grantId: f.id('权限申请'), note: f.optText('说明', f.LEN.short) }),
}, (ctx, a): ClueGrant => {
  const actor = ctx.user;
  if (!actor) throw forbidden('请先登录。', 'not_logged_in');
  const g = pendingGrant(ctx, a.grantId);
  const withdrawing = g.grantedBy === actor.id;
  if (!withdrawing) {
    if (!can(actor, 'rights.confirm')) throw forbidden('只有负责人可以驳回授权申请（提请人可以撤回自己的申请）。', 'rights.confirm');
    if (g.userId === actor.id) throw forbidden('不能办理授予自己的权限申请。', 'self_change');
  }
  const status: ClueGrantStatus = withdrawing ? 'withdrawn' : 'rejected';
  return inTransaction(ctx, () => updateRow(ctx, clueGrants, g, {
    status, decidedBy: actor.id, decidedAt: now(ctx), decisionNote: a.note,
  }, { action: withdrawing ? 'clue_right_withdrawn' : 'clue_right_rejected' }));
});

/** 撤销: a 管理员 or 负责人 withdraws another user's clue right, at once (one person suffices). */
export const revokeClue = defineCall({
  permission: 'rights.revoke',
  arg: f.args({ userId: f.id('用户'), reason: reasonField('撤销理由') }),
}, (ctx, a): ClueGrant => {
  const actor = ctx.user!;
  const u = liveUser(ctx, a.userId, 'userId');
  if (u.id === actor.id) throw forbidden('不能撤销自己的问题线索查看权限，须由其他管理员或负责人办理。', 'self_change');
  if (!u.canViewClues) throw conflict('该用户没有问题线索查看权限。', 'not_granted');
  const g = confirmedGrantOf(ctx, u.id);
  const revoked = { status: 'revoked' as const, revokedBy: actor.id, revokedAt: now(ctx), revokeReason: a.reason };
  return inTransaction(ctx, () => {
    const row = g
      ? updateRow(ctx, clueGrants, g, revoked, { action: 'clue_right_revoked' })
      // A right given before the two-person rule has no proposal: the revocation is its record.
      : insertRow(ctx, clueGrants, {
        userId: u.id, reason: null, grantedBy: null, grantedAt: null, decidedBy: null, decidedAt: null, decisionNote: null, ...revoked,
      }, { action: 'clue_right_revoked' });
    updateRow(ctx, users, u, { canViewClues: false }, { action: 'clue_right_revoked' });
    return row;
  });
});

// ---------------------------------------------------------------------------------------------
// The rights report

export interface PersonRef {
  id: string;
  username: string;
  displayName: string;
}

export interface ClueRightHolder {
  user: PersonRef & { role: Role; active: boolean };
  /** When the right took effect (confirmation; for a right from before the rule, its audited change). */
  since: string | null;
  /** The confirmed proposal, or null for a right given before the two-person rule. */
  grantId: string | null;
  reason: string | null;
  grantedBy: PersonRef | null;
  grantedAt: string | null;
  confirmedBy: PersonRef | null;
  /** The right was given directly (before the two-person rule), not proposed and confirmed. */
  direct: boolean;
}

export interface PendingClueGrant {
  grantId: string;
  user: PersonRef;
  reason: string | null;
  grantedBy: PersonRef | null;
  grantedAt: string | null;
}

export type ClueRightAction = 'proposed' | 'confirmed' | 'rejected' | 'withdrawn' | 'revoked' | 'set_directly' | 'cleared_directly';

export interface ClueRightEvent {
  at: string;
  action: ClueRightAction;
  user: PersonRef;
  by: PersonRef | null;
  grantId: string | null;
  note: string | null;
}

export interface ClueRightsReport {
  holders: ClueRightHolder[];
  pending: PendingClueGrant[];
  /** Every proposal, decision and revocation, and direct changes from before the rule; newest first. */
  history: ClueRightEvent[];
}

interface AuditRightRow {
  seq: number;
  at: string;
  user_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
  granted: number | null;
}

/**
 * The audit rows of the rights' history, oldest first: every step of a proposal, and direct
 * changes of canViewClues (an account created with it, or changed before the two-person rule).
 */
const HISTORY_SQL = `
  SELECT seq, at, user_id, entity, entity_id, action, json_extract(after, '$.canViewClues') AS granted
  FROM audit_log
  WHERE (entity = 'clue_grants' AND action IN ('clue_right_proposed', 'clue_right_confirmed', 'clue_right_rejected', 'clue_right_withdrawn', 'clue_right_revoked'))
     OR (entity = 'users' AND action IN ('create', 'update') AND json_type(after, '$.canViewClues') IN ('true', 'false')
       AND NOT (action = 'create' AND json_extract(after, '$.canViewClues') = 0))
  ORDER BY seq`;

const GRANT_ACTIONS: Record<string, ClueRightAction> = {
  clue_right_proposed: 'proposed',
  clue_right_confirmed: 'confirmed',
  clue_right_rejected: 'rejected',
  clue_right_withdrawn: 'withdrawn',
  clue_right_revoked: 'revoked',
};

/** 线索查看权限报告: who holds the clue right since when, by whom; pending proposals; history. */
export const rightsReport = defineQuery({ permission: 'audit.read' }, (ctx): ClueRightsReport => {
  const people = new Map<string, User>();
  for (const u of ctx.ledger.orm.select().from(users).all()) people.set(u.id, u);
  const ref = (id: string | null): PersonRef | null => {
    if (!id) return null;
    const u = people.get(id) ?? getRow(ctx, users, id);
    return u ? { id: u.id, username: u.username, displayName: u.displayName } : { id, username: '', displayName: '（未知用户）' };
  };
  const grants = new Map<string, ClueGrant>();
  for (const g of ctx.ledger.orm.select().from(clueGrants).all()) if (!g.deletedAt) grants.set(g.id, g);
  const trail = ctx.ledger.prepare(HISTORY_SQL).all() as AuditRightRow[];
  const direct = trail.filter((r) => r.entity === 'users');

  const holders: ClueRightHolder[] = [...people.values()]
    .filter((u) => u.canViewClues && !u.deletedAt)
    .sort((x, y) => (x.username < y.username ? -1 : x.username > y.username ? 1 : 0))
    .map((u) => {
      const g = [...grants.values()].find((x) => x.userId === u.id && x.status === 'confirmed');
      const user = { ...ref(u.id)!, role: u.role, active: u.active };
      if (g) {
        return {
          user, since: g.decidedAt, grantId: g.id, reason: g.reason, grantedBy: ref(g.grantedBy), grantedAt: g.grantedAt,
          confirmedBy: ref(g.decidedBy), direct: false,
        };
      }
      const last = direct.filter((r) => r.entity_id === u.id && r.granted === 1).at(-1);
      return {
        user, since: last?.at ?? null, grantId: null, reason: null, grantedBy: ref(last?.user_id ?? null), grantedAt: last?.at ?? null,
        confirmedBy: null, direct: true,
      };
    });

  const pending: PendingClueGrant[] = [...grants.values()]
    .filter((g) => g.status === 'pending')
    .sort((x, y) => ((x.grantedAt ?? '') < (y.grantedAt ?? '') ? -1 : (x.grantedAt ?? '') > (y.grantedAt ?? '') ? 1 : x.id < y.id ? -1 : 1))
    .map((g) => ({ grantId: g.id, user: ref(g.userId)!, reason: g.reason, grantedBy: ref(g.grantedBy), grantedAt: g.grantedAt }));

  const history: ClueRightEvent[] = [];
  for (const r of [...trail].reverse()) {
    if (r.entity === 'users') {
      history.push({ at: r.at, action: r.granted === 1 ? 'set_directly' : 'cleared_directly', user: ref(r.entity_id)!, by: ref(r.user_id), grantId: null, note: null });
      continue;
    }
    const g = grants.get(r.entity_id);
    const action = GRANT_ACTIONS[r.action];
    if (!g || !action) continue;
    const note = action === 'proposed' ? g.reason : action === 'revoked' ? g.revokeReason : g.decisionNote;
    history.push({ at: r.at, action, user: ref(g.userId)!, by: ref(r.user_id), grantId: g.id, note });
  }
  return { holders, pending, history };
});
