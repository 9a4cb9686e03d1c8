/**
 * A plaintext ledger made before encryption, after log-in. An administrator gets a dialog that
 * cannot be dismissed except by logging out: what the conversion does (a backup of the original
 * first, the recovery key shown once) and 开始加密转换, which needs the password again. Anyone else
 * is told that an administrator must convert the ledger first.
 */
import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { placeError } from '../../components/forms/engine-error.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';
import type { SessionUser } from '../../core/session.js';

export interface Converted { recoveryKey: string; backupPath: string; usersNeedingPassword: string[] }

export function ConvertScreen({ user, officeName, onConverted, onLogout }: {
  user: SessionUser;
  officeName: string | null;
  onConverted(r: Converted): void;
  onLogout(): void;
}) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (user.role !== 'admin') {
    return (
      <main className="xz-firstrun" data-testid="convert-admin-only">
        <Result
          status="warning"
          title={<h1 className="xz-card-h1 xz-result-h1">{t('convert.adminOnly')}</h1>}
          subTitle={t('convert.adminOnlyHint')}
          extra={<Button type="primary" onClick={onLogout}>{t('convert.logout')}</Button>}
        />
      </main>
    );
  }

  async function convert({ password }: { password: string }) {
    setBusy(true);
    setError(null);
    try {
      onConverted(await call('ledger:convert', { password }));
    } catch (e) {
      const err = toApiError(e);
      // A wrong password is about the field just typed.
      if (err.code === 'FORBIDDEN') form.setFields([{ name: 'password', errors: [errorText(err, tc)], value: '' }]);
      else if (!placeError(form, err)) setError(errorText(err, tc));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="xz-login xz-convert-page">
      <Typography.Title level={1} className="xz-sr-only">{t('convert.title')}</Typography.Title>
      {officeName && <Typography.Paragraph type="secondary" className="xz-convert-office">{officeName}</Typography.Paragraph>}
      <Modal
        open
        title={<><LockOutlined aria-hidden /> {t('convert.title')}</>}
        closable={false}
        keyboard={false}
        mask={{ closable: false }}
        width={560}
        data-testid="convert-dialog"
        footer={[
          <Button key="logout" onClick={onLogout} disabled={busy}>{t('convert.logout')}</Button>,
          <Button key="go" type="primary" loading={busy} onClick={() => form.submit()}>{t('convert.start')}</Button>,
        ]}
      >
        <Typography.Paragraph>{t('convert.intro')}</Typography.Paragraph>
        <ol className="xz-steps">
          <li>{t('convert.step1')}</li>
          <li>{t('convert.step2')}</li>
          <li>{t('convert.step3')}</li>
          <li>{t('convert.step4')}</li>
        </ol>
        <Form form={form} layout="vertical" onFinish={(v) => void convert(v)} requiredMark={false}>
          <Form.Item name="password" label={t('convert.password')} rules={[{ required: true, message: t('required', { field: t('password') }) }]}>
            <Input.Password autoFocus autoComplete="current-password" disabled={busy} />
          </Form.Item>
        </Form>
        {busy && <Alert type="info" showIcon title={t('convert.busy')} />}
        {error && <Alert type="error" showIcon role="alert" title={error} />}
      </Modal>
    </main>
  );
}
