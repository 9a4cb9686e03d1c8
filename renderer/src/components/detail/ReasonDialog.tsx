/** Ask for the reason the engine requires before a destructive or reversing step (删除、重新打开…). */
import { Alert, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from './FormDialog.js';

export function ReasonDialog(p: {
  open: boolean;
  title: string;
  label: string;
  warning?: ReactNode;
  okText: string;
  danger?: boolean;
  testId: string;
  onClose(): void;
  onSubmit(reason: string): Promise<void>;
  doneText?: string | null;
}) {
  const { t } = useTranslation('tasks');
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormDialog
      open={p.open} title={p.title} form={form} onClose={p.onClose} fields={['reason']} okText={p.okText} okDanger={p.danger}
      doneText={p.doneText} testId={p.testId} width={480}
      onSubmit={(v) => p.onSubmit(v.reason.trim())}
    >
      {p.warning && <Alert type="warning" showIcon title={p.warning} style={{ marginBottom: 12 }} />}
      <Form.Item name="reason" label={p.label} rules={[{ required: true, whitespace: true, message: t('reasonRequired', { label: p.label }) }]}>
        <Input.TextArea rows={3} maxLength={200} showCount />
      </Form.Item>
    </FormDialog>
  );
}
