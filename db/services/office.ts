import { asc, eq } from 'drizzle-orm';
import type { ActingUser, ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { LEVELS, OFFICE_KINDS, ROLES, type Role } from '../domain/enums.js';
import { conflict, DomainError, forbidden, invalid } from '../domain/errors.js';
import { hashPassword, verifyPassword } from '../core/passwords.js';
import { requirePermission } from '../core/permissions.js';
import { offices, users, meta } from '../schema/index.js';
import * as v from '../core/validate.js';
import { getRow, insertRow, requireRow, updateRow } from '../core/write.js';
import { seedReferenceData } from './reference-data.js';

export interface SetupInput {
  officeName: string;
  officeKind: string;
  level: string;
  adminUsername: string;
  adminDisplayName: string;
  adminPassword: string;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  canViewClues: boolean;
  active: boolean;
}

const USERNAME_RE = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$/;

function checkPassword(pw: unknown, field: string): string {
  if (typeof pw !== 'string' || pw.length < 8) throw invalid(field, '密码至少8位。', 'weak_password');
  if (pw.length > 128) throw invalid(field, '密码不能超过128位。', 'too_long');
  return pw;
}

function checkUsername(u: unknown, field: string): string {
  const s = v.text(u, field, { max: 32, label: '用户名' });
  if (!USERNAME_RE.test(s)) throw invalid(field, '用户名只能包含中文、字母、数字、下划线、点和连字符（2-32位）。', 'bad_username');
  return s;
}

export function isSetUp(ctx: ServiceContext): boolean {
  return ctx.ledger.state.officeId !== null;
}

/**
 * First run: 建立本单位台账. Creates this ledger's office, its first administrator and the
 * reference data (clock rule sets, holiday calendar, default problem categories).
 */
export function setupLedger(ctx: ServiceContext, raw: unknown): { officeId: string; adminId: string } {
  const i = v.object(raw);
  const name = v.text(i.officeName, 'officeName', { max: v.LEN.short, label: '单位名称' });
  const kind = v.oneOf(i.officeKind, 'officeKind', OFFICE_KINDS.codes, '单位类型');
  const level = v.oneOf(i.level, 'level', LEVELS.codes, '层级');
  const username = checkUsername(i.adminUsername, 'adminUsername');
  const displayName = v.text(i.adminDisplayName, 'adminDisplayName', { max: v.LEN.name, label: '管理员姓名' });
  const password = checkPassword(i.adminPassword, 'adminPassword');
  if (isSetUp(ctx)) throw conflict('本台账已经建立，不能重复设置。', 'already_set_up');
  return inTransaction(ctx, () => {
    const officeId = ctx.ids.next();
    ctx.ledger.state.officeId = officeId;
    ctx.ledger.prepare("INSERT INTO meta (key, value) VALUES ('office_id', ?)").run(officeId);
    insertRow(ctx, offices, { name, kind, level, parentOfficeId: null }, { id: officeId, action: 'setup' });
    const admin = insertRow(ctx, users, {
      officeId, username, displayName, role: 'admin', canViewClues: false, passwordHash: hashPassword(password), active: true,
    });
    seedReferenceData(ctx);
    return { officeId, adminId: admin.id };
  });
}

export function getOffice(ctx: ServiceContext) {
  const id = ctx.ledger.state.officeId;
  if (!id) return null;
  const o = getRow(ctx, offices, id);
  return o ? { id: o.id, name: o.name, kind: o.kind, level: o.level } : null;
}

export function updateOffice(ctx: ServiceContext, raw: unknown) {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const cur = requireRow(ctx, offices, ctx.ledger.state.officeId ?? '', '本单位');
  const name = v.text(i.name, 'name', { max: v.LEN.short, label: '单位名称' });
  return inTransaction(ctx, () => updateRow(ctx, offices, cur, { name }));
}

function toView(u: typeof users.$inferSelect): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, canViewClues: u.canViewClues, active: u.active };
}

export function toActingUser(u: typeof users.$inferSelect): ActingUser {
  return { id: u.id, role: u.role, canViewClues: u.canViewClues, displayName: u.displayName };
}

/** Check a username and password; returns the acting user. One message for every failure. */
export function login(ctx: ServiceContext, raw: unknown): ActingUser & { username: string } {
  const i = v.object(raw);
  const username = v.text(i.username, 'username', { max: 32, label: '用户名' });
  const password = typeof i.password === 'string' ? i.password : '';
  const u = ctx.ledger.orm.select().from(users).where(eq(users.username, username)).get();
  const ok = u && !u.deletedAt && u.active && u.passwordHash !== null && verifyPassword(password, u.passwordHash);
  if (!ok) throw forbidden('用户名或密码不正确，或账号已停用。', 'bad_credentials');
  return { ...toActingUser(u), username: u.username };
}

/** The acting user for a known id (used by transports holding a session). */
export function actingUserById(ctx: ServiceContext, userId: string): ActingUser {
  const u = getRow(ctx, users, userId);
  if (!u || u.deletedAt || !u.active) throw forbidden('账号不存在或已停用，请重新登录。', 'session_invalid');
  return toActingUser(u);
}

export function listUsers(ctx: ServiceContext): UserView[] {
  requirePermission(ctx, 'ledger.read');
  return ctx.ledger.orm.select().from(users).orderBy(asc(users.username)).all().filter((u) => !u.deletedAt).map(toView);
}

export function createUser(ctx: ServiceContext, raw: unknown): UserView {
  requirePermission(ctx, 'users.manage');
  const i = v.object(raw);
  const username = checkUsername(i.username, 'username');
  const displayName = v.text(i.displayName, 'displayName', { max: v.LEN.name, label: '姓名' });
  const role = v.oneOf(i.role, 'role', ROLES.codes, '角色');
  const canViewClues = v.bool(i.canViewClues, 'canViewClues', '可查看问题线索');
  const password = checkPassword(i.password, 'password');
  if (ctx.ledger.orm.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
    throw invalid('username', '该用户名已被使用。', 'duplicate');
  }
  return inTransaction(ctx, () =>
    toView(insertRow(ctx, users, {
      officeId: ctx.ledger.state.officeId!, username, displayName, role, canViewClues, passwordHash: hashPassword(password), active: true,
    })),
  );
}

export function updateUser(ctx: ServiceContext, raw: unknown): UserView {
  const actor = requirePermission(ctx, 'users.manage');
  const i = v.object(raw);
  const cur = requireRow(ctx, users, v.id(i.id, 'id', '用户'), '用户');
  const patch: Partial<typeof users.$inferSelect> = {};
  if (i.displayName !== undefined) patch.displayName = v.text(i.displayName, 'displayName', { max: v.LEN.name, label: '姓名' });
  if (i.role !== undefined) patch.role = v.oneOf(i.role, 'role', ROLES.codes, '角色');
  if (i.canViewClues !== undefined) patch.canViewClues = v.bool(i.canViewClues, 'canViewClues', '可查看问题线索');
  if (i.active !== undefined) patch.active = v.bool(i.active, 'active', '启用');
  if (i.password !== undefined) patch.passwordHash = hashPassword(checkPassword(i.password, 'password'));
  if (cur.id === actor.id && (patch.active === false || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw invalid(patch.active === false ? 'active' : 'role', '不能停用自己或取消自己的管理员角色。', 'self_lockout');
  }
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, users, cur, patch);
    if (cur.role === 'admin' && (next.role !== 'admin' || !next.active)) assertAnAdminRemains(ctx);
    return toView(next);
  });
}

function assertAnAdminRemains(ctx: ServiceContext) {
  const n = ctx.ledger.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND deleted_at IS NULL").get() as { n: number };
  if (n.n === 0) throw new DomainError('CONFLICT', '台账至少需要一名启用的管理员。', { reason: 'last_admin' });
}

export function getMeta(ctx: ServiceContext, key: string): string | null {
  const r = ctx.ledger.orm.select().from(meta).where(eq(meta.key, key)).get();
  return r ? r.value : null;
}
