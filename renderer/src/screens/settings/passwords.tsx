/**
 * Setting a password, wherever 设置 does it (new account, 重置密码 / 设置密码, 修改我的密码): the
 * ledger's own rules (settings:get passwordMinLength / passwordNeedsClasses), shown as the
 * engine's sentence under the field and checked as the user types with the same pure function the
 * engine runs (db/domain/password-rules.ts), so the form and the engine never disagree. The engine
 * still decides: its refusal lands on the same field.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import { Form, Input, type FormInstance, type FormRule as Rule } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_PASSWORD_RULES, describePasswordRules, passwordProblem, type PasswordRules,
} from '../../../../db/domain/password-rules.js';
import { ApiError, call } from '../../api/client.js';
import { toApiError, useQuery, useWindowEvent } from '../../components/hooks.js';

/** The rules in force; re-read when 台账设置 announces a change (xz:settings-changed). */
export function usePasswordRules(): PasswordRules {
  const q = useQuery(() => call('settings:get'), []);
  useWindowEvent('xz:settings-changed', q.reload);
  return q.data ? { minLength: q.data.passwordMinLength, needsClasses: q.data.passwordNeedsClasses } : DEFAULT_PASSWORD_RULES;
}

/**
 * A 重新验证 refusal ('reauth_failed': the typed own password is wrong) names no field; it belongs
 * on the field where that password was typed.
 */
export async function onReauthField<T>(run: Promise<T>, field: string): Promise<T> {
  try {
    return await run;
  } catch (e) {
    const err = toApiError(e);
    if (err.code === 'FORBIDDEN' && err.payload.reason === 'reauth_failed') throw new ApiError({ ...err.payload, field });
    throw err;
  }
}

/**
 * A new password and its repetition, side by side or stacked. The hint under the first field is
 * the rule in force, then, once typed, whether the password meets it.
 */
export function NewPasswordFields<V>(p: {
  form: FormInstance<V>;
  rules: PasswordRules;
  name: string;
  label: string;
  name2: string;
  label2: string;
}) {
  const { t } = useTranslation('settings');
  const value = Form.useWatch(p.name, p.form) as string | undefined;
  const ok = !!value && passwordProblem(value, p.rules) === null;
  const required = (label: string): Rule => ({ required: true, message: t('required', { field: label }) });
  const meets: Rule = {
    validator: (_r, v: unknown) => {
      if (typeof v !== 'string' || v === '') return Promise.resolve(); // 'required' says it
      const problem = passwordProblem(v, p.rules);
      return problem ? Promise.reject(new Error(problem.message)) : Promise.resolve();
    },
  };
  const same: Rule = ({ getFieldValue }) => ({
    validator: (_r, v: unknown) => (!v || v === getFieldValue(p.name) ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
  });
  return (
    <>
      <Form.Item
        name={p.name} label={p.label} rules={[required(p.label), meets]}
        extra={(
          <span data-testid="password-rule">
            {describePasswordRules(p.rules)}
            {ok && <> <CheckCircleFilled aria-hidden style={{ color: '#237804' }} /> {t('passwordOk')}</>}
          </span>
        )}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name={p.name2} label={p.label2} dependencies={[p.name]} rules={[required(p.label2), same]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
