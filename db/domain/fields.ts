/**
 * The building blocks of every channel's argument schema (valibot). One builder call declares a
 * field's TypeScript type (`v.InferInput` for callers, `v.InferOutput` for the service), its
 * run-time check of untrusted JSON and its zh-CN message; `issueToError` turns the first failed
 * check into the engine's `{code: 'VALIDATION', field, reason}` that the UI places on the form.
 *
 * Why valibot over zod 4 (measured 2026-12-05 on this machine, Node 22, a task-creation argument
 * with two stages): 1.56 µs per valid call against 2.42 µs, 1.78 µs per refused call against
 * 3.96 µs, 1.9 KB against 25 KB minified+gzipped; both cost under 1% of a service call
 * (about 370 µs for a problem and its task), so speed decided less than the schemas being plain
 * data (`type`, `entries`, `pipe`) that the contract fuzz walks to generate arguments.
 *
 * Shape only: rules that need the ledger (a deadline before the feedback date, a transition, a
 * reviewer who is the submitter) stay in the services.
 *
 * Pure: no Node, no DOM, no I/O (db/domain/ is the layer the renderer may import at run time).
 */
import * as v from 'valibot';
import { DomainError } from './errors.js';

/** Common length limits (characters, counted as code points). */
export const LEN = { name: 100, short: 200, text: 4000, long: 20000 } as const;

// Reasons of failed checks travel on the check function itself (see issueToError).
type Reasoned<F> = F & { reason: string };
const reasoned = <F extends (x: never) => boolean>(reason: string, f: F): Reasoned<F> => Object.assign(f, { reason });

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Code points, without building an array for absurdly long input (a 10 MB string fails fast). */
function codePointsAtMost(s: string, max: number): boolean {
  if (s.length <= max) return true;
  if (s.length > max * 2) return false;
  let n = 0;
  for (const _ of s) if (++n > max) return false;
  return true;
}

/** A calendar date 'YYYY-MM-DD' that exists (no 2月30日), between 1949 and 2200. */
export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1949 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const blank = (x: unknown) => x === undefined || x === null || x === '';
const need = (label: string, verb = '填写') => (i: v.BaseIssue<unknown>) => (blank(i.input) ? `请${verb}${label}。` : `${label}的格式不正确。`);

function textChecks(label: string, max: number) {
  return [
    v.check(reasoned('too_long', (s: string) => codePointsAtMost(s, max)), `${label}不能超过${max}个字。`),
    v.check(reasoned('control_chars', (s: string) => !CONTROL.test(s)), `${label}含有不可见的控制字符。`),
  ] as const;
}

/**
 * A required field whose caller may still pass null: an empty form field arrives as null and gets
 * the field's own 请填写/请选择 message (the key itself must be there, so a forgotten key still
 * fails to compile).
 */
function filled<S extends v.GenericSchema>(inner: S, requiredMessage: string) {
  return v.pipe(
    v.nullable(inner),
    v.check(reasoned('required', (x: unknown) => x !== null), requiredMessage),
    v.transform((x) => x as NonNullable<v.InferOutput<S>>),
  );
}

/** Required text: trimmed, non-empty, at most `max` characters, no control characters. */
export function text(label: string, max: number = LEN.text) {
  return v.pipe(
    filled(v.string((i) => (blank(i.input) ? `请填写${label}。` : `${label}应为文字。`)), `请填写${label}。`),
    v.trim(),
    v.minLength(1, `请填写${label}。`),
    ...textChecks(label, max),
  );
}

/** Optional text: absent, null or blank gives null (in a patch, wrap it in `patch`). */
export function optText(label: string, max: number = LEN.text) {
  return v.pipe(
    v.nullish(v.string(`${label}应为文字。`), null),
    v.transform((s) => (s == null ? null : s.trim() || null)),
    v.check(reasoned('too_long', (s: string | null) => s === null || codePointsAtMost(s, max)), `${label}不能超过${max}个字。`),
    v.check(reasoned('control_chars', (s: string | null) => s === null || !CONTROL.test(s)), `${label}含有不可见的控制字符。`),
  );
}

const dateMsg = (label: string) => `${label}不是有效日期（格式如 2024-03-29）。`;

/** Required calendar date 'YYYY-MM-DD' that exists. */
export function date(label: string) {
  return v.pipe(
    filled(v.string(need(label)), `请填写${label}。`),
    v.minLength(1, `请填写${label}。`),
    v.check(reasoned('bad_date', isDate), dateMsg(label)),
  );
}

/** Optional date: absent, null or '' gives null. */
export function optDate(label: string) {
  return v.pipe(
    v.nullish(v.string(dateMsg(label)), null),
    v.transform((s) => (s == null || s === '' ? null : s)),
    v.check(reasoned('bad_date', (s: string | null) => s === null || isDate(s)), dateMsg(label)),
  );
}

/** Required choice among codes. */
export function oneOf<const T extends readonly [string, ...string[]]>(codes: T, label: string) {
  return filled(v.picklist(codes, (i) => (blank(i.input) ? `请选择${label}。` : `${label}的取值无效。`)), `请选择${label}。`);
}

/** Optional choice: absent, null or '' gives null. */
export function optOneOf<const T extends readonly [string, ...string[]]>(codes: T, label: string) {
  return v.pipe(
    v.nullish(v.union([v.literal(''), v.picklist(codes)], `${label}的取值无效。`), null),
    v.transform((s): T[number] | null => (s == null || s === '' ? null : s)),
  );
}

/** Required record id (UUID). */
export function id(label: string) {
  return v.pipe(
    filled(v.string(need(label, '选择')), `请选择${label}。`),
    v.minLength(1, `请选择${label}。`),
    v.check(reasoned('bad_id', (s: string) => UUID_RE.test(s)), `${label}的编号无效。`),
  );
}

/** Optional record id: absent, null or '' gives null. */
export function optId(label: string) {
  return v.pipe(
    v.nullish(v.string(`${label}的编号无效。`), null),
    v.transform((s) => (s == null || s === '' ? null : s)),
    v.check(reasoned('bad_id', (s: string | null) => s === null || UUID_RE.test(s)), `${label}的编号无效。`),
  );
}

/** Yes/no; absent or null gives `dflt`. */
export function bool(label: string, dflt = false) {
  return v.nullish(v.boolean(`${label}应为是或否。`), dflt);
}

/**
 * A field of a patch (an update): absent stays absent (the record keeps its value), present is
 * checked by `schema` (so null clears an optional field). Without it an absent optional field
 * reads as null.
 */
export function patch<S extends v.GenericSchema>(schema: S) {
  return v.optional(schema);
}

/** Required whole number in [min, max]. */
export function int(label: string, min: number, max: number) {
  return v.pipe(
    v.number(`${label}应为整数。`),
    v.integer(`${label}应为整数。`),
    v.minValue(min, `${label}应在${min}到${max}之间。`),
    v.maxValue(max, `${label}应在${min}到${max}之间。`),
  );
}

/** Optional whole number: absent or null gives null. */
export function optInt(label: string, min: number, max: number) {
  return v.nullish(int(label, min, max), null);
}

/** Optional finite number in [min, max]: absent or null gives null. */
export function optNumber(label: string, min: number, max: number) {
  return v.nullish(v.pipe(
    v.number(`${label}应为数字。`),
    v.finite(`${label}应为数字。`),
    v.minValue(min, `${label}应在${min}到${max}之间。`),
    v.maxValue(max, `${label}应在${min}到${max}之间。`),
  ), null);
}

/** A list of at most `max` items of `item`; absent or null gives []. */
export function list<S extends v.GenericSchema>(item: S, label: string, max: number) {
  return v.nullish(v.pipe(v.array(item, `${label}格式不正确。`), v.maxLength(max, `${label}不能超过${max}项。`)), () => []);
}

/** A required non-empty list of at most `max` items. */
export function nonEmptyList<S extends v.GenericSchema>(item: S, label: string, max: number) {
  return v.pipe(
    v.array(item, need(label, '选择')),
    v.minLength(1, `请选择${label}。`),
    v.maxLength(max, `${label}不能超过${max}项。`),
  );
}

/** The argument object of a channel (unknown keys are dropped, never copied). */
export function args<E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, '请求内容不完整。');
}

/** The argument of a channel that takes none: undefined, null or {}. */
export const NO_ARGS = v.nullish(v.object({}, '请求内容不完整。'));

/** A check the field's rule adds (a pattern, a relation between two values) with its reason. */
export function rule<T>(reason: string, test: (value: T) => boolean, message: string) {
  return v.check(reasoned(reason, test), message);
}

/** `a.b[3].c` from a valibot issue path; 'input' for the argument itself. */
export function fieldPath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'input' : out;
}

/** The machine-readable reason of a failed check (the same codes the services' own checks use). */
export function issueReason(issue: v.BaseIssue<unknown>): string {
  const req = (issue as { requirement?: unknown }).requirement;
  const tagged = (req as { reason?: unknown } | undefined)?.reason;
  if (typeof req === 'function' && typeof tagged === 'string') return tagged;
  switch (issue.type) {
    case 'min_length':
      return req === 1 && (typeof issue.input === 'string' || Array.isArray(issue.input)) && issue.input.length === 0 ? 'required' : 'too_short';
    case 'max_length':
      return Array.isArray(issue.input) ? 'too_many' : 'too_long';
    case 'min_value':
    case 'max_value':
      return 'range';
    case 'picklist':
    case 'literal':
    case 'union':
      return blank(issue.input) ? 'required' : 'bad_choice';
    case 'object':
      return blank(issue.input) ? 'required' : 'not_object';
    default:
      return blank(issue.input) ? 'required' : 'type';
  }
}

/**
 * The message says which item of a list it is about ("第2项：请填写阶段目标。"; a list inside a list: "第1项中的第2项：…"), as the field path
 * does for the form (stages[1].goal).
 */
function located(issue: v.BaseIssue<unknown>, message: string): string {
  const items = (issue.path ?? []).map((p) => (p as { key: unknown }).key).filter((k): k is number => typeof k === 'number');
  return items.length === 0 ? message : `${items.map((k) => `第${k + 1}项`).join('中的')}：${message}`;
}

export function issueToError(issue: v.BaseIssue<unknown>): DomainError {
  return new DomainError('VALIDATION', located(issue, issue.message), { field: fieldPath(issue), reason: issueReason(issue) });
}

type Node = { type: string; entries?: Record<string, Node>; item?: Node; wrapped?: Node };

/** The schema declared at `path` under `root` (through pipes, optional wrappers, objects and arrays). */
function schemaAt(root: v.GenericSchema, path: readonly unknown[]): v.GenericSchema | null {
  let s = root as unknown as Node;
  for (const key of path) {
    while (s.wrapped) s = s.wrapped;
    const next: Node | undefined = typeof key === 'number' ? s.item : s.entries?.[String(key)];
    if (!next) return null;
    s = next;
  }
  return s as unknown as v.GenericSchema;
}

/** Parse untrusted input against a schema; the first failed check becomes a VALIDATION error. */
export function parse<S extends v.GenericSchema>(schema: S, raw: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, raw, { abortEarly: true });
  if (r.success) return r.output;
  const issue = r.issues[0];
  // A missing key is reported on its object; let the field's own schema say what is missing.
  const last = issue.path?.[issue.path.length - 1] as { origin?: string } | undefined;
  if (last?.origin === 'key' && issue.input === undefined) {
    const field = schemaAt(schema, issue.path!.map((p) => (p as { key: unknown }).key));
    const own = field && v.safeParse(field, undefined, { abortEarly: true });
    if (own && !own.success) {
      const inner = own.issues[0];
      throw new DomainError('VALIDATION', located(issue, inner.message), { field: fieldPath(issue), reason: issueReason(inner) });
    }
  }
  throw issueToError(issue);
}

export type In<S extends v.GenericSchema> = v.InferInput<S>;
export type Out<S extends v.GenericSchema> = v.InferOutput<S>;
export { v };
