/**
 * The reason the engine requires before a destructive or reversing step (删除、移除、重新打开、
 * 终止…): it keeps the reason on the tombstone and in the audit trail. A FormShell modal, so the
 * step runs inside it and a refusal is shown there with the reason still typed.
 */
import { Alert, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormShell } from './FormShell.js';
import { useDialog } from './useDialog.js';

export interface ReasonAsk {
  title: string;
  /** The reason box's label, e.g. 删除理由. */
  label: string;
  /** What the step does, shown as a warning above the box. */
  hint?: ReactNode;
  placeholder?: string;
  /** Default 删除. */
  okText?: string;
  /** Default true: most such steps cannot simply be undone. */
  danger?: boolean;
  /** Said after the step; default nothing (the caller says it). */
  doneText?: string | null;
  testId?: string;
  /** Run the step with the trimmed reason; throw to keep the prompt open with the error shown. */
  onSubmit(reason: string): Promise<void>;
}

export function ReasonPrompt(p: ReasonAsk & { open?: boolean; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <FormShell<{ reason: string }>
      open={p.open} title={p.title} onClose={p.onClose} okText={p.okText ?? t('actions.delete')} danger={p.danger ?? true}
      doneText={p.doneText ?? null} testId={p.testId ?? 'reason-prompt'} size={480}
      onSubmit={(v) => p.onSubmit(v.reason.trim())}
    >
      {p.hint && <Alert type="warning" showIcon title={p.hint} style={{ marginBottom: 12 }} />}
      <Form.Item name="reason" label={p.label} rules={[{ required: true, whitespace: true, message: t('forms.reasonRequired', { label: p.label }) }]}>
        <Input.TextArea rows={3} maxLength={200} showCount placeholder={p.placeholder} autoFocus />
      </Form.Item>
    </FormShell>
  );
}

/**
 * For a screen that asks from an event handler: `ask({ title, label, onSubmit })` opens the prompt;
 * render `holder` once in the screen.
 */
export function useReasonPrompt(): [(a: ReasonAsk) => void, ReactNode] {
  const { dialog, shown, show, hide } = useDialog<ReasonAsk>();
  return [show, dialog && <ReasonPrompt {...dialog} open={shown} onClose={hide} />];
}
