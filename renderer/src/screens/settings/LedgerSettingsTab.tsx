import { App, Button, Divider, Form, InputNumber, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describePasswordRules } from '../../../../db/domain/password-rules.js';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState, Loading } from '../../components/States.js';

interface Values {
  closeoutMinEvidence: number | null;
  warnDaysDefault: number | null;
  disclosureRequiresFlagReason: boolean;
  passwordMinLength: number | null;
  passwordNeedsClasses: number | null;
  idleLockMinutes: number | null;
}

/**
 * 台账设置: ledger-wide rules of this office (settings:get / settings:update), with the 安全 rules:
 * the password rules for passwords set from now on, and the idle minutes before the ledger locks.
 * A saved change is announced (xz:settings-changed): the idle lock and the password forms follow.
 */
export function LedgerSettingsTab({ onDirty }: { onDirty(d: boolean): void }) {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReport();
  const current = useQuery(() => call('settings:get'), []);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const minLength = Form.useWatch('passwordMinLength', form);
  const needsClasses = Form.useWatch('passwordNeedsClasses', form);

  async function save(v: Values) {
    setBusy(true);
    try {
      const next = await call('settings:update', v as unknown as Record<string, unknown>);
      form.setFieldsValue(next);
      onDirty(false);
      window.dispatchEvent(new Event('xz:settings-changed'));
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
      onFinish={(v) => void save(v)}
      onValuesChange={(changed: Partial<Values>) => {
        onDirty(true);
        // An engine refusal shown on a field (these fields have no rules of their own) goes once the value changes.
        form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof Values, errors: [] })));
      }}>
      <Form.Item name="closeoutMinEvidence" label={t('closeoutMinEvidence')} extra={t('closeoutMinEvidenceHint')}>
        <InputNumber style={{ width: 160 }} suffix={t('copies')} />
      </Form.Item>
      <Form.Item name="warnDaysDefault" label={t('warnDaysDefault')} extra={t('warnDaysDefaultHint')}>
        <InputNumber style={{ width: 160 }} suffix={t('days')} />
      </Form.Item>
      <Form.Item name="disclosureRequiresFlagReason" label={t('disclosureRequiresFlagReason')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Divider style={{ margin: '8px 0 12px' }} />
      <Typography.Title level={2} style={{ fontSize: 15, margin: '0 0 12px' }}>{t('security')}</Typography.Title>
      <Form.Item name="passwordMinLength" label={t('passwordMinLength')} extra={t('passwordMinLengthHint')}>
        <InputNumber style={{ width: 160 }} precision={0} suffix={t('chars')} />
      </Form.Item>
      <Form.Item name="passwordNeedsClasses" label={t('passwordNeedsClasses')} extra={t('passwordNeedsClassesHint')}>
        <InputNumber style={{ width: 160 }} precision={0} suffix={t('classes')} />
      </Form.Item>
      {typeof minLength === 'number' && typeof needsClasses === 'number' && (
        <Typography.Paragraph type="secondary" data-testid="password-rule-preview">
          {t('ruleNow', { rule: describePasswordRules({ minLength, needsClasses }) })}
        </Typography.Paragraph>
      )}
      <Form.Item name="idleLockMinutes" label={t('idleLockMinutes')} extra={t('idleLockMinutesHint')}>
        <InputNumber style={{ width: 160 }} precision={0} suffix={t('minutes')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>{tc('actions.save')}</Button>
    </Form>
  );
}
