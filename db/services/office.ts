import { asc, eq } from 'drizzle-orm';
import type { ActingUser, ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { LEVELS, OFFICE_KINDS, ROLES, type Role } from '../domain/enums.js';
import { conflict, DomainError, forbidden, invalid } from '../domain/errors.js';
import { hashPassword, verifyPassword } from '../core/passwords.js';
import { appendEvent } from '../core/audit.js';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '../domain/password-rules.js';
import { passwordRules } from './settings.js';
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
  /** 数据交换: may export and import exchange packages. */
  canExchange: boolean;
  active: boolean;
  /**
   * The account has no password that opens the ledger: on an encrypted ledger, no wrap in the key
   * file (accounts carried over from a plaintext ledger, until an administrator sets one).
   */
  needsPassword: boolean;
}

const USERNAME_RE = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$/;

/**
 * Not trimmed: spaces are part of a password. Only its shape here: the ledger's own rules
 * (LedgerSettings.passwordMinLength / passwordNeedsClasses) are checked by `checkPasswordRules`.
 */
const passwordField = f.v.pipe(
  f.v.string('请填写密码。'),
  f.rule('too_long', (pw: string) => pw.length <= PASSWORD_MAX_LENGTH * 2 && [...pw].length <= PASSWORD_MAX_LENGTH, `密码不能超过${PASSWORD_MAX_LENGTH}位。`),
);
/** A password typed to prove who one is (checked against the stored one, never against the rules). */
const ownPasswordField = (label: string) => f.v.pipe(
  f.v.string(`请输入${label}。`),
  f.rule('required', (pw: string) => pw.length > 0, `请输入${label}。`),
  f.rule('too_long', (pw: string) => pw.length <= PASSWORD_MAX_LENGTH * 4, `${label}不正确。`),
);

const usernameField = f.v.pipe(
  f.text('用户名', 32),
  f.rule('bad_username', (s: string) => USERNAME_RE.test(s), '用户名只能包含中文、字母、数字、下划线、点和连字符（2-32位）。'),
);

const displayNameField = f.text('姓名', f.LEN.name);
const roleField = f.oneOf(ROLES.codes, '角色');
const canViewCluesField = f.bool('可查看问题线索');
const canExchangeField = f.bool('可导出导入交换包');

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
  // No settings exist yet: the default rules apply.
  checkPasswordRules(ctx, password, 'adminPassword');
  return inTransaction(ctx, () => {
    const officeId = ctx.ids.next();
    ctx.ledger.state.officeId = officeId;
    ctx.ledger.prepare("INSERT INTO meta (key, value) VALUES ('office_id', ?)").run(officeId);
    insertRow(ctx, offices, { name, kind, level, parentOfficeId: null }, { id: officeId, action: 'setup' });
    const admin = insertRow(ctx, users, {
      // The founding administrator may exchange from the start: nobody else exists yet to give it.
      officeId, username, displayName, role: 'admin', canViewClues: false, canExchange: true, passwordHash: ctx.keys ? null : hashPassword(password), active: true,
    });
    ctx.keys?.setPassword({ id: admin.id, username }, password);
    seedReferenceData(ctx);
    return { officeId, adminId: admin.id };
  });
});

/**
 * Refuse a password that breaks the ledger's rules (LedgerSettings; the defaults before set-up),
 * naming `field` and the rule. For every place a password is set: set-up, new account, reset,
 * own change (and the session host's recovery).
 */
export function checkPasswordRules(ctx: ServiceContext, password: string, field: string): void {
  const problem = passwordProblem(password, passwordRules(ctx));
  if (problem) throw invalid(field, problem.message, problem.reason === 'too_short' || problem.reason === 'too_few_classes' ? 'weak_password' : problem.reason);
}

/** Whether `password` is the acting user's own: their key-file wrap, or the legacy hash. */
function isOwnPassword(ctx: ServiceContext, userId: string, password: string): boolean {
  if (ctx.keys) return ctx.keys.verifyPassword(userId, password);
  const u = getRow(ctx, users, userId);
  return !!u && u.passwordHash !== null && verifyPassword(password, u.passwordHash);
}

/** This ledger's office (null before set-up); no right needed: the start screen shows it. */
export const getOffice = defineQuery({}, (ctx) => {
  const id = ctx.ledger.state.officeId;
  if (!id) return null;
  const o = getRow(ctx, offices, id);
  return o ? { id: o.id, name: o.name, kind: o.kind, level: o.level } : null;
});

export interface OfficeOption {
  id: string;
  name: string;
  kind: (typeof OFFICE_KINDS.codes)[number];
  /** This ledger's own office. */
  own: boolean;
}

/** The last answer of `mixed` per open ledger, good until the ledger's next change (its version). */
const mixedSeen = new WeakMap<object, { version: number; mixed: boolean }>();

/**
 * 来源单位 (aggregation upward): this office and its exchange partners, own first, the choices of
 * the lists' and figures' origin filter; and `mixed`, whether the ledger holds problems or tasks of
 * more than one origin (the lists then show a 来源单位 column). Records of another origin arrive
 * only from partners, so a ledger without any reads nothing; with partners the scan stops at the
 * first record of another origin (at once on an aggregating office). There is no index on
 * origin_office_id: a ledger with partners that holds only its own records reads them, once per
 * change of the ledger (the answer is kept until the version moves).
 */
export const listOffices = defineQuery({ permission: 'ledger.read' }, (ctx): { offices: OfficeOption[]; mixed: boolean } => {
  const own = ctx.ledger.state.officeId;
  const rows = ctx.ledger.prepare('SELECT id, name, kind FROM offices WHERE deleted_at IS NULL').all() as Omit<OfficeOption, 'own'>[];
  const list = rows.map((o) => ({ ...o, own: o.id === own }))
    .sort((a, b) => Number(b.own) - Number(a.own) || a.name.localeCompare(b.name, 'zh-CN'));
  if (list.length < 2) return { offices: list, mixed: false };
  const version = ctx.ledger.state.version;
  let seen = mixedSeen.get(ctx.ledger);
  if (!seen || seen.version !== version) {
    const m = (ctx.ledger.prepare(`SELECT EXISTS (SELECT 1 FROM problems WHERE origin_office_id <> ?)
      OR EXISTS (SELECT 1 FROM tasks WHERE origin_office_id <> ?) AS m`).get(own, own) as { m: number }).m === 1;
    mixedSeen.set(ctx.ledger, (seen = { version, mixed: m }));
  }
  return { offices: list, mixed: seen.mixed };
});

export const updateOffice = defineCall({ permission: 'settings.write', arg: f.args({ name: f.text('单位名称', f.LEN.short) }) }, (ctx, a) => {
  const cur = requireRow(ctx, offices, ctx.ledger.state.officeId ?? '', '本单位');
  return inTransaction(ctx, () => updateRow(ctx, offices, cur, { name: a.name }));
});

function toView(ctx: ServiceContext, u: typeof users.$inferSelect): UserView {
  const needsPassword = ctx.keys ? !ctx.keys.hasWrap(u.id) : u.passwordHash === null;
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, canViewClues: u.canViewClues, canExchange: u.canExchange, active: u.active, needsPassword };
}

export function toActingUser(u: typeof users.$inferSelect): ActingUser {
  return { id: u.id, role: u.role, canViewClues: u.canViewClues, canExchange: u.canExchange, displayName: u.displayName };
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
  ctx.ledger.orm.select().from(users).orderBy(asc(users.username)).all().filter((u) => !u.deletedAt).map((u) => toView(ctx, u)));

/** The one way the clue right is given (db/services/rights.ts); a direct change is refused. */
function refuseDirectClueRight(): never {
  throw forbidden('问题线索查看权限须由管理员提请、负责人确认后生效（两人办理），请在“线索查看权限”中办理。', 'two_person_rule');
}

/** A new account. The clue right is not given here: it takes two people (db/services/rights.ts). */
export const createUser = defineCall({
  permission: 'users.manage',
  arg: f.args({
    username: usernameField, displayName: displayNameField, role: roleField,
    /** Only false (or absent) is accepted. */
    canViewClues: canViewCluesField,
    canExchange: canExchangeField,
    password: passwordField,
  }),
}, (ctx, a): UserView => {
  const { username, displayName, role, canViewClues, canExchange, password } = a;
  if (canViewClues) refuseDirectClueRight();
  if (ctx.ledger.orm.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
    throw invalid('username', '该用户名已被使用。', 'duplicate');
  }
  checkPasswordRules(ctx, password, 'password');
  return inTransaction(ctx, () => {
    const row = insertRow(ctx, users, {
      officeId: ctx.ledger.state.officeId!, username, displayName, role, canViewClues: false, canExchange,
      passwordHash: ctx.keys ? null : hashPassword(password), active: true,
    });
    ctx.keys?.setPassword({ id: row.id, username }, password);
    return toView(ctx, row);
  });
});

/**
 * Change another user's account. Nobody changes their own role, active flag or clue right
 * (FORBIDDEN self_change), nor their own password here (changeOwnPassword asks for the old one).
 * The clue right is accepted only unchanged (it takes two people: db/services/rights.ts).
 * Setting another user's password (重置密码) needs the acting administrator's own password
 * (`adminPassword`). Deactivating drops the user's key-file wrap: their password no longer opens
 * the ledger, and reactivating on an encrypted ledger needs a new password.
 */
export const updateUser = defineCall({
  permission: 'users.manage',
  arg: f.args({
    id: f.id('用户'),
    displayName: f.patch(displayNameField),
    role: f.patch(roleField),
    canViewClues: f.patch(canViewCluesField),
    canExchange: f.patch(canExchangeField),
    active: f.patch(f.bool('启用')),
    password: f.patch(passwordField),
    /** The acting administrator's own password, required with `password`. */
    adminPassword: f.patch(ownPasswordField('您自己的登录密码')),
  }),
}, (ctx, i): UserView => {
  const actor = ctx.user!;
  const cur = requireRow(ctx, users, i.id, '用户');
  const self = cur.id === actor.id;
  const changes = <K extends 'role' | 'active' | 'canViewClues' | 'canExchange'>(k: K) => i[k] !== undefined && i[k] !== cur[k];
  if (self && (changes('role') || changes('active') || changes('canViewClues') || changes('canExchange'))) {
    throw forbidden('不能修改自己的角色、启用状态、问题线索查看权限或数据交换权限，须由其他管理员办理。', 'self_change');
  }
  if (self && i.password !== undefined) {
    throw forbidden('修改自己的密码请使用“修改密码”，并输入原密码。', 'self_change');
  }
  if (changes('canViewClues')) refuseDirectClueRight();
  const activeAfter = i.active ?? cur.active;
  const reactivating = activeAfter && !cur.active;
  if (i.password !== undefined) {
    if (!activeAfter) throw invalid('password', '停用的账号不能设置密码；如需重新启用，请同时勾选“启用”。', 'inactive');
    checkPasswordRules(ctx, i.password, 'password');
    if (i.adminPassword === undefined) throw invalid('adminPassword', '重置他人密码须输入您自己的登录密码。', 'required');
    if (!isOwnPassword(ctx, actor.id, i.adminPassword)) throw forbidden('您自己的登录密码不正确，未重置密码。', 'reauth_failed');
  } else if (reactivating && ctx.keys && !ctx.keys.hasWrap(cur.id)) {
    throw invalid('password', '重新启用账号须同时为其设置新密码（原密码已随停用失效）。', 'required');
  }
  const patch: Partial<typeof users.$inferSelect> = {};
  if (i.displayName !== undefined) patch.displayName = i.displayName;
  if (i.role !== undefined) patch.role = i.role;
  if (i.active !== undefined) patch.active = i.active;
  if (i.canExchange !== undefined) patch.canExchange = i.canExchange;
  if (i.password !== undefined) patch.passwordHash = ctx.keys ? null : hashPassword(i.password);
  return inTransaction(ctx, () => {
    const next = updateRow(ctx, users, cur, patch);
    if (cur.role === 'admin' && (next.role !== 'admin' || !next.active)) assertAnAdminRemains(ctx);
    if (i.password !== undefined && ctx.keys) {
      ctx.keys.setPassword({ id: cur.id, username: cur.username }, i.password);
      // The row itself does not change (the key file holds the password): the reset is an event.
      appendEvent(ctx, { action: 'password_reset', entity: 'users', entityId: cur.id, detail: null });
    }
    if (cur.active && !next.active) ctx.keys?.removeUser(cur.id);
    return toView(ctx, next);
  });
});

/**
 * 修改密码: any logged-in user changes their own password, giving the old one. Audited as
 * 'password_changed' (never the password, nor its hash).
 */
export const changeOwnPassword = defineCall({
  arg: f.args({ oldPassword: ownPasswordField('原密码'), newPassword: passwordField }),
}, (ctx, a): { ok: true } => {
  if (!ctx.user) throw forbidden('请先登录。', 'not_logged_in');
  const cur = requireRow(ctx, users, ctx.user.id, '用户');
  checkPasswordRules(ctx, a.newPassword, 'newPassword');
  if (a.newPassword === a.oldPassword) throw invalid('newPassword', '新密码不能与原密码相同。', 'unchanged');
  if (!isOwnPassword(ctx, cur.id, a.oldPassword)) throw forbidden('原密码不正确，密码未修改。', 'reauth_failed');
  return inTransaction(ctx, () => {
    if (ctx.keys) {
      ctx.keys.setPassword({ id: cur.id, username: cur.username }, a.newPassword);
      appendEvent(ctx, { action: 'password_changed', entity: 'users', entityId: cur.id, detail: null });
    } else {
      updateRow(ctx, users, cur, { passwordHash: hashPassword(a.newPassword) }, { action: 'password_changed' });
    }
    return { ok: true as const };
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
