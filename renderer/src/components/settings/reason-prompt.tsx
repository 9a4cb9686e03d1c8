import { Form, Input, Modal } from 'antd';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ReasonAsk {
  title: string;
  /** Label of the reason box, e.g. 删除理由. */
  label: string;
  /** Shown when the box is left empty, e.g. 请填写删除理由。 */
  required: string;
  okText: string;
  danger?: boolean;
}

interface Pending extends ReasonAsk {
  resolve(reason: string | null): void;
}

/**
 * Ask for the reason a destructive step needs (the engine refuses a deletion without one).
 * `ask(...)` resolves to the reason, or null when the user cancels.
 */
export function useReasonPrompt(): [(o: ReasonAsk) => Promise<string | null>, ReactNode] {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Pending | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const ref = useRef<Pending | null>(null);
  ref.current = pending;

  const ask = useCallback((o: ReasonAsk) => new Promise<string | null>((resolve) => setPending({ ...o, resolve })), []);

  const finish = (reason: string | null) => {
    ref.current?.resolve(reason);
    setPending(null);
  };

  const holder = (
    <Modal
      open={pending !== null} title={pending?.title} okText={pending?.okText} cancelText={t('actions.cancel')}
      okButtonProps={{ danger: pending?.danger !== false }} destroyOnHidden onCancel={() => finish(null)}
      onOk={() => form.submit()}
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => finish(v.reason.trim())}>
        <Form.Item
          name="reason" label={pending?.label}
          rules={[{ required: true, whitespace: true, message: pending?.required }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
  return [ask, holder];
}
