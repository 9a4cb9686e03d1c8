import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../api/client.js';
import { errorText } from '../components/States.js';

export function Login({ officeName, onLogin }: { officeName: string | null; onLogin(): void }) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await call('session:login', { username: v.username, password: v.password });
      onLogin();
    } catch (e) {
      setError(e instanceof ApiError ? errorText(e, tc) : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="xz-login">
      <Card title={<h1 className="xz-card-h1">{`${tc('appName')} · ${t('loginTitle')}`}</h1>} style={{ width: 380 }}>
        {officeName && <Typography.Paragraph type="secondary">{officeName}</Typography.Paragraph>}
        <Form layout="vertical" onFinish={(v) => void submit(v as { username: string; password: string })}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required', { field: t('username') }) }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required', { field: t('password') }) }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Typography.Paragraph type="danger" role="alert">{error}</Typography.Paragraph>}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login')}</Button>
        </Form>
      </Card>
    </main>
  );
}
