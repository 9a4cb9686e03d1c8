import { appendAudit } from '../core/audit.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { invalid } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import * as v from '../core/validate.js';
import { stamp } from '../core/write.js';

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
}

export const DEFAULT_SETTINGS: Readonly<LedgerSettings> = Object.freeze({
  closeoutMinEvidence: 1,
  warnDaysDefault: 7,
  disclosureRequiresFlagReason: true,
});

const KEY = 'settings';

type Checker = (x: unknown, field: string) => LedgerSettings[keyof LedgerSettings];

/** One checker per known key: the closed list of settings. */
const CHECKERS: { [K in keyof LedgerSettings]: (x: unknown, field: string) => LedgerSettings[K] } = {
  closeoutMinEvidence: (x, f) => v.int(x, f, '销号所需佐证材料份数', 0, 20),
  warnDaysDefault: (x, f) => v.int(x, f, '到期提醒天数', 0, 90),
  disclosureRequiresFlagReason: (x, f) => {
    if (typeof x !== 'boolean') throw invalid(f, '不予公开须说明理由应为是或否。', 'type');
    return x;
  },
};

const isKnownKey = (k: string): k is keyof LedgerSettings => Object.prototype.hasOwnProperty.call(CHECKERS, k);

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
    try {
      out[k] = (CHECKERS[k] as Checker)(x, k);
    } catch {
      // keep the default
    }
  }
  return out as unknown as LedgerSettings;
}

export function getSettings(ctx: ServiceContext): LedgerSettings {
  requirePermission(ctx, 'ledger.read');
  return readSettings(ctx);
}

/**
 * Change some settings. Every key must be known and valid, or nothing changes. Only keys whose
 * value actually changes are written and audited; a call that changes nothing writes nothing.
 */
export function updateSettings(ctx: ServiceContext, raw: unknown): LedgerSettings {
  requirePermission(ctx, 'settings.write');
  const i = v.object(raw);
  const current = readSettings(ctx);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(i)) {
    if (!isKnownKey(k)) throw invalid(k, `未知的设置项：${k}`, 'unknown_key');
    const value = (CHECKERS[k] as Checker)(x, k);
    if (value !== current[k]) {
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
}
