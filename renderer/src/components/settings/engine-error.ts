import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.js';
import { toApiError } from '../hooks.js';
import { errorText } from '../states.js';

/**
 * Show an engine refusal where the clerk looks: on the form field the engine names (VALIDATION
 * with `field`, e.g. 'username' or 'rules.concentratedMonths'), otherwise as a sentence the caller
 * shows above the form. Returns that sentence, or null when it went onto a field.
 */
export function placeError(e: unknown, form: FormInstance | null, fields: readonly string[], t: (k: string) => string): string | null {
  const err: ApiError = e instanceof ApiError ? e : toApiError(e);
  // A list element the engine refuses is named 'taskIds.2': the message belongs on the list.
  const field = err.field && !fields.includes(err.field) ? err.field.replace(/\.\d+$/, '') : err.field;
  if (form && field && fields.includes(field)) {
    form.setFields([{ name: field.split('.'), errors: [err.message] }]);
    return null;
  }
  return errorText(err, t);
}
