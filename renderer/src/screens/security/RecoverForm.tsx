/**
 * 忘记密码？使用恢复密钥: the office's recovery key opens the ledger and sets a new password for
 * one account, which is then logged in. The engine's refusals land on the field they name (a typo
 * in the key, a user name that is not an active account) or above the button.
 */
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client.js';
import { placeError } from '../../components/forms/engine-error.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';

interface RecoverValues { recoveryKey: string; username: string; newPassword: string; newPassword2: string }

export function RecoverForm({ onDone, onBack }: { onDone(): void; onBack(): void }) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<RecoverValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(v: RecoverValues) {
    setBusy(true);
    setError(null);
    try {
      await call('session:recover', { recoveryKey: v.recoveryKey, username: v.username, newPassword: v.newPassword });
      onDone();
    } catch (e) {
      const err = toApiError(e);
      // A key that belongs to another ledger is the key's fault: shown on its field too.
      const onField = err.payload.reason === 'wrong_recovery_key'
        ? placeError(form, new ApiError({ ...err.payload, field: 'recoveryKey' }))
        : placeError(form, err);
      if (!onField) setError(errorText(err, tc));
    } finally {
      setBusy(false);
    }
  }

  const req = (field: string) => [{ required: true, message: t('required', { field }) }];
  return (
    <>
      <Typography.Paragraph type="secondary">{t('recover.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="recover-form">
        <Form.Item name="recoveryKey" label={t('recover.key')} extra={t('recover.keyHelp')} rules={req(t('recover.key'))}>
          <Input autoFocus autoComplete="off" spellCheck={false} className="xz-mono" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" maxLength={64} />
        </Form.Item>
        <Form.Item name="username" label={t('recover.username')} rules={req(t('recover.username'))}>
          <Input autoComplete="username" maxLength={32} />
        </Form.Item>
        <Form.Item name="newPassword" label={t('recover.newPassword')} rules={req(t('recover.newPassword'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="newPassword2" label={t('recover.newPassword2')} dependencies={['newPassword']}
          rules={[...req(t('recover.newPassword2')), ({ getFieldValue }) => ({
            validator: (_r, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
          })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon role="alert" title={error} className="xz-login-error" />}
        <Button type="primary" htmlType="submit" block loading={busy}>{t('recover.submit')}</Button>
        <Button type="link" block onClick={onBack} className="xz-login-link">{t('recover.back')}</Button>
      </Form>
    </>
  );
}
