/**
 * The password dialogs of 设置:
 * - 重置密码 / 设置密码 / 重新启用 for another user (users:update with `password` and the acting
 *   administrator's own `adminPassword`; a wrong one is refused as 'reauth_failed' and shown on
 *   the 您的登录密码 field);
 * - 修改我的密码 for the logged-in user (users:changeOwnPassword, giving the old password).
 */
import { Alert, Divider, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useSession } from '../../core/session.js';
import { NewPasswordFields, onReauthField, usePasswordRules } from './passwords.js';

type User = Awaited<ResultOf<'users:list'>>[number];

/** reset: 重置密码; set: an account without a password (设置密码); reactivate: 启用 a disabled account. */
export type PasswordMode = 'reset' | 'set' | 'reactivate';

interface ResetValues { password: string; password2: string; adminPassword: string }

export function ResetPasswordDialog(p: { user: User; mode: PasswordMode; open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('settings');
  const rules = usePasswordRules();
  const { user, mode } = p;
  const name = user.displayName;
  const title = mode === 'set' ? t('setPasswordTitle', { name }) : mode === 'reactivate' ? t('reactivateTitle', { name }) : t('resetTitle', { name });
  const okText = mode === 'set' ? t('setPassword') : mode === 'reactivate' ? t('enable') : t('resetPassword');
  const done = mode === 'set' ? t('passwordSet', { name }) : mode === 'reactivate' ? t('reactivated', { name }) : t('passwordReset', { name });
  const intro = mode === 'set' ? t('setPasswordIntro') : mode === 'reactivate' ? t('reactivateIntro') : null;
  return (
    <FormShell<ResetValues>
      open={p.open} title={title} okText={okText} size={520} doneText={done} onClose={p.onClose} testId="reset-password"
      onSubmit={async (v) => {
        await onReauthField(call('users:update', {
          id: user.id, password: v.password, adminPassword: v.adminPassword, ...(mode === 'reactivate' ? { active: true } : {}),
        }), 'adminPassword');
        p.onDone();
      }}
    >
      {(form) => (
        <>
          {intro && <Alert type="info" showIcon title={intro} style={{ marginBottom: 12 }} />}
          <NewPasswordFields form={form} rules={rules} name="password" label={t('newPassword')} name2="password2" label2={t('password2')} />
          <Divider style={{ margin: '4px 0 12px' }} />
          <Form.Item
            name="adminPassword" label={t('adminPassword')} extra={t('adminPasswordHint')}
            rules={[{ required: true, message: t('adminPasswordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        </>
      )}
    </FormShell>
  );
}

interface OwnValues { oldPassword: string; newPassword: string; newPassword2: string }

export function ChangeOwnPasswordDialog(p: { open: boolean; onClose(): void }) {
  const { t } = useTranslation('settings');
  const s = useSession();
  const rules = usePasswordRules();
  return (
    <FormShell<OwnValues>
      open={p.open} title={t('changeOwnTitle', { name: s.user.displayName })} okText={t('changeOwnPassword')} size={480}
      doneText={t('ownPasswordChanged')} onClose={p.onClose} testId="change-own-password"
      onSubmit={async (v) => {
        await onReauthField(call('users:changeOwnPassword', { oldPassword: v.oldPassword, newPassword: v.newPassword }), 'oldPassword');
      }}
    >
      {(form) => (
        <>
          <Form.Item name="oldPassword" label={t('oldPassword')} rules={[{ required: true, message: t('required', { field: t('oldPassword') }) }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <NewPasswordFields form={form} rules={rules} name="newPassword" label={t('newPassword')} name2="newPassword2" label2={t('newPassword2')} />
        </>
      )}
    </FormShell>
  );
}
