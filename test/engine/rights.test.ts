import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../db/core/audit.js';
import type { ActingUser } from '../../db/core/context.js';
import { getRow, updateRow } from '../../db/core/write.js';
import { can } from '../../db/domain/permissions.js';
import { clueGrants, users } from '../../db/schema/index.js';
import { cluesPrinted, createClue, getClue, listClues } from '../../db/services/clues.js';
import { actingUserById, createUser, updateUser } from '../../db/services/office.js';
import { confirmClue, grantClue, rejectClue, revokeClue, rightsReport } from '../../db/services/rights.js';
import { auditCount, expectRefused, UNKNOWN_ID } from '../helpers/expect.js';
import { login } from '../../db/services/office.js';
import { PASSWORD } from '../helpers/ledger.js';
import { makeWorld, type World } from './supervision-world.js';

let w: World;
afterEach(() => w?.t.close());

const HOUR = 3600_000;

/** The user as the engine sees them now (rights read afresh, as the session host does per call). */
const fresh = (u: ActingUser) => w.t.as(actingUserById(w.t.as(null), u.id));
const holds = (id: string) => getRow(w.t.as(null), users, id)!.canViewClues;

function newClue(receivedOn = '2024-02-10') {
  return createClue(w.sup, {
    roundId: w.round.id, unitId: w.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
    summary: '反映其在工程招标中为亲属企业谋利。', receivedOn, receivingOrgan: 'ccdi',
  });
}

function auditOf(action: string, entity: string) {
  return w.t.ledger.sqlite.prepare('SELECT entity_id AS entityId, user_id AS userId, version, after FROM audit_log WHERE action = ? AND entity = ? ORDER BY seq')
    .all(action, entity) as { entityId: string; userId: string | null; version: number; after: string | null }[];
}

describe('the clue right takes two people', () => {
  it('takes effect only when a 负责人 confirms an administrator’s proposal', () => {
    w = makeWorld();
    const { admin, leader, entry } = w.t.users;
    const g = grantClue(w.t.as(admin), { userId: entry.id, reason: '协助整理问题线索台账。' });
    expect(g).toMatchObject({ status: 'pending', userId: entry.id, grantedBy: admin.id, reason: '协助整理问题线索台账。' });
    expect(holds(entry.id)).toBe(false);
    expectRefused(w.t, () => listClues(fresh(entry), {}), 'FORBIDDEN');
    w.t.clock.advance(HOUR);
    const c = confirmClue(w.t.as(leader), { grantId: g.id, note: '同意。' });
    expect(c).toMatchObject({ status: 'confirmed', decidedBy: leader.id, decisionNote: '同意。' });
    expect(holds(entry.id)).toBe(true);
    expect(listClues(fresh(entry), {}).total).toBe(0);
    // The account change itself is in the audit trail, by the confirming 负责人.
    expect(auditOf('clue_right_granted', 'users').at(-1)).toMatchObject({ entityId: entry.id, userId: leader.id, after: '{"canViewClues":true}' });
    expect(verifyAudit(w.t.ledger).ok).toBe(true);
  });

  it('refuses a confirmation by the proposer, by the grantee, or by anyone who is not a 负责人', () => {
    w = makeWorld();
    const { admin, leader, leader2, reviewer, entry, readonly } = w.t.users;
    const g = grantClue(w.t.as(admin), { userId: leader2.id, reason: '分管问题线索处置。' });
    for (const u of [admin, reviewer, entry, readonly]) {
      expectRefused(w.t, () => confirmClue(w.t.as(u), { grantId: g.id }), 'FORBIDDEN', undefined, 'rights.confirm');
    }
    expectRefused(w.t, () => confirmClue(w.t.as(leader2), { grantId: g.id }), 'FORBIDDEN', undefined, 'self_change');
    expectRefused(w.t, () => confirmClue(w.t.as(null), { grantId: g.id }), 'FORBIDDEN');
    // The proposer made 负责人 meanwhile still cannot confirm their own proposal.
    const admin2 = createUser(w.t.as(admin), { username: 'guanli2', displayName: '郑某', role: 'admin', password: PASSWORD });
    const asAdmin2 = w.t.as(login(w.t.as(null), { username: 'guanli2', password: PASSWORD }));
    const g2 = grantClue(asAdmin2, { userId: w.t.users.entry2.id, reason: '协助整理问题线索台账。' });
    updateUser(w.t.as(admin), { id: admin2.id, role: 'leader' });
    expectRefused(w.t, () => confirmClue(fresh(asAdmin2.user!), { grantId: g2.id }), 'FORBIDDEN', undefined, 'same_person');
    expect(holds(leader2.id)).toBe(false);
    expect(holds(w.t.users.entry2.id)).toBe(false);
    confirmClue(w.t.as(leader), { grantId: g.id });
    expect(holds(leader2.id)).toBe(true);
    expectRefused(w.t, () => confirmClue(w.t.as(leader), { grantId: g.id }), 'CONFLICT', undefined, 'not_pending');
  });

  it('does not let anyone propose the right for themself, nor anyone but an administrator propose it', () => {
    w = makeWorld();
    const { admin, leader, reviewer, entry } = w.t.users;
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: admin.id, reason: '需要查看线索。' }), 'FORBIDDEN', undefined, 'self_change');
    for (const u of [leader, reviewer, entry]) {
      expectRefused(w.t, () => grantClue(w.t.as(u), { userId: w.t.users.entry2.id, reason: '需要查看线索。' }), 'FORBIDDEN', undefined, 'rights.grant');
    }
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: entry.id }), 'VALIDATION', 'reason');
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: UNKNOWN_ID, reason: '需要。' }), 'NOT_FOUND', 'userId');
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: reviewer.id, reason: '需要。' }), 'CONFLICT', undefined, 'already_granted');
    grantClue(w.t.as(admin), { userId: entry.id, reason: '需要。' });
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: entry.id, reason: '再次申请。' }), 'CONFLICT', undefined, 'already_pending');
    updateUser(w.t.as(admin), { id: w.t.users.entry2.id, active: false });
    expectRefused(w.t, () => grantClue(w.t.as(admin), { userId: w.t.users.entry2.id, reason: '需要。' }), 'CONFLICT', undefined, 'inactive');
  });

  it('ends a proposal without effect when a 负责人 rejects it or its proposer withdraws it', () => {
    w = makeWorld();
    const { admin, leader, entry, entry2, reviewer } = w.t.users;
    const g = grantClue(w.t.as(admin), { userId: entry.id, reason: '需要。' });
    expectRefused(w.t, () => rejectClue(w.t.as(reviewer), { grantId: g.id }), 'FORBIDDEN', undefined, 'rights.confirm');
    expect(rejectClue(w.t.as(leader), { grantId: g.id, note: '无工作需要。' })).toMatchObject({ status: 'rejected', decidedBy: leader.id });
    expectRefused(w.t, () => confirmClue(w.t.as(leader), { grantId: g.id }), 'CONFLICT', undefined, 'not_pending');
    const g2 = grantClue(w.t.as(admin), { userId: entry2.id, reason: '需要。' });
    expect(rejectClue(w.t.as(admin), { grantId: g2.id })).toMatchObject({ status: 'withdrawn', decidedBy: admin.id });
    expect(holds(entry.id)).toBe(false);
    expect(holds(entry2.id)).toBe(false);
  });
});

describe('revoking the clue right', () => {
  it('takes effect at once, by one administrator or 负责人, never on oneself', () => {
    w = makeWorld();
    const { admin, leader, reviewer, entry } = w.t.users;
    const c = newClue();
    expect(getClue(fresh(reviewer), { id: c.id }).id).toBe(c.id);
    expectRefused(w.t, () => revokeClue(w.t.as(entry), { userId: reviewer.id, reason: '调离。' }), 'FORBIDDEN', undefined, 'rights.revoke');
    expectRefused(w.t, () => revokeClue(w.t.as(leader), { userId: leader.id, reason: '调离。' }), 'FORBIDDEN', undefined, 'self_change');
    expectRefused(w.t, () => revokeClue(w.t.as(admin), { userId: reviewer.id }), 'VALIDATION', 'reason');
    const r = revokeClue(w.t.as(admin), { userId: reviewer.id, reason: '调离线索承办岗位。' });
    expect(r).toMatchObject({ status: 'revoked', revokedBy: admin.id, revokeReason: '调离线索承办岗位。' });
    expect(holds(reviewer.id)).toBe(false);
    expectRefused(w.t, () => getClue(fresh(reviewer), { id: c.id }), 'FORBIDDEN');
    expectRefused(w.t, () => revokeClue(w.t.as(leader), { userId: reviewer.id, reason: '再次撤销。' }), 'CONFLICT', undefined, 'not_granted');
    // A 负责人 revokes too; a new proposal is then possible.
    revokeClue(w.t.as(w.t.users.leader2), { userId: leader.id, reason: '分工调整。' });
    expect(holds(leader.id)).toBe(false);
    expect(grantClue(w.t.as(admin), { userId: reviewer.id, reason: '重新承办线索。' }).status).toBe('pending');
  });
});

describe('rights report', () => {
  it('lists who holds the right since when, proposed and confirmed by whom, pending proposals and the history', () => {
    w = makeWorld();
    const { admin, leader, leader2, reviewer, entry, entry2, readonly } = w.t.users;
    // The template: reviewer proposed by admin, confirmed by leader; leader confirmed by leader2.
    w.t.clock.advance(HOUR);
    const proposedAt = new Date(w.t.clock.now()).toISOString();
    const g = grantClue(w.t.as(admin), { userId: entry.id, reason: '协助整理问题线索台账。' });
    w.t.clock.advance(HOUR);
    const confirmedAt = new Date(w.t.clock.now()).toISOString();
    confirmClue(w.t.as(leader), { grantId: g.id });
    w.t.clock.advance(HOUR);
    const pendingGrant = grantClue(w.t.as(admin), { userId: entry2.id, reason: '临时协助。' });
    w.t.clock.advance(HOUR);
    revokeClue(w.t.as(admin), { userId: reviewer.id, reason: '调离线索承办岗位。' });
    // A right given directly before the two-person rule (engine-internal write, as old ledgers have).
    w.t.clock.advance(HOUR);
    const directAt = new Date(w.t.clock.now()).toISOString();
    const ro = getRow(w.t.as(null), users, readonly.id)!;
    updateRow(w.t.as(admin), users, ro, { canViewClues: true });

    const r = rightsReport(w.t.as(admin));
    expect(r.holders.map((h) => h.user.username)).toEqual(['chakan1', 'fuze1', 'luru1']);
    const byName = Object.fromEntries(r.holders.map((h) => [h.user.username, h]));
    expect(byName.luru1).toMatchObject({
      since: confirmedAt, grantId: g.id, reason: '协助整理问题线索台账。', grantedAt: proposedAt, direct: false,
      grantedBy: { id: admin.id, displayName: '王某某' }, confirmedBy: { id: leader.id, displayName: '孙某某' },
      user: { id: entry.id, role: 'entry', active: true },
    });
    expect(byName.fuze1).toMatchObject({ grantedBy: { id: admin.id }, confirmedBy: { id: leader2.id }, direct: false });
    expect(byName.chakan1).toMatchObject({ since: directAt, direct: true, grantId: null, confirmedBy: null, grantedBy: { id: admin.id } });
    expect(r.pending).toEqual([{
      grantId: pendingGrant.id, user: { id: entry2.id, username: 'luru2', displayName: '李某' }, reason: '临时协助。',
      grantedBy: { id: admin.id, username: 'admin', displayName: '王某某' }, grantedAt: pendingGrant.grantedAt,
    }]);
    // Newest first.
    expect(r.history.slice(0, 5).map((e) => [e.action, e.user.username, e.by?.username ?? null, e.note])).toEqual([
      ['set_directly', 'chakan1', 'admin', null],
      ['revoked', 'shenhe1', 'admin', '调离线索承办岗位。'],
      ['proposed', 'luru2', 'admin', '临时协助。'],
      ['confirmed', 'luru1', 'fuze1', null],
      ['proposed', 'luru1', 'admin', '协助整理问题线索台账。'],
    ]);
    expect(r.history.filter((e) => e.user.username === 'shenhe1').map((e) => e.action)).toEqual(['revoked', 'confirmed', 'proposed']);
  });

  it('is read by administrators, 负责人 and 审核员 (audit readers), not by others', () => {
    w = makeWorld();
    const { admin, leader, reviewer, reviewer2, entry, readonly } = w.t.users;
    for (const u of [admin, leader, reviewer, reviewer2]) expect(rightsReport(w.t.as(u)).holders.length).toBe(2);
    for (const u of [entry, readonly, null]) expectRefused(w.t, () => rightsReport(w.t.as(u)), 'FORBIDDEN');
    expect(can(admin, 'rights.grant') && !can(admin, 'rights.confirm')).toBe(true);
    expect(can(leader, 'rights.confirm') && !can(leader, 'rights.grant')).toBe(true);
  });

  it('records a revocation of a right from before the rule, with no proposal behind it', () => {
    w = makeWorld();
    const ro = getRow(w.t.as(null), users, w.t.users.readonly.id)!;
    updateRow(w.t.as(null), users, ro, { canViewClues: true });
    const r = revokeClue(w.t.as(w.t.users.leader), { userId: ro.id, reason: '无工作需要。' });
    expect(r).toMatchObject({ status: 'revoked', grantedBy: null, reason: null, revokedBy: w.t.users.leader.id });
    expect(getRow(w.t.as(null), clueGrants, r.id)!.revokeReason).toBe('无工作需要。');
    expect(rightsReport(w.t.as(w.t.users.admin)).history.slice(0, 2).map((e) => [e.action, e.by?.username ?? null])).toEqual([
      ['revoked', 'fuze1'], ['set_directly', null],
    ]);
  });
});

describe('every read of a clue is audited', () => {
  it('audits a list with its filter and the ids shown, a detail, and a print; refused reads leave nothing', () => {
    w = makeWorld();
    const a = newClue('2024-02-10');
    const b = newClue('2024-02-11');
    const version = w.t.ledger.state.version;
    let n = auditCount(w.t);

    const list = listClues(w.sup, { unitId: w.unit.id, limit: 1 });
    expect(auditCount(w.t)).toBe(n + 1);
    const [ev] = auditOf('read', 'clues').slice(-1);
    expect(ev).toMatchObject({ entityId: 'list', userId: w.t.users.reviewer.id });
    expect(JSON.parse(ev!.after!)).toEqual({
      filter: { roundId: null, unitId: w.unit.id, disposition: null, originOfficeId: null, conflicted: null, includeDeleted: false, limit: 1, offset: null },
      ids: [a.id], total: 2,
    });
    expect(list.items.map((c) => c.id)).toEqual([a.id]);
    n += 1;

    getClue(w.sup, { id: b.id });
    expect(auditCount(w.t)).toBe(n + 1);
    expect(auditOf('read', 'clues').at(-1)).toMatchObject({ entityId: b.id, userId: w.t.users.reviewer.id });
    n += 1;

    expect(cluesPrinted(w.t.as(w.t.users.leader), { ids: [a.id, b.id, a.id] })).toEqual({ printed: 2 });
    expect(auditCount(w.t)).toBe(n + 2);
    expect(auditOf('print', 'clues').map((r) => [r.entityId, r.userId])).toEqual([[a.id, w.t.users.leader.id], [b.id, w.t.users.leader.id]]);
    n += 2;

    // Refused: no right, not a clue, nothing to print.
    expectRefused(w.t, () => listClues(w.entry, {}), 'FORBIDDEN');
    expectRefused(w.t, () => getClue(w.t.as(w.t.users.admin), { id: a.id }), 'FORBIDDEN');
    expectRefused(w.t, () => cluesPrinted(w.entry, { ids: [a.id] }), 'FORBIDDEN');
    expectRefused(w.t, () => cluesPrinted(w.sup, { ids: [a.id, w.task.id] }), 'NOT_FOUND', 'ids[1]');
    expectRefused(w.t, () => cluesPrinted(w.sup, { ids: [] }), 'VALIDATION', 'ids');
    expectRefused(w.t, () => getClue(w.sup, { id: UNKNOWN_ID }), 'NOT_FOUND');
    expect(auditCount(w.t)).toBe(n);

    // Reads are events, not changes: no new ledger version to replicate, and the chain holds.
    expect(w.t.ledger.state.version).toBe(version);
    expect(verifyAudit(w.t.ledger).ok).toBe(true);
  });
});
