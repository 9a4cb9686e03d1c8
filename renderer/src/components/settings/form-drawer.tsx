import { Alert, App, Button, Drawer, Form, Space, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useWindowEvent } from '../hooks.js';

/**
 * A form in a drawer over the list (the list keeps its scroll and filters). Ctrl+S saves; closing
 * with unsaved edits asks first; an engine refusal that names no field shows above the form.
 */
export function FormDrawer<T extends object>({
  open, title, form, onSubmit, onClose, busy, error, children, size = 560, okText, testId, initialValues,
}: {
  open: boolean;
  title: ReactNode;
  form: FormInstance<T>;
  onSubmit(values: T): void;
  onClose(): void;
  busy: boolean;
  error: string | null;
  children: ReactNode;
  size?: number;
  okText?: string;
  testId?: string;
  initialValues?: Partial<T>;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();

  const close = () => {
    if (!form.isFieldsTouched()) return onClose();
    modal.confirm({ title: t('states.unsaved'), okText: t('actions.confirm'), cancelText: t('actions.cancel'), onOk: onClose });
  };
  useWindowEvent('xz:save', () => {
    if (open && !busy) form.submit();
  });

  return (
    <Drawer
      open={open} title={title} size={size} onClose={close} destroyOnHidden maskClosable={false}
      data-testid={testId}
      extra={(
        <Space>
          <Button onClick={close}>{t('actions.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>{okText ?? t('actions.save')}</Button>
        </Space>
      )}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form<T> form={form} layout="vertical" onFinish={onSubmit} initialValues={initialValues} preserve={false}>
        {children}
      </Form>
    </Drawer>
  );
}
