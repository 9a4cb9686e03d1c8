/**
 * 销号: the submission (完成日期, 按期完成, 说明 — refused by the engine without evidence, the
 * refusal shown under 佐证材料), the reviewer's decision (同意销号, or 退回 with a required reason)
 * and the history of every submission with its decision, reviewer, comment and superseded mark.
 */
import { Alert, DatePicker, Descriptions, Form, Input, List, Radio, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { EmptyState } from '../../components/States.js';
import { actionProps } from '../../components/a11y.js';
import { DecisionComment } from './DecisionComment.js';
import { HashText } from './EvidenceTable.js';
import { toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { dateTime, isFuture } from './format.js';
import type { Closeout, Evidence, Task } from './types.js';

/** A read-only line inside a form, so an engine error about it (e.g. `evidence`) can sit under it. */
function Static({ children }: { children: ReactNode; value?: unknown }) {
  return <div>{children}</div>;
}

interface SubmitValues { completedOn: Dayjs | null; reportedOnTime: boolean; note?: string; evidence?: unknown }

export function SubmitCloseoutDialog({ open, task, evidenceCount, onClose, onSaved }: {
  open: boolean; task: Task; evidenceCount: number; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('tasks');
  const [form] = Form.useForm<SubmitValues>();
  const onTime = (d: Dayjs | null) => !!d && d.format('YYYY-MM-DD') <= task.currentDeadline;
  return (
    <FormShell<SubmitValues>
      open={open} form={form} title={t('closeout.submitTitle')} testId="closeout-dialog" okText={t('closeout.submit')}
      doneText={t('closeout.submitted')}
      initialValues={{ completedOn: dayjs(), reportedOnTime: onTime(dayjs()), note: '' }} onClose={onClose}
      onValuesChange={(changed) => {
        if ('completedOn' in changed) form.setFieldValue('reportedOnTime', onTime(changed.completedOn ?? null));
      }}
      onSubmit={async (v) => {
        await call('closeout:submit', { taskId: task.id, completedOn: toDay(v.completedOn), reportedOnTime: v.reportedOnTime, note: v.note ?? null });
        onSaved();
      }}
    >
      <Typography.Paragraph type="secondary">{t('closeout.deadlineNow', { date: task.currentDeadline })}</Typography.Paragraph>
      <Form.Item name="completedOn" label={t('fields.completedOn')} rules={[{ required: true, message: t('closeout.completedOnRequired') }]}>
        <DatePicker disabledDate={isFuture} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="reportedOnTime" label={t('fields.reportedOnTime')} rules={[{ required: true }]}>
        <Radio.Group options={[{ value: true, label: t('yes') }, { value: false, label: t('no') }]} />
      </Form.Item>
      <Form.Item name="note" label={t('closeout.note')}>
        <Input.TextArea rows={3} maxLength={4000} placeholder={t('closeout.notePlaceholder')} />
      </Form.Item>
      <Form.Item name="evidence" label={t('closeout.evidence')}>
        <Static>
          <Typography.Text type={evidenceCount === 0 ? 'warning' : undefined}>{t('closeout.evidenceCount', { n: evidenceCount })}</Typography.Text>
        </Static>
      </Form.Item>
    </FormShell>
  );
}

interface ReviewValues { decision: 'accept' | 'return'; comment?: string }

export function ReviewDialog({ open, task, pending, evidence, userName, onPreview, onClose, onSaved }: {
  open: boolean; task: Task; pending: Closeout | undefined; evidence: Evidence[]; userName(id: string | null): string;
  onPreview(e: Evidence): void; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('tasks');
  return (
    <FormShell<ReviewValues>
      open={open} title={t('review.title')} testId="review-dialog" okText={t('review.submit')} size={720}
      initialValues={{ decision: 'accept', comment: '' }} onClose={onClose} doneText={t('review.done')}
      onSubmit={async (v) => {
        await call('closeout:review', { taskId: task.id, decision: v.decision, comment: v.comment ?? null });
        onSaved();
      }}
    >
      <Descriptions
        size="small" bordered column={2} style={{ marginBottom: 12 }}
        items={[
          { key: 'by', label: t('closeout.submittedBy'), children: userName(task.submittedBy) },
          { key: 'at', label: t('closeout.submittedAt'), children: dateTime(task.submittedAt) },
          { key: 'done', label: t('fields.completedOn'), children: task.completedOn ?? '—' },
          { key: 'ontime', label: t('fields.reportedOnTime'), children: task.reportedOnTime === null ? '—' : task.reportedOnTime ? t('yes') : t('no') },
          { key: 'deadline', label: t('fields.currentDeadline'), children: task.currentDeadline },
          { key: 'orig', label: t('fields.deadline'), children: task.deadline },
          { key: 'note', label: t('closeout.note'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{pending?.comment ?? '—'}</span> },
        ]}
      />
      {task.completedOn && task.completedOn > task.currentDeadline && task.reportedOnTime && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('review.lateButOnTime')} />
      )}
      <Typography.Text strong>{t('review.evidence', { n: evidence.length })}</Typography.Text>
      <List
        size="small" dataSource={evidence} style={{ marginBottom: 12, maxHeight: 180, overflow: 'auto' }}
        renderItem={(e) => (
          <List.Item extra={<HashText sha256={e.sha256} />}>
            <Typography.Link onClick={() => onPreview(e)} {...actionProps(() => onPreview(e))}>{e.fileName}</Typography.Link>
            <span className="xz-muted" style={{ marginLeft: 8 }}>{t('review.formedOn', { date: e.formedOn })}</span>
          </List.Item>
        )}
      />
      <Form.Item name="decision" label={t('review.decision')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'accept', label: t('review.accept') }, { value: 'return', label: t('review.return') }]} />
      </Form.Item>
      <DecisionComment
        decision="decision" refusal="return" label={t('review.comment')} reasonLabel={t('review.returnReason')} reasonRequired={t('review.reasonRequired')}
      />
    </FormShell>
  );
}

const DECISION_COLOURS: Record<string, string> = { pending: 'warning', accepted: 'success', returned: 'error' };

export function CloseoutHistory({ closeouts, userName }: { closeouts: Closeout[]; userName(id: string | null): string }) {
  const { t } = useTranslation('tasks');
  if (closeouts.length === 0) return <EmptyState hint={t('closeout.none')} />;
  return (
    <Table<Closeout>
      size="small" rowKey="id" pagination={false} dataSource={closeouts} data-testid="closeout-history" scroll={{ x: 900 }}
      columns={[
        { title: t('closeout.submittedAt'), dataIndex: 'submittedAt', width: 130, render: (v: string) => dateTime(v) },
        { title: t('closeout.submittedBy'), dataIndex: 'submittedBy', width: 90, render: (v: string) => userName(v) },
        {
          title: t('closeout.decision'), dataIndex: 'decision', width: 110,
          render: (v: string, c) => (
            <>
              <Tag color={DECISION_COLOURS[v]}>{t(`decisions.${v}`)}</Tag>
              {c.supersededAt && <Tag>{t('closeout.superseded')}</Tag>}
            </>
          ),
        },
        { title: t('closeout.reviewer'), dataIndex: 'reviewerId', width: 90, render: (v: string | null) => userName(v) },
        { title: t('closeout.decidedAt'), dataIndex: 'decidedAt', width: 130, render: (v: string | null) => dateTime(v) },
        {
          title: t('closeout.comment'), dataIndex: 'comment',
          render: (v: string | null, c) => (
            <div>
              <span style={{ whiteSpace: 'pre-wrap' }}>{v ?? '—'}</span>
              {c.supersededAt && (
                <div className="xz-muted" style={{ fontSize: 12 }}>
                  {t('closeout.supersededNote', { at: dateTime(c.supersededAt), reason: c.supersededReason ?? '—' })}
                </div>
              )}
            </div>
          ),
        },
        {
          title: t('closeout.snapshot'), dataIndex: 'snapshotHash', width: 190,
          render: (v: string | null) => (v ? <HashText sha256={v} /> : '—'),
        },
      ]}
    />
  );
}
