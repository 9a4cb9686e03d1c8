/** 分阶段目标 of a long-term task, each with a done toggle (done today, or not done). */
import { App, Checkbox, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toApiError } from '../hooks.js';
import { EmptyState, errorText } from '../states.js';
import { todayDay } from './format.js';
import type { Stage } from './types.js';

export function StagesList({ stages, canEdit, onChanged }: { stages: Stage[]; canEdit: boolean; onChanged(): void }) {
  const { t } = useTranslation('tasks');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  if (stages.length === 0) return <EmptyState hint={t('stages.none')} />;

  async function toggle(s: Stage, done: boolean) {
    setBusy(s.id);
    try {
      await call('tasks:setStageDone', { id: s.id, doneOn: done ? todayDay() : null });
      onChanged();
    } catch (e) {
      void message.error(errorText(toApiError(e), tc));
    } finally {
      setBusy(null);
    }
  }

  const today = todayDay();
  return (
    <List
      size="small" dataSource={stages} data-testid="stages"
      renderItem={(s) => (
        <List.Item>
          <Checkbox checked={!!s.doneOn} disabled={!canEdit || busy === s.id} onChange={(e) => void toggle(s, e.target.checked)} aria-label={t('stages.nth', { n: s.seq })}>
            <Typography.Text strong>{t('stages.nth', { n: s.seq })}</Typography.Text>{' '}
            <span style={{ whiteSpace: 'pre-wrap' }}>{s.goal}</span>
          </Checkbox>
          <span style={{ whiteSpace: 'nowrap' }}>
            <span className="xz-muted">{t('stages.due', { date: s.dueDate })}</span>{' '}
            {s.doneOn
              ? <Tag color="success">{t('stages.doneOn', { date: s.doneOn })}</Tag>
              : s.dueDate < today ? <Tag color="error">{t('stages.late')}</Tag> : <Tag>{t('stages.open')}</Tag>}
          </span>
        </List.Item>
      )}
    />
  );
}
