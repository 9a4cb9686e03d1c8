import { invalid } from '../domain/errors.js';
import { UUID_RE } from './ids.js';

/**
 * Input checks that fail with VALIDATION naming the field. Services read untrusted input through
 * these only: whatever crosses the bridge may be any JSON value.
 */
export type Input = Record<string, unknown>;

export function object(input: unknown, field = 'input'): Input {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(field, '请求内容不完整。', 'not_object');
  }
  return input as Input;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

interface TextOpts {
  max: number;
  label: string;
}

/** Required text: trimmed, non-empty, at most `max` characters, no control characters. */
export function text(v: unknown, field: string, o: TextOpts): string {
  const s = optText(v, field, o);
  if (s === null) throw invalid(field, `请填写${o.label}。`, 'required');
  return s;
}

/** Optional text: null when absent or blank. */
export function optText(v: unknown, field: string, o: TextOpts): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(field, `${o.label}应为文字。`, 'type');
  const s = v.trim();
  if (s === '') return null;
  if ([...s].length > o.max) throw invalid(field, `${o.label}不能超过${o.max}个字。`, 'too_long');
  if (CONTROL.test(s)) throw invalid(field, `${o.label}含有不可见的控制字符。`, 'control_chars');
  return s;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1949 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Required calendar date 'YYYY-MM-DD' that exists (no 2月30日). */
export function date(v: unknown, field: string, label: string): string {
  const s = optDate(v, field, label);
  if (s === null) throw invalid(field, `请填写${label}。`, 'required');
  return s;
}

export function optDate(v: unknown, field: string, label: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !isDate(v)) throw invalid(field, `${label}不是有效日期（格式如 2024-03-29）。`, 'bad_date');
  return v;
}

export function oneOf<T extends string>(v: unknown, field: string, codes: readonly T[], label: string): T {
  if (v === undefined || v === null || v === '') throw invalid(field, `请选择${label}。`, 'required');
  if (typeof v !== 'string' || !(codes as readonly string[]).includes(v)) {
    throw invalid(field, `${label}的取值无效。`, 'bad_choice');
  }
  return v as T;
}

export function optOneOf<T extends string>(v: unknown, field: string, codes: readonly T[], label: string): T | null {
  if (v === undefined || v === null || v === '') return null;
  return oneOf(v, field, codes, label);
}

export function id(v: unknown, field: string, label: string): string {
  if (v === undefined || v === null || v === '') throw invalid(field, `请选择${label}。`, 'required');
  if (typeof v !== 'string' || !UUID_RE.test(v)) throw invalid(field, `${label}的编号无效。`, 'bad_id');
  return v;
}

export function optId(v: unknown, field: string, label: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  return id(v, field, label);
}

export function bool(v: unknown, field: string, label: string, dflt = false): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw invalid(field, `${label}应为是或否。`, 'type');
  return v;
}

export function int(v: unknown, field: string, label: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(field, `${label}应为整数。`, 'type');
  if (v < min || v > max) throw invalid(field, `${label}应在${min}到${max}之间。`, 'range');
  return v;
}

export function optNumber(v: unknown, field: string, label: string, min: number, max: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, `${label}应为数字。`, 'type');
  if (v < min || v > max) throw invalid(field, `${label}应在${min}到${max}之间。`, 'range');
  return v;
}

/** Common length limits (characters). */
export const LEN = { name: 100, short: 200, text: 4000, long: 20000 } as const;
