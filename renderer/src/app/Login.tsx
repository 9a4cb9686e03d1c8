import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { toApiError } from '../components/hooks.js';
import { errorText } from '../components/States.js';
import { RecoverForm } from '../screens/security/RecoverForm.js';

export interface FileProblem { reason: string; message: string }

/** After this long the log-in says why it may take minutes. */
const SLOW_LOGIN_MS = 3000;

/**
 * 登录, with 忘记密码？使用恢复密钥 beside it. Each refusal shows the engine's own sentence (wrong
 * password, lock-out with the time to wait); a file the engine cannot open goes to the file-problem
 * page instead. A plaintext ledger says so: an administrator logs in to convert it.
 */
export function Login({ officeName, notEncrypted, onLogin, onFileProblem }: {
  officeName: string | null;
  /** The ledger is a plaintext one made before encryption (ledger:status 'needs_conversion'). */
  notEncrypted: boolean;
  onLogin(): void;
  onFileProblem(p: FileProblem): void;
}) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovering, setRecovering] = useState(false);
  // A log-in that takes long is opening a large ledger, or upgrading it (after a backup) the first
  // time this version opens it: say so, rather than a button that spins for minutes.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!busy) return setSlow(false);
    const timer = setTimeout(() => setSlow(true), SLOW_LOGIN_MS);
    return () => clearTimeout(timer);
  }, [busy]);

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await call('session:login', { username: v.username, password: v.password });
      onLogin();
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'CORRUPT' && err.payload.reason) onFileProblem({ reason: err.payload.reason, message: err.payload.message });
      else setError(errorText(err, tc));
    } finally {
      setBusy(false);
    }
  }

  const title = recovering ? t('recover.title') : t('loginTitle');
  return (
    <main className="xz-login">
      <Card title={<h1 className="xz-card-h1">{`${tc('appName')} · ${title}`}</h1>} className={recovering ? 'xz-login-card xz-login-wide' : 'xz-login-card'}>
        {officeName && <Typography.Paragraph type="secondary">{officeName}</Typography.Paragraph>}
        {recovering ? (
          <RecoverForm onDone={onLogin} onBack={() => setRecovering(false)} />
        ) : (
          <>
            {notEncrypted && (
              <Alert type="warning" showIcon title={t('notEncrypted')} description={t('notEncryptedHint')} className="xz-login-note" data-testid="not-encrypted" />
            )}
            <Form layout="vertical" onFinish={(v) => void submit(v as { username: string; password: string })} requiredMark={false}>
              <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required', { field: t('username') }) }]}>
                <Input autoFocus autoComplete="username" />
              </Form.Item>
              <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required', { field: t('password') }) }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              {error && <Alert type="error" showIcon role="alert" title={error} className="xz-login-error" data-testid="login-error" />}
              {slow && <Alert type="info" showIcon role="status" title={t('slowOpen')} description={t('slowOpenHint')} className="xz-login-error" data-testid="login-slow" />}
              <Button type="primary" htmlType="submit" block loading={busy}>{t('login')}</Button>
              {!notEncrypted && (
                <Button type="link" block onClick={() => setRecovering(true)} className="xz-login-link">{t('forgot')}</Button>
              )}
            </Form>
          </>
        )}
      </Card>
    </main>
  );
}
