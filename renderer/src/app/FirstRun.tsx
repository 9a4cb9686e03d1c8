import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { useErrorReport } from '../components/forms/engine-error.js';
import { PageTitle } from '../components/PageTitle.js';
import { LEVELS as LEVEL_VOCAB, OFFICE_KINDS } from '../../../db/domain/enums.js';

const KINDS = OFFICE_KINDS.codes;
const LEVELS = LEVEL_VOCAB.codes;
interface SetupValues {
  officeName: string; officeKind: (typeof KINDS)[number]; level: (typeof LEVELS)[number];
  adminUsername: string; adminDisplayName: string; adminPassword: string;
}

/**
 * First launch: 建立本单位台账 (office + first administrator, who is then logged in; `onDone` gets
 * the recovery key to show once) or 打开演示台账.
 */
export function FirstRun({ onDone }: { onDone(key?: { recoveryKey: string; officeName: string }): void }) {
  const { t } = useTranslation('auth');
  const { message } = App.useApp();
  const report = useErrorReport();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<string | null>(null);

  async function setup(values: SetupValues) {
    setBusy(true);
    try {
      const r = await call('ledger:setup', {
        officeName: values.officeName, officeKind: values.officeKind, level: values.level,
        adminUsername: values.adminUsername, adminDisplayName: values.adminDisplayName, adminPassword: values.adminPassword,
      });
      void message.success(t('setupDone'));
      onDone({ recoveryKey: r.recoveryKey, officeName: values.officeName });
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  }

  async function openDemo() {
    setBusy(true);
    try {
      const r = await call('ledger:openDemo');
      setDemo(r.password);
      onDone();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  }

  const req = (field: string) => [{ required: true, message: t('required', { field }) }];
  return (
    <main className="xz-firstrun">
      <PageTitle look={3}>{t('welcome')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('firstRunIntro')}</Typography.Paragraph>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Card title={t('setupTitle')}>
            <Form form={form} layout="vertical" onFinish={(v) => void setup(v as SetupValues)} initialValues={{ officeKind: 'inspected_unit', level: 'province' }}>
              <Form.Item name="officeName" label={t('officeName')} rules={req(t('officeName'))}><Input maxLength={200} /></Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="officeKind" label={t('officeKind')} rules={req(t('officeKind'))}>
                    <Select options={KINDS.map((k) => ({ value: k, label: t(`officeKinds.${k}`) }))} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="level" label={t('level')} rules={req(t('level'))}>
                    <Select options={LEVELS.map((k) => ({ value: k, label: t(`levels.${k}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col span={12}><Form.Item name="adminUsername" label={t('adminUsername')} rules={req(t('adminUsername'))}><Input maxLength={32} autoComplete="off" /></Form.Item></Col>
                <Col span={12}><Form.Item name="adminDisplayName" label={t('adminDisplayName')} rules={req(t('adminDisplayName'))}><Input maxLength={100} /></Form.Item></Col>
              </Row>
              <Row gutter={12}>
                <Col span={12}><Form.Item name="adminPassword" label={t('adminPassword')} rules={req(t('adminPassword'))}><Input.Password autoComplete="new-password" /></Form.Item></Col>
                <Col span={12}>
                  <Form.Item
                    name="adminPassword2" label={t('adminPassword2')} dependencies={['adminPassword']}
                    rules={[...req(t('adminPassword2')), ({ getFieldValue }) => ({
                      validator: (_r, v) => (v === getFieldValue('adminPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
                    })]}
                  >
                    <Input.Password autoComplete="new-password" />
                  </Form.Item>
                </Col>
              </Row>
              <Button type="primary" htmlType="submit" loading={busy}>{t('setupTitle')}</Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('demoTitle')}>
            <Typography.Paragraph>{t('demoHint', { password: 'yanshi-2024-mima' })}</Typography.Paragraph>
            <Button onClick={() => void openDemo()} loading={busy}>{t('demoTitle')}</Button>
            {demo && <Alert style={{ marginTop: 12 }} type="success" title={t('demoHint', { password: demo })} />}
          </Card>
        </Col>
      </Row>
    </main>
  );
}
