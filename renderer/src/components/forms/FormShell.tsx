/**
 * The one way the screens show a form over a page: in a modal, or in a drawer for a long form (the
 * page keeps its scroll and filters). The house rules are built in, so no screen repeats them:
 * - each opening starts from `initialValues`;
 * - Ctrl+S (the `xz:save` window event) saves, like the 保存 button;
 * - while saving the buttons wait and a second save is ignored;
 * - an engine refusal lands on the field it names; one that names no field is shown above the form
 *   (it stays until the next try, unlike a passing toast), and the form stays open;
 * - closing with unsaved edits (button, ×, Esc) asks first;
 * - after a save the form says so (`doneText`) and closes.
 */
import { Alert, App, Button, Drawer, Form, Modal, Space, type FormInstance } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, useWindowEvent } from '../hooks.js';
import { errorText } from '../States.js';
import { placeError } from './engine-error.js';

export interface FormShellProps<V> {
  /** Absent: open (a caller that mounts the form only while it is open). */
  open?: boolean;
  kind?: 'modal' | 'drawer';
  title: ReactNode;
  /** The caller's form, when it watches or sets fields; otherwise the shell keeps its own. */
  form?: FormInstance<V>;
  initialValues?: Partial<V>;
  /**
   * Save. Throw (an ApiError) to keep the form open with the error shown; resolve to `false` to
   * keep it open quietly (e.g. the user declined a confirmation).
   */
  onSubmit(values: V): Promise<void | false>;
  onClose(): void;
  onValuesChange?(changed: Partial<V>, all: V): void;
  /** Engine field name → form field name, where they differ. */
  alias?: Record<string, string>;
  okText?: string;
  danger?: boolean;
  /** Said after a successful save; null: nothing (the caller says it). Default 已保存. */
  doneText?: string | null;
  /** Width in pixels (modal 560, drawer 560 unless given). */
  size?: number;
  testId?: string;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}

export function FormShell<V extends object>(p: FormShellProps<V>) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [own] = Form.useForm<V>();
  const form = p.form ?? own;
  const open = p.open ?? true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const saving = useRef(false); // a ref as well: two Ctrl+S in one frame must not save twice
  const edited = useRef(false);
  const wasOpen = useRef(false);

  // Each opening starts afresh (a reopening during the closing animation finds the form still mounted).
  useEffect(() => {
    if (open && !wasOpen.current) {
      form.resetFields();
      setError(null);
      edited.current = false;
    }
    wasOpen.current = open;
  }, [open, form]);

  async function finish(values: V) {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    setError(null);
    try {
      if ((await p.onSubmit(values)) === false) return;
      if (p.doneText !== null) void message.success(p.doneText ?? t('states.saved'));
      edited.current = false;
      p.onClose();
    } catch (e) {
      const err = toApiError(e);
      if (!placeError(form, err, p.alias)) setError(errorText(err, t));
    } finally {
      saving.current = false;
      setBusy(false);
    }
  }

  function close() {
    if (saving.current) return;
    if (!edited.current && !form.isFieldsTouched()) return p.onClose();
    modal.confirm({ title: t('states.unsaved'), okText: t('actions.confirm'), cancelText: t('actions.cancel'), onOk: () => p.onClose() });
  }

  const submit = () => form.submit();
  useWindowEvent('xz:save', () => {
    if (open && !saving.current) submit();
  });

  const body = (
    <div data-testid={p.testId}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form<V>
        form={form} layout="vertical" initialValues={p.initialValues} clearOnDestroy scrollToFirstError
        onFinish={(v) => void finish(v)}
        onValuesChange={(changed, all) => {
          edited.current = true;
          p.onValuesChange?.(changed, all);
        }}
      >
        {typeof p.children === 'function' ? p.children(form) : p.children}
      </Form>
    </div>
  );
  const okText = p.okText ?? t('actions.save');

  if (p.kind === 'drawer') {
    return (
      <Drawer
        open={open} title={p.title} size={p.size ?? 560} onClose={close} destroyOnHidden mask={{ closable: false }}
        footer={(
          <Space style={{ float: 'right' }}>
            <Button onClick={close} disabled={busy}>{t('actions.cancel')}</Button>
            <Button type="primary" danger={p.danger} loading={busy} onClick={submit}>{okText}</Button>
          </Space>
        )}
      >
        {body}
      </Drawer>
    );
  }
  return (
    <Modal
      open={open} title={p.title} width={p.size ?? 560} onCancel={close} onOk={submit} destroyOnHidden mask={{ closable: false }}
      okText={okText} cancelText={t('actions.cancel')} confirmLoading={busy}
      okButtonProps={{ danger: p.danger }} cancelButtonProps={{ disabled: busy }}
    >
      {body}
    </Modal>
  );
}
