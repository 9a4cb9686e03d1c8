import { Alert, Button, Empty, Spin, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.js';

/** The zh-CN sentence for an engine error: the engine's own message, else the code's wording. */
export function errorText(e: ApiError, t: (k: string) => string): string {
  return e.payload.message || t(`errors.${e.code}`);
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('states.error')}
      description={errorText(error, t)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('states.retry')}</Button> : undefined}
    />
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <div className="xz-center"><Spin /> <span className="xz-muted">{t('states.loading')}</span></div>;
}

/** An empty state that says what to do next. */
export function EmptyState({ hint, action }: { hint: string; action?: ReactNode }) {
  return <Empty description={hint}>{action}</Empty>;
}

const LIGHT_COLOURS: Record<string, string> = { green: 'success', yellow: 'warning', red: 'error', done: 'default', not_started: 'default' };

/** A traffic light: always a word or number beside the colour (colour-blind users, B/W printers). */
export function Light({ light, word, daysLeft }: { light: string; word?: string | undefined; daysLeft?: number | null | undefined }) {
  const { t } = useTranslation();
  const label = word ?? t(`lights.${light}`);
  const days = daysLeft === null || daysLeft === undefined || light === 'done' || light === 'not_started' ? '' : ` ${t('units.days', { n: Math.abs(daysLeft) })}`;
  return <Tag color={LIGHT_COLOURS[light] ?? 'default'} data-light={light}>{label}{days}</Tag>;
}
