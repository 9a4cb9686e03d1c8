import { App, Button, Form, InputNumber, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState, Loading } from '../../components/States.js';

interface Values {
  closeoutMinEvidence: number | null;
  warnDaysDefault: number | null;
  disclosureRequiresFlagReason: boolean;
}

/** 台账设置: ledger-wide rules of this office (settings:get / settings:update). */
export function LedgerSettingsTab({ onDirty }: { onDirty(d: boolean): void }) {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReport();
  const current = useQuery(() => call('settings:get'), []);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  async function save(v: Values) {
    setBusy(true);
    try {
      const next = await call('settings:update', v as unknown as Record<string, unknown>);
      form.setFieldsValue(next);
      onDirty(false);
      void message.success(tc('states.saved'));
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  }
  useWindowEvent('xz:save', () => form.submit());

  if (current.error) return <ErrorState error={current.error} onRetry={current.reload} />;
  if (!current.data) return <Loading />;
  return (
    <Form<Values> form={form} layout="vertical" style={{ maxWidth: 640 }} initialValues={current.data}
      onFinish={(v) => void save(v)} onValuesChange={() => onDirty(true)}>
      <Form.Item name="closeoutMinEvidence" label={t('closeoutMinEvidence')} extra={t('closeoutMinEvidenceHint')}>
        <InputNumber style={{ width: 160 }} suffix={t('copies')} />
      </Form.Item>
      <Form.Item name="warnDaysDefault" label={t('warnDaysDefault')} extra={t('warnDaysDefaultHint')}>
        <InputNumber style={{ width: 160 }} suffix={t('days')} />
      </Form.Item>
      <Form.Item name="disclosureRequiresFlagReason" label={t('disclosureRequiresFlagReason')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>{tc('actions.save')}</Button>
    </Form>
  );
}
