/**
 * An engine refusal shown where the clerk looks: on the form field it names (a VALIDATION error
 * carries `field`, e.g. 'username', 'rules.concentratedMonths', 'stages[1].endOn' or 'taskIds[2]'),
 * otherwise as one zh-CN sentence.
 */
import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.js';
import { toApiError } from '../hooks.js';
import { errorText } from '../States.js';

type Path = (string | number)[];

/** 'stages[1].endOn' → 'stages.1.endOn' (the engine's path notation, written as antd's dotted one). */
const dotted = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

/** 'stages.1.endOn' → ['stages', 1, 'endOn'] (the engine names list items by index, as antd does). */
function namePath(field: string): Path {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((x, k) => String(x) === String(b[k]));

/**
 * Put the error on the field it names and bring that field into view. `alias` maps engine names to
 * form names where they differ (whole name or its first part: { dataBase64: 'files' }). Only a field
 * the form shows counts (a message on a hidden field would be seen by nobody); a list element the
 * form does not show on its own ('taskIds[2]') lands on its list. Returns false when no field took it.
 */
export function placeError(form: FormInstance | null, e: ApiError, alias: Record<string, string> = {}): boolean {
  if (!form || !e.field) return false;
  const field = dotted(e.field);
  const [head, ...rest] = field.split('.');
  const named = alias[field] ?? (head !== undefined && alias[head] ? [alias[head], ...rest].join('.') : field);
  const shown = form.getFieldsError().map((f) => f.name);
  for (let path = namePath(named); path.length > 0; path = path.slice(0, -1)) {
    if (shown.some((n) => samePath(n, path))) {
      form.setFields([{ name: path, errors: [e.payload.message] }]);
      form.scrollToField(path);
      return true;
    }
    if (typeof path[path.length - 1] !== 'number') break; // only list indexes are dropped
  }
  return false;
}

/**
 * For actions outside a FormShell (a page form, a button in a table): `report(e, form?)` puts the
 * engine's error on the field it names, else shows it as an error message.
 */
export function useErrorReport(): (e: unknown, form?: FormInstance | null) => void {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useCallback((e: unknown, form: FormInstance | null = null) => {
    const err = toApiError(e);
    if (!placeError(form, err)) void message.error(errorText(err, t));
  }, [message, t]);
}
