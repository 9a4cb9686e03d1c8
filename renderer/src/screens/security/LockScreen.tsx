/**
 * 台账已锁定: shown instead of the shell (which is unmounted, so nothing of the ledger stays in the
 * page) after 锁定, Ctrl+L, the idle timer, or a call the engine refused because the session is
 * locked. The user's own password unlocks it (failures count towards the lock-out like log-ins);
 * 切换用户 logs out.
 */
import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';
import type { LockReason, SessionUser } from '../../core/session.js';

export function LockScreen({ user, why, officeName, onUnlocked, onLogout }: {
  user: SessionUser;
  why: LockReason;
  officeName: string | null;
  onUnlocked(): void;
  onLogout(): void;
}) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function unlock({ password }: { password: string }) {
    setBusy(true);
    setError(null);
    try {
      await call('session:unlock', { password });
      onUnlocked();
    } catch (e) {
      const err = toApiError(e);
      // The engine never locked this session (its lock call failed): nothing to unlock.
      if (err.code === 'CONFLICT' && err.payload.reason === 'not_locked') return onUnlocked();
      setError(errorText(err, tc));
      form.setFieldsValue({ password: '' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="xz-login" data-testid="lock-screen">
      <Card title={<h1 className="xz-card-h1"><LockOutlined aria-hidden /> {t('lock.title')}</h1>} className="xz-lock-card">
        {officeName && <Typography.Paragraph type="secondary">{officeName}</Typography.Paragraph>}
        <Typography.Paragraph strong data-testid="locked-user">{t('lock.who', { name: user.displayName, role: tc(`roles.${user.role}`) })}</Typography.Paragraph>
        <Typography.Paragraph>{t(`lock.${why}`)}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('lock.hint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => void unlock(v)} requiredMark={false}>
          <Form.Item name="password" label={t('lock.password')} rules={[{ required: true, message: t('required', { field: t('lock.password') }) }]}>
            <Input.Password autoFocus autoComplete="current-password" data-testid="unlock-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon role="alert" title={error} className="xz-login-error" />}
          <Space className="xz-lock-actions">
            <Button type="primary" htmlType="submit" loading={busy}>{t('lock.unlock')}</Button>
            <Button onClick={onLogout}>{t('lock.switchUser')}</Button>
          </Space>
        </Form>
      </Card>
    </main>
  );
}
