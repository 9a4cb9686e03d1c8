import { App, Button, Descriptions, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { useWindowEvent } from '../../components/hooks.js';

/** 本单位: the office's name (its kind and level are fixed at set-up). */
export function OfficeTab({ onDirty }: { onDirty(d: boolean): void }) {
  const { t } = useTranslation('settings');
  const { t: ta } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message } = App.useApp();
  const report = useErrorReport();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);

  async function save(v: { name: string }) {
    setBusy(true);
    try {
      await call('office:update', { name: v.name });
      onDirty(false);
      void message.success(tc('states.saved'));
      // The top bar shows the new name.
      s.refresh();
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  }
  useWindowEvent('xz:save', () => form.submit());

  return (
    <div style={{ maxWidth: 640 }}>
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }} items={[
        { key: 'kind', label: ta('officeKind'), children: s.office ? ta(`officeKinds.${s.office.kind}`) : '—' },
        { key: 'level', label: ta('level'), children: s.office ? ta(`levels.${s.office.level}`) : '—' },
      ]} />
      <Form form={form} layout="vertical" initialValues={{ name: s.office?.name ?? '' }} onFinish={(v) => void save(v)}
        onValuesChange={() => onDirty(true)}>
        <Form.Item name="name" label={t('officeName')} rules={[{ required: true, message: t('required', { field: t('officeName') }) }]} extra={t('officeNameHint')}>
          <Input maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{tc('actions.save')}</Button>
      </Form>
    </div>
  );
}
