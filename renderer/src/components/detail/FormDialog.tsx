/**
 * A form in a modal (or a drawer for long forms) with the house rules built in: the engine's
 * error is shown on the field it names (else as a message), Ctrl+S saves, and closing a form
 * with unsaved edits asks first.
 */
import { App, Button, Drawer, Form, Modal, Space, type FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.js';
import { toApiError, useWindowEvent } from '../hooks.js';
import { errorText } from '../states.js';

/** 'stages.1.dueDate' → ['stages', 1, 'dueDate'] (antd name path of a Form.List item). */
export function namePath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Put an engine error on the form field it names when the form has that field (`fields` lists
 * the form's top-level names; `alias` maps engine names to form names). Returns false when the
 * error belongs to no field, so the caller shows it elsewhere.
 */
export function placeError(form: FormInstance, e: ApiError, fields: readonly string[], alias: Record<string, string> = {}): boolean {
  if (!e.field) return false;
  const path = namePath(alias[e.field] ?? e.field);
  if (!fields.includes(String(path[0]))) return false;
  form.setFields([{ name: path, errors: [e.payload.message] }]);
  return true;
}

export interface FormDialogProps<V> {
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  onClose(): void;
  /** Save; throw (an ApiError) to keep the dialog open with the error shown. */
  onSubmit(values: V): Promise<void>;
  /** The form's top-level field names, for placing engine errors. */
  fields: readonly string[];
  alias?: Record<string, string>;
  initialValues?: Partial<V>;
  okText?: string;
  okDanger?: boolean;
  /** Shown after a successful save (null: nothing). */
  doneText?: string | null;
  drawer?: boolean;
  width?: number;
  testId: string;
  children: ReactNode;
  onValuesChange?(changed: Partial<V>, all: V): void;
}

export function FormDialog<V extends object>(p: FormDialogProps<V>) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { open, form, initialValues } = p;

  // Each opening starts from the given values (the form stays mounted so presets can be set).
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (initialValues) form.setFieldsValue(initialValues as never);
  }, [open]); // only on opening: later prop changes must not wipe what the user typed

  async function submit() {
    if (busy) return;
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows the field errors
    }
    setBusy(true);
    try {
      await p.onSubmit(values);
      if (p.doneText !== null) void message.success(p.doneText ?? t('states.saved'));
      form.resetFields();
      p.onClose();
    } catch (err) {
      const e = toApiError(err);
      if (!placeError(form, e, p.fields, p.alias)) void message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    if (busy) return;
    if (!form.isFieldsTouched()) {
      form.resetFields();
      p.onClose();
      return;
    }
    modal.confirm({
      title: t('states.unsaved'),
      okText: t('actions.confirm'),
      cancelText: t('actions.cancel'),
      onOk: () => {
        form.resetFields();
        p.onClose();
      },
    });
  }

  useWindowEvent('xz:save', () => {
    if (open) void submit();
  });

  const body = (
    <div data-testid={p.testId}>
      <Form<V> form={form} layout="vertical" requiredMark onValuesChange={p.onValuesChange} initialValues={initialValues}>
        {p.children}
      </Form>
    </div>
  );
  const okText = p.okText ?? t('actions.save');

  if (p.drawer) {
    return (
      <Drawer
        open={open} title={p.title} size={p.width ?? 600} onClose={close} forceRender mask={{ closable: false }}
        footer={(
          <Space style={{ float: 'right' }}>
            <Button onClick={close}>{t('actions.cancel')}</Button>
            <Button type="primary" danger={p.okDanger} loading={busy} onClick={() => void submit()}>{okText}</Button>
          </Space>
        )}
      >
        {body}
      </Drawer>
    );
  }
  return (
    <Modal
      open={open} title={p.title} width={p.width ?? 560} onCancel={close} onOk={() => void submit()} forceRender
      okText={okText} cancelText={t('actions.cancel')} confirmLoading={busy} okButtonProps={{ danger: p.okDanger }}
      mask={{ closable: false }}
    >
      {body}
    </Modal>
  );
}
