/**
 * The form of a change record from a package (db/exchange/changes.ts RecordChange), checked
 * before the import looks at anything in it.
 */
import { DomainError } from '../domain/errors.js';
import type { RecordChange } from './changes.js';
import { BASE, TOMBSTONE } from './field-clocks.js';
import { validValue, type ExchangeTable } from './tables.js';

const fail = (reason: string, message: string) => new DomainError('CORRUPT', message, { reason });
const STAMP = /^\d{15}-\d{6}-[^\s]{1,64}$/;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isClock = (x: unknown): boolean => Array.isArray(x) && x.length >= 1 && x.length <= 1024 && x.every((s) => typeof s === 'string' && STAMP.test(s));
const optString = (x: unknown) => x === null || typeof x === 'string';
const isTombstone = (x: unknown) => x === null || (isObject(x) && typeof x.at === 'string' && optString(x.by ?? null) && optString(x.reason ?? null));

/**
 * Every part of a change record a package may carry, checked before anything else looks at it
 * (a hostile package meets a specific refusal, never a crash): the row's fields (known, present,
 * of their type), the initial values, the tombstone, the clocks (stamps of the HLC form, a base
 * clock), the conflict heads (values of the field's type) and the proposals.
 */
export function checkShape(t: ExchangeTable | undefined, c: RecordChange): ExchangeTable {
  const bad = (what: string) => fail('package_record', `交换包中的${t?.name ?? '某'}记录${what}。`);
  if (!t) throw fail('package_record', `交换包含有不能交换的数据表：${String(c.table).slice(0, 60)}。`);
  if (c.id.length === 0 || c.id.length > 64) throw bad('编号不合规');
  if (!isObject(c.row)) throw bad('缺少字段内容');
  for (const k of Object.keys(c.row)) if (!t.byKey.has(k)) throw bad(`含有未知字段：${k.slice(0, 60)}`);
  for (const f of t.fields) {
    if (!Object.hasOwn(c.row, f.key)) throw bad(`缺少字段：${f.key}`);
    if (!validValue(f, c.row[f.key])) throw bad(`字段${f.key}的值不合规`);
  }
  if (c.initial !== undefined && !isObject(c.initial)) throw bad('的初始值格式不正确');
  const initial = c.initial ?? {};
  for (const k of Object.keys(initial)) if (!t.initial.some((f) => f.key === k)) throw bad(`含有未知字段：${k.slice(0, 60)}`);
  for (const f of t.initial) {
    if (Object.hasOwn(initial, f.key) && !validValue(f, initial[f.key])) throw bad(`字段${f.key}的值不合规`);
  }
  if (!isTombstone(c.deleted ?? null)) throw bad('的删除标记格式不正确');
  // Clocks name exchanged fields and, where the receiver's own derivations wrote them, initial ones.
  const known = (k: string) => k === BASE || k === TOMBSTONE || t.byKey.has(k) || t.initial.some((f) => f.key === k);
  if (!isObject(c.clocks) || !Object.hasOwn(c.clocks, BASE)) throw bad('缺少修改时钟');
  for (const [k, clock] of Object.entries(c.clocks)) if (!known(k) || !isClock(clock)) throw bad('的修改时钟格式不正确');
  if (c.heads !== undefined) {
    if (!isObject(c.heads)) throw bad('的冲突值格式不正确');
    for (const [k, heads] of Object.entries(c.heads)) {
      const f = t.byKey.get(k);
      if ((!f && k !== TOMBSTONE) || !Array.isArray(heads) || heads.length < 2 || heads.length > 1024) throw bad('的冲突值格式不正确');
      for (const h of heads as unknown[]) {
        if (!isObject(h) || !isClock(h.c) || !(f ? validValue(f, h.v) : isTombstone(h.v))) throw bad('的冲突值格式不正确');
      }
    }
  }
  if (c.proposals !== undefined) {
    if (!Array.isArray(c.proposals) || c.proposals.length > 1000) throw bad('的修改提议格式不正确');
    for (const p of c.proposals as unknown[]) {
      if (!isObject(p) || typeof p.field !== 'string' || !isClock(p.c) || typeof p.office !== 'string' || !optString(p.name ?? null)) throw bad('的修改提议格式不正确');
      const f = t.byKey.get(p.field);
      if ((!f && p.field !== TOMBSTONE) || !(f ? validValue(f, p.v) : isTombstone(p.v))) throw bad('的修改提议格式不正确');
    }
  }
  return t;
}
