import { appendAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { invalid } from '../domain/errors.js';
import { defineCall, defineQuery } from '../core/call.js';
import * as f from '../domain/fields.js';
import { stamp } from '../core/write.js';
import {
  DEFAULT_PASSWORD_RULES, PASSWORD_CLASSES_RANGE, PASSWORD_MIN_LENGTH_RANGE, type PasswordRules,
} from '../domain/password-rules.js';

/**
 * Ledger-wide settings of this office, kept as JSON in `meta` under 'settings'. They are local
 * to the office (meta is not replicated), but every change is audited like any other.
 */

export interface LedgerSettings {
  /** Evidence files (佐证材料) a task needs before it can be submitted for 销号; 0 disables the rule. */
  closeoutMinEvidence: number;
  /** Days before a task deadline at which its light turns amber (DOMAIN.md: warn 7 days before). */
  warnDaysDefault: number;
  /** 整改情况公开: an item flagged "not for disclosure" must give its reason. */
  disclosureRequiresFlagReason: boolean;
  /** Fewest characters of a password set from now on (db/domain/password-rules.ts). */
  passwordMinLength: number;
  /** Fewest character classes (小写字母、大写字母、数字、其他字符) of a password set from now on. */
  passwordNeedsClasses: number;
  /** Minutes without a call before a session locks (db/session/host.ts); 0 = never. */
  idleLockMinutes: number;
}

export const DEFAULT_SETTINGS: Readonly<LedgerSettings> = Object.freeze({
  closeoutMinEvidence: 1,
  warnDaysDefault: 7,
  disclosureRequiresFlagReason: true,
  passwordMinLength: DEFAULT_PASSWORD_RULES.minLength,
  passwordNeedsClasses: DEFAULT_PASSWORD_RULES.needsClasses,
  idleLockMinutes: 10,
});

const KEY = 'settings';

/** One schema per known key: the closed list of settings. */
const FIELDS = {
  closeoutMinEvidence: f.int('销号所需佐证材料份数', 0, 20),
  warnDaysDefault: f.int('到期提醒天数', 0, 90),
  disclosureRequiresFlagReason: f.v.boolean('不予公开须说明理由应为是或否。'),
  passwordMinLength: f.int('密码最少位数', ...PASSWORD_MIN_LENGTH_RANGE),
  passwordNeedsClasses: f.int('密码须包含的字符类别数', ...PASSWORD_CLASSES_RANGE),
  idleLockMinutes: f.int('空闲锁定时间（分钟）', 0, 240),
} satisfies { [K in keyof LedgerSettings]: f.v.GenericSchema<LedgerSettings[K]> };

const isKnownKey = (k: string): k is keyof LedgerSettings => Object.prototype.hasOwnProperty.call(FIELDS, k);

/**
 * Some settings: each key present is checked, an absent key keeps its value. The object is loose
 * so that a key this version does not know reaches the body and is refused by name.
 */
const settingsObject = f.v.looseObject({
  closeoutMinEvidence: f.patch(FIELDS.closeoutMinEvidence),
  warnDaysDefault: f.patch(FIELDS.warnDaysDefault),
  disclosureRequiresFlagReason: f.patch(FIELDS.disclosureRequiresFlagReason),
  passwordMinLength: f.patch(FIELDS.passwordMinLength),
  passwordNeedsClasses: f.patch(FIELDS.passwordNeedsClasses),
  idleLockMinutes: f.patch(FIELDS.idleLockMinutes),
}, '请求内容不完整。');
// A list is not a set of settings (valibot's objects would take one, its indexes as keys).
const settingsPatch = f.v.pipe(
  f.v.custom<f.In<typeof settingsObject>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), '请求内容不完整。'),
  settingsObject,
);

function storedValues(ctx: ServiceContext): Record<string, unknown> {
  const row = ctx.ledger.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed: unknown = JSON.parse(row.value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Defaults merged with the stored values, without a permission check: for engine code (e.g. the
 * task service deciding whether a close-out may be submitted). A stored value that no longer
 * passes its check falls back to the default rather than blocking the ledger.
 */
export function readSettings(ctx: ServiceContext): LedgerSettings {
  const stored = storedValues(ctx);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [k, x] of Object.entries(stored)) {
    if (!isKnownKey(k)) continue;
    const r = f.v.safeParse(FIELDS[k], x);
    if (r.success) out[k] = r.output; // otherwise keep the default
  }
  return out as unknown as LedgerSettings;
}

/** The password rules in force (defaults before set-up, when no settings exist yet). */
export function passwordRules(ctx: ServiceContext): PasswordRules {
  const s = readSettings(ctx);
  return { minLength: s.passwordMinLength, needsClasses: s.passwordNeedsClasses };
}

/** Idle minutes before a session locks (0 = never): the session host's `idleMinutes` option. */
export function idleLockMinutes(ctx: ServiceContext): number {
  return readSettings(ctx).idleLockMinutes;
}

export const getSettings = defineQuery({ permission: 'ledger.read' }, (ctx): LedgerSettings => readSettings(ctx));

/**
 * Change some settings. Every key must be known and valid, or nothing changes. Only keys whose
 * value actually changes are written and audited; a call that changes nothing writes nothing.
 */
export const updateSettings = defineCall({ permission: 'settings.write', arg: settingsPatch }, (ctx, i): LedgerSettings => {
  const current = readSettings(ctx);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(i)) {
    if (!isKnownKey(k)) throw invalid(k, `未知的设置项：${k}`, 'unknown_key');
    if (value !== undefined && value !== current[k]) {
      before[k] = current[k];
      after[k] = value;
    }
  }
  if (Object.keys(after).length === 0) return current;
  const next = { ...current, ...after } as LedgerSettings;
  // Store only what the office chose, so a key it never touched follows future defaults.
  const chosen: Record<string, unknown> = {};
  for (const k of Object.keys(storedValues(ctx))) if (isKnownKey(k)) chosen[k] = current[k];
  Object.assign(chosen, after);
  return inTransaction(ctx, () => {
    ctx.ledger
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(KEY, JSON.stringify(chosen));
    appendAudit(ctx, { action: 'update', entity: 'settings', entityId: 'settings', before, after }, stamp(ctx));
    return next;
  });
});
