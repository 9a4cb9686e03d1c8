/**
 * 确认指纹: the clerk calls the partner, who reads its fingerprint out; what is typed must match the
 * waiting key (the engine compares, ignoring case, spaces and dashes). A mismatch is shown above
 * the box, in red, and the partner stays 待确认指纹.
 */
import { Alert, App, Form, Input, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { KeyGroups } from '../../components/KeySheet.js';
import { useFingerprintRefusal, waitingKey, type Partner } from './api.js';

interface ConfirmValues { fingerprint: string }

export function ConfirmDialog({ partner, onClose, onConfirmed }: { partner: Partner; onClose(): void; onConfirmed(): void }) {
  const { t } = useTranslation('exchange');
  const { message } = App.useApp();
  const refused = useFingerprintRefusal();
  const [form] = Form.useForm<ConfirmValues>();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const fingerprint = waitingKey(partner)?.fingerprint ?? partner.fingerprint;

  async function confirm(v: ConfirmValues): Promise<void | false> {
    setMismatch(null);
    setProblem(null);
    try {
      await call('partners:confirm', { officeId: partner.officeId, fingerprint: v.fingerprint.trim() });
      void message.success(t('confirm.done', { name: partner.name }));
      onConfirmed();
    } catch (e) {
      refused(e, { form, setMismatch, setProblem });
      return false;
    }
  }

  return (
    <FormShell<ConfirmValues>
      form={form} title={t('confirm.title', { name: partner.name })} okText={t('confirm.ok')} doneText={null} size={600} testId="confirm-partner-dialog"
      onClose={onClose} onSubmit={confirm}
    >
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>{t('confirm.intro')}</Typography.Paragraph>
      <Typography.Text strong id={`${id}-fp`}>{t('confirm.onCard')}</Typography.Text>
      <div role="group" aria-labelledby={`${id}-fp`} className="xz-exchange-gap"><KeyGroups value={fingerprint} testId="confirm-fingerprint" /></div>
      {mismatch && <Alert type="error" showIcon role="alert" title={t('confirm.mismatchTitle')} description={mismatch} className="xz-exchange-mismatch" data-testid="fingerprint-mismatch" />}
      <Form.Item name="fingerprint" label={t('confirm.typed')} rules={[{ required: true, whitespace: true, message: t('confirm.required') }]}>
        <Input className="xz-mono" maxLength={64} autoComplete="off" spellCheck={false} placeholder={t('add.typedPlaceholder')} autoFocus />
      </Form.Item>
    </FormShell>
  );
}
