/**
 * Form plumbing shared by the clue, suggestion and supervision screens: a date field that reads
 * and writes the engine's 'YYYY-MM-DD' strings, the engine's field errors put on the field they
 * name, and a drawer/modal form that guards unsaved edits and saves on Ctrl+S.
 */
import { App, Button, DatePicker, Drawer, Form, Input, Modal, Space, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { toApiError, useWindowEvent } from '../hooks.js';
import { errorText } from '../states.js';

dayjs.extend(customParseFormat);

/** Shown as the first format; the others are accepted when typed (clerks type dates many ways). */
export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'YYYY.MM.DD'];

export const today = (): string => dayjs().format('YYYY-MM-DD');

/** A DatePicker whose value is the engine's date string ('YYYY-MM-DD') or null. */
export function DateInput(p: {
  id?: string;
  value?: string | null;
  onChange?(v: string | null): void;
  disabled?: boolean;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const d = p.value ? dayjs(p.value, 'YYYY-MM-DD', true) : null;
  return (
    <DatePicker
      id={p.id} aria-label={p['aria-label']} disabled={p.disabled} placeholder={p.placeholder}
      value={d && d.isValid() ? d : null} format={DATE_FORMATS} style={{ width: '100%' }}
      onChange={(x) => p.onChange?.(x ? x.format('YYYY-MM-DD') : null)}
    />
  );
}

/** 'stages.1.endOn' → ['stages', 1, 'endOn'] (the engine names list items by index). */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function samePath(a: (string | number)[], b: (string | number)[]): boolean {
  return a.length === b.length && a.every((x, k) => String(x) === String(b[k]));
}

/**
 * Show an engine error: on the form field it names when that field is in the form (so the clerk
 * sees it where the mistake is), otherwise as a message. Returns true when it went on a field.
 */
export function showError(form: FormInstance | null, e: unknown, say: (text: string) => void, t: (k: string) => string): boolean {
  const err = toApiError(e);
  if (form && err instanceof ApiError && err.field) {
    const path = fieldPath(err.field);
    const known = form.getFieldsError().some((f) => samePath(f.name, path));
    if (known) {
      form.setFields([{ name: path, errors: [err.message] }]);
      form.scrollToField(path);
      return true;
    }
  }
  say(errorText(err, t));
  return false;
}

export interface FormPanelProps<V> {
  kind?: 'drawer' | 'modal';
  open: boolean;
  title: ReactNode;
  form: FormInstance<V>;
  initialValues?: Partial<V>;
  size?: number;
  onClose(): void;
  /** Save the values; an engine error thrown here is shown on its field. */
  onSubmit(values: V): Promise<void>;
  children: ReactNode;
  okText?: string;
  /** Extra buttons left of Cancel/Save. */
  extra?: ReactNode;
  testId?: string;
}

/**
 * A form in a drawer or modal: fresh initial values on every opening, confirm before closing with
 * unsaved edits, Ctrl+S saves, a spinner while saving, engine errors on their fields.
 */
export function FormPanel<V>(p: FormPanelProps<V>) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (p.open) setDirty(false);
  }, [p.open]);

  useWindowEvent('xz:save', () => {
    if (p.open && !busy) p.form.submit();
  });

  const close = () => {
    if (busy) return;
    if (!dirty) return p.onClose();
    modal.confirm({
      title: t('states.unsaved'), okText: t('actions.confirm'), cancelText: t('actions.cancel'),
      onOk: () => p.onClose(),
    });
  };

  const finish = async (values: V) => {
    setBusy(true);
    try {
      await p.onSubmit(values);
      setDirty(false);
    } catch (e) {
      showError(p.form as FormInstance, e, (x) => void message.error(x), t);
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <Space>
      {p.extra}
      <Button onClick={close} disabled={busy}>{t('actions.cancel')}</Button>
      <Button type="primary" loading={busy} onClick={() => p.form.submit()}>{p.okText ?? t('actions.save')}</Button>
    </Space>
  );
  const body = (
    <Form<V>
      form={p.form} layout="vertical" initialValues={p.initialValues} clearOnDestroy
      onValuesChange={() => setDirty(true)} onFinish={(v) => void finish(v)} data-testid={p.testId}
      scrollToFirstError
    >
      {p.children}
    </Form>
  );
  if (p.kind === 'modal') {
    return (
      <Modal open={p.open} title={p.title} onCancel={close} footer={footer} destroyOnHidden mask={{ closable: false }} width={p.size ?? 520}>
        {body}
      </Modal>
    );
  }
  return (
    <Drawer
      open={p.open} title={p.title} onClose={close} destroyOnHidden mask={{ closable: false }} size={p.size ?? 560}
      footer={<div style={{ textAlign: 'right' }}>{footer}</div>}
    >
      {body}
    </Drawer>
  );
}

/**
 * Deleting needs a reason (the engine keeps it on the tombstone and in the audit trail): a small
 * modal asks for it and confirms the destructive step.
 */
export function DeleteDialog(p: {
  open: boolean;
  title: string;
  hint: string;
  label: string;
  requiredText: string;
  onClose(): void;
  run(reason: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormPanel<{ reason: string }>
      kind="modal" open={p.open} title={p.title} form={form} onClose={p.onClose} okText={t('actions.delete')}
      onSubmit={(v) => p.run(v.reason.trim())} testId="delete-form"
    >
      <p>{p.hint}</p>
      <Form.Item name="reason" label={p.label} rules={[{ required: true, whitespace: true, message: p.requiredText }]}>
        <Input.TextArea rows={3} maxLength={200} />
      </Form.Item>
    </FormPanel>
  );
}
