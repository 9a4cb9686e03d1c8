/**
 * Pieces shared by the rounds screens: vocabularies (codes only; words come from the catalogue),
 * the DatePicker ↔ 'YYYY-MM-DD' binding, and a modal form that shows the engine's error on the
 * field it names, guards unsaved edits and saves on Ctrl+S.
 */
import { App, Form, Input, Modal, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { toApiError, useWindowEvent } from '../../components/hooks.js';
import { errorText } from '../../components/states.js';
import type { ResultOf } from '../../../../db/contract.js';

export const LEVELS = ['central', 'province', 'city', 'county'] as const;
export const FORMS = ['xunshi', 'xuncha'] as const;
export const KINDS = ['regular', 'special', 'mobile', 'lookback'] as const;
export const SECTORS = ['central_soe', 'central_finance', 'central_organ', 'province', 'university', 'city_county', 'village', 'other'] as const;
export const FEEDBACK_KINDS = ['collective', 'one_to_one'] as const;

export type RoundRow = Awaited<ResultOf<'rounds:list'>>[number];
export type TeamRow = Awaited<ResultOf<'teams:list'>>[number];
export type InspectionRow = Awaited<ResultOf<'inspections:list'>>[number];
export type UnitClocks = Awaited<ResultOf<'clocks:round'>>['units'][number];
export type ClockRow = Awaited<ResultOf<'clocks:inspection'>>[number];

/** Form.Item props that keep a DatePicker's value in the form as 'YYYY-MM-DD' (or null). */
export const dateBinding = {
  getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null),
};

/** Dates are shown as stored: 2024-03-29; a missing one as a dash. */
export const day = (d: string | null | undefined) => d ?? '—';

/**
 * The key of a clock's word in the catalogue (the engine's word is zh-CN only): done clocks are
 * 按期/逾期完成, except the concentrated period, which simply ends (已期满).
 */
export function wordKey(c: Pick<ClockRow, 'kind' | 'light' | 'late'>): string {
  if (c.light !== 'done') return c.light;
  if (c.kind === 'concentrated') return 'period_over';
  return c.late ? 'done_late' : 'done_on_time';
}

/** Show an engine error on the form field it names, or as a message when no field matches. */
export function showError(form: FormInstance, e: unknown, message: { error(s: string): unknown }, tc: (k: string) => string, fieldMap: Record<string, string> = {}): void {
  const err = toApiError(e);
  const name = err.field ? (fieldMap[err.field] ?? err.field) : null;
  const registered = name !== null && Object.prototype.hasOwnProperty.call(form.getFieldsValue(), name);
  if (name && registered) form.setFields([{ name, errors: [err.message] }]);
  else void message.error(errorText(err instanceof ApiError ? err : toApiError(err), tc));
}

export interface FormModalProps<V> {
  title: ReactNode;
  onClose(): void;
  /** Do the engine call; throw to keep the modal open (the error lands on its field). */
  onSubmit(values: V): Promise<void>;
  initialValues?: Partial<V>;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  okText?: string;
  danger?: boolean;
  width?: number;
  /** Engine field name → form field name, where they differ. */
  fieldMap?: Record<string, string>;
  testId?: string;
}

/** Mount only while open (`{open && <FormModal …/>}`): each opening starts from `initialValues`. */
export function FormModal<V extends object>(p: FormModalProps<V>) {
  const { t: tc } = useTranslation();
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);

  async function finish(values: V) {
    setBusy(true);
    try {
      await p.onSubmit(values);
      p.onClose();
    } catch (e) {
      showError(form, e, message, tc, p.fieldMap);
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    if (!form.isFieldsTouched()) return p.onClose();
    modal.confirm({ title: tc('states.unsaved'), okText: tc('actions.confirm'), cancelText: tc('actions.cancel'), onOk: p.onClose });
  }

  useWindowEvent('xz:save', () => {
    if (!busy) form.submit();
  });

  return (
    <Modal
      open title={p.title} width={p.width ?? 560} onCancel={cancel} onOk={() => form.submit()} confirmLoading={busy}
      okText={p.okText ?? tc('actions.save')} cancelText={tc('actions.cancel')} okButtonProps={{ danger: p.danger ?? false }}
      mask={{ closable: false }}
    >
      <Form<V> form={form} layout="vertical" initialValues={p.initialValues} onFinish={(v) => void finish(v)} data-testid={p.testId}>
        {typeof p.children === 'function' ? p.children(form) : p.children}
      </Form>
    </Modal>
  );
}

/** Delete with a reason (the engine requires one): a confirmation that asks why. */
export function ReasonModal({ name, onClose, onDelete }: { name: string; onClose(): void; onDelete(reason: string): Promise<void> }) {
  const { t } = useTranslation('rounds');
  const { t: tc } = useTranslation();
  return (
    <FormModal<{ reason: string }>
      title={t('deleteTitle', { name })} onClose={onClose} okText={tc('actions.delete')} danger width={480}
      onSubmit={(v) => onDelete(v.reason)} testId="reason-modal"
    >
      <p className="xz-muted">{t('deleteWarn')}</p>
      <Form.Item name="reason" label={t('reason')} rules={[{ required: true, whitespace: true, message: t('required', { field: t('reason') }) }]}>
        <Input.TextArea rows={2} maxLength={200} placeholder={t('reasonPlaceholder')} autoFocus />
      </Form.Item>
    </FormModal>
  );
}
