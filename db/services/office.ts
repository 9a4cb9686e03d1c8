import { asc, eq } from 'drizzle-orm';
import type { ActingUser, ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { LEVELS, OFFICE_KINDS, ROLES, type Role } from '../domain/enums.js';
import { conflict, DomainError, forbidden, invalid } from '../domain/errors.js';
import { hashPassword, verifyPassword } from '../core/passwords.js';
import { offices, users, meta } from '../schema/index.js';
import { defineCall, defineQuery } from '../core/call.js';
import { count } from '../core/lifecycle.js';
import * as f from '../domain/fields.js';
import { getRow, insertRow, requireRow, updateRow } from '../core/write.js';
import { seedReferenceData } from './reference-data.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  canViewClues: boolean;
  active: boolean;
}

const USERNAME_RE = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$/;

/** Not trimmed: spaces are part of a password. */
const passwordField = f.v.pipe(
  f.v.string('请填写密码。'),
  f.rule('weak_password', (pw: string) => pw.length >= 8, '密码至少8位。'),
  f.rule('too_long', (pw: string) => pw.length <= 128, '密码不能超过128位。'),
);

const usernameField = f.v.pipe(
  f.text('用户名', 32),
  f.rule('bad_username', (s: string) => USERNAME_RE.test(s), '用户名只能包含中文、字母、数字、下划线、点和连字符（2-32位）。'),
);

const displayNameField = f.text('姓名', f.LEN.name);
const roleField = f.oneOf(ROLES.codes, '角色');
const canViewCluesField = f.bool('可查看问题线索');

export function isSetUp(ctx: ServiceContext): boolean {
  return ctx.ledger.state.officeId !== null;
}

const setupArg = f.args({
  officeName: f.text('单位名称', f.LEN.short),
  officeKind: f.oneOf(OFFICE_KINDS.codes, '单位类型'),
  level: f.oneOf(LEVELS.codes, '层级'),
  adminUsername: usernameField,
  adminDisplayName: f.text('管理员姓名', f.LEN.name),
  adminPassword: passwordField,
});
export type SetupInput = f.In<typeof setupArg>;

/**
 * First run: 建立本单位台账. Creates this ledger's office, its first administrator and the
 * reference data (clock rule sets, holiday calendar, default problem categories).
 */
export const setupLedger = defineCall({ arg: setupArg }, (ctx, a): { officeId: string; adminId: string } => {
  const { officeName: name, officeKind: kind, level, adminUsername: username, adminDisplayName: displayName, adminPassword: password } = a;
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
});

/** This ledger's office (null before set-up); no right needed: the start screen shows it. */
export const getOffice = defineQuery({}, (ctx) => {
  const id = ctx.ledger.state.officeId;
  if (!id) return null;
  const o = getRow(ctx, offices, id);
  return o ? { id: o.id, name: o.name, kind: o.kind, level: o.level } : null;
});

export const updateOffice = defineCall({ permission: 'settings.write', arg: f.args({ name: f.text('单位名称', f.LEN.short) }) }, (ctx, a) => {
  const cur = requireRow(ctx, offices, ctx.ledger.state.officeId ?? '', '本单位');
  return inTransaction(ctx, () => updateRow(ctx, offices, cur, { name: a.name }));
});

function toView(u: typeof users.$inferSelect): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, canViewClues: u.canViewClues, active: u.active };
}

export function toActingUser(u: typeof users.$inferSelect): ActingUser {
  return { id: u.id, role: u.role, canViewClues: u.canViewClues, displayName: u.displayName };
}

/**
 * Check a username and password; returns the acting user. One message for every failure. The
 * password is only checked to be text: its length rules apply when it is set, not at log-in.
 */
export const login = defineCall({
  arg: f.args({ username: f.text('用户名', 32), password: f.v.string('请填写密码。') }),
}, (ctx, a): ActingUser & { username: string } => {
  const u = ctx.ledger.orm.select().from(users).where(eq(users.username, a.username)).get();
  const ok = u && !u.deletedAt && u.active && u.passwordHash !== null && verifyPassword(a.password, u.passwordHash);
  if (!ok) throw forbidden('用户名或密码不正确，或账号已停用。', 'bad_credentials');
  return { ...toActingUser(u), username: u.username };
});

/** The acting user for a known id (used by transports holding a session). */
export function actingUserById(ctx: ServiceContext, userId: string): ActingUser {
  const u = getRow(ctx, users, userId);
  if (!u || u.deletedAt || !u.active) throw forbidden('账号不存在或已停用，请重新登录。', 'session_invalid');
  return toActingUser(u);
}

export const listUsers = defineQuery({ permission: 'ledger.read' }, (ctx): UserView[] =>
  ctx.ledger.orm.select().from(users).orderBy(asc(users.username)).all().filter((u) => !u.deletedAt).map(toView));

export const createUser = defineCall({
  permission: 'users.manage',
  arg: f.args({
    username: usernameField, displayName: displayNameField, role: roleField, canViewClues: canViewCluesField, password: passwordField,
  }),
}, (ctx, a): UserView => {
  const { username, displayName, role, canViewClues, password } = a;
  if (ctx.ledger.orm.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
    throw invalid('username', '该用户名已被使用。', 'duplicate');
  }
  return inTransaction(ctx, () =>
    toView(insertRow(ctx, users, {
      officeId: ctx.ledger.state.officeId!, username, displayName, role, canViewClues, passwordHash: hashPassword(password), active: true,
    })),
  );
});

export const updateUser = defineCall({
  permission: 'users.manage',
  arg: f.args({
    id: f.id('用户'),
    displayName: f.patch(displayNameField),
    role: f.patch(roleField),
    canViewClues: f.patch(canViewCluesField),
    active: f.patch(f.bool('启用')),
    password: f.patch(passwordField),
  }),
}, (ctx, i): UserView => {
  const actor = ctx.user!;
  const cur = requireRow(ctx, users, i.id, '用户');
  const patch: Partial<typeof users.$inferSelect> = {};
  if (i.displayName !== undefined) patch.displayName = i.displayName;
  if (i.role !== undefined) patch.role = i.role;
  if (i.canViewClues !== undefined) patch.canViewClues = i.canViewClues;
  if (i.active !== undefined) patch.active = i.active;
  if (i.password !== undefined) patch.passwordHash = hashPassword(i.password);
  if (cur.id === actor.id && (patch.active === false || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw invalid(patch.active === false ? 'active' : 'role', '不能停用自己或取消自己的管理员角色。', 'self_lockout');
  }
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, users, cur, patch);
    if (cur.role === 'admin' && (next.role !== 'admin' || !next.active)) assertAnAdminRemains(ctx);
    return toView(next);
  });
});

function assertAnAdminRemains(ctx: ServiceContext) {
  const n = count(ctx, "SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND deleted_at IS NULL");
  if (n === 0) throw new DomainError('CONFLICT', '台账至少需要一名启用的管理员。', { reason: 'last_admin' });
}

export function getMeta(ctx: ServiceContext, key: string): string | null {
  const r = ctx.ledger.orm.select().from(meta).where(eq(meta.key, key)).get();
  return r ? r.value : null;
}
