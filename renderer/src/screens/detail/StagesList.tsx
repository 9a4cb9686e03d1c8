/** 分阶段目标 of a long-term task, each with a done toggle (done today, or not done). */
import { Checkbox, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { today } from '../../components/forms/dates.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { EmptyState } from '../../components/States.js';
import type { Stage } from './types.js';

export function StagesList({ stages, canEdit, onChanged }: { stages: Stage[]; canEdit: boolean; onChanged(): void }) {
  const { t } = useTranslation('tasks');
  const report = useErrorReport();
  const [busy, setBusy] = useState<string | null>(null);
  if (stages.length === 0) return <EmptyState hint={t('stages.none')} />;

  async function toggle(s: Stage, done: boolean) {
    setBusy(s.id);
    try {
      await call('tasks:setStageDone', { id: s.id, doneOn: done ? today() : null });
      onChanged();
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  }

  const now = today();
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
              : s.dueDate < now ? <Tag color="error">{t('stages.late')}</Tag> : <Tag>{t('stages.open')}</Tag>}
          </span>
        </List.Item>
      )}
    />
  );
}
