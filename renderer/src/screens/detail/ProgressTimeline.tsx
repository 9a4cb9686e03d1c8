/** 整改进展: dated entries as a timeline, each with the evidence attached to it. */
import { PaperClipOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Space, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { EmptyState } from '../../components/States.js';
import { actionProps } from '../../components/a11y.js';
import { toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { isFuture } from './format.js';
import type { Evidence, Progress } from './types.js';

export function ProgressTimeline(p: {
  progress: Progress[];
  evidence: Evidence[];
  canEdit: boolean;
  userName(id: string | null): string;
  onAttach(progressId: string): void;
  onRemove(entry: Progress): void;
  onPreview(e: Evidence): void;
  emptyHint: string;
}) {
  const { t } = useTranslation('tasks');
  if (p.progress.length === 0) return <EmptyState hint={p.emptyHint} />;
  // Newest first: the latest state of the work is what a reader looks for.
  const entries = [...p.progress].reverse();
  return (
    <Timeline
      data-testid="progress-timeline"
      items={entries.map((e) => {
        const files = p.evidence.filter((x) => x.ownerType === 'progress' && x.ownerId === e.id);
        return {
          key: e.id,
          color: 'blue',
          content: (
            <div data-testid="progress-entry">
              <Typography.Text strong>{e.entryDate}</Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{e.content}</Typography.Paragraph>
              {files.length > 0 && (
                <div style={{ marginBottom: 4 }}>
                  {files.map((f) => (
                    <div key={f.id}>
                      <PaperClipOutlined /> <Typography.Link onClick={() => p.onPreview(f)} {...actionProps(() => p.onPreview(f))}>{f.fileName}</Typography.Link>
                    </div>
                  ))}
                </div>
              )}
              <Space size={8} className="xz-muted" style={{ fontSize: 12 }}>
                <span>{t('progress.by', { name: p.userName(e.createdBy) })}</span>
                {p.canEdit && <Typography.Link onClick={() => p.onAttach(e.id)} {...actionProps(() => p.onAttach(e.id))}>{t('progress.attach')}</Typography.Link>}
                {p.canEdit && <Typography.Link type="danger" onClick={() => p.onRemove(e)} {...actionProps(() => p.onRemove(e))}>{t('progress.remove')}</Typography.Link>}
              </Space>
            </div>
          ),
        };
      })}
    />
  );
}

interface ProgressValues { entryDate: Dayjs | null; content: string }

export function ProgressDialog({ open, taskId, onClose, onSaved }: { open: boolean; taskId: string; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('tasks');
  return (
    <FormShell<ProgressValues>
      open={open} title={t('progress.addTitle')} testId="progress-dialog"
      initialValues={{ entryDate: dayjs(), content: '' }} onClose={onClose} doneText={t('progress.added')}
      onSubmit={async (v) => {
        await call('progress:add', { taskId, entryDate: toDay(v.entryDate), content: v.content });
        onSaved();
      }}
    >
      <Form.Item name="entryDate" label={t('fields.entryDate')} rules={[{ required: true, message: t('progress.dateRequired') }]}>
        <DatePicker disabledDate={isFuture} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="content" label={t('fields.content')} rules={[{ required: true, whitespace: true, message: t('progress.contentRequired') }]}>
        <Input.TextArea rows={5} maxLength={4000} showCount placeholder={t('progress.placeholder')} />
      </Form.Item>
    </FormShell>
  );
}
