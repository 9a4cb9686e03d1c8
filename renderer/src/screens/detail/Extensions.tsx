/** 延期申请: request a later deadline with a reason; approve, or refuse with a reason. Both deadlines stay visible. */
import { Button, DatePicker, Descriptions, Form, Input, Radio, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { EmptyState } from '../../components/States.js';
import { toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { DecisionComment } from './DecisionComment.js';
import { dateTime } from './format.js';
import type { Extension, Task } from './types.js';

interface RequestValues { requestedDeadline: Dayjs | null; reason: string }

export function ExtensionRequestDialog({ open, task, onClose, onSaved }: { open: boolean; task: Task; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('tasks');
  return (
    <FormShell<RequestValues>
      open={open} title={t('extension.requestTitle')} testId="extension-dialog" okText={t('extension.request')}
      initialValues={{ requestedDeadline: null, reason: '' }} onClose={onClose} doneText={t('extension.requested')}
      onSubmit={async (v) => {
        await call('extensions:request', { taskId: task.id, requestedDeadline: toDay(v.requestedDeadline), reason: v.reason });
        onSaved();
      }}
    >
      <Descriptions
        size="small" bordered column={2} style={{ marginBottom: 12 }}
        items={[
          { key: 'orig', label: t('fields.deadline'), children: task.deadline },
          { key: 'cur', label: t('fields.currentDeadline'), children: task.currentDeadline },
        ]}
      />
      <Form.Item name="requestedDeadline" label={t('extension.requestedDeadline')} rules={[{ required: true, message: t('extension.dateRequired') }]}>
        <DatePicker style={{ width: 180 }} disabledDate={(d) => !d.isAfter(dayjs(task.currentDeadline), 'day')} />
      </Form.Item>
      <Form.Item name="reason" label={t('extension.reason')} rules={[{ required: true, whitespace: true, message: t('extension.reasonRequired') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount />
      </Form.Item>
    </FormShell>
  );
}

interface DecideValues { approve: boolean; comment?: string }

export function ExtensionDecideDialog({ request, onClose, onSaved, userName }: {
  request: Extension | null; onClose(): void; onSaved(): void; userName(id: string | null): string;
}) {
  const { t } = useTranslation('tasks');
  return (
    <FormShell<DecideValues>
      open={!!request} title={t('extension.decideTitle')} testId="extension-decide-dialog" okText={t('extension.decideOk')}
      initialValues={{ approve: true, comment: '' }} onClose={onClose} doneText={t('extension.decided')}
      onSubmit={async (v) => {
        await call('extensions:decide', { id: request!.id, approve: v.approve, comment: v.comment ?? null });
        onSaved();
      }}
    >
      {request && (
        <Descriptions
          size="small" bordered column={2} style={{ marginBottom: 12 }}
          items={[
            { key: 'prev', label: t('extension.previousDeadline'), children: request.previousDeadline },
            { key: 'req', label: t('extension.requestedDeadline'), children: request.requestedDeadline },
            { key: 'by', label: t('extension.requestedBy'), children: userName(request.requestedBy) },
            { key: 'at', label: t('extension.requestedAt'), children: dateTime(request.createdAt) },
            { key: 'why', label: t('extension.reason'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</span> },
          ]}
        />
      )}
      <Form.Item name="approve" label={t('extension.decision')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: true, label: t('extension.approve') }, { value: false, label: t('extension.refuse') }]} />
      </Form.Item>
      <DecisionComment
        decision="approve" refusal={false} label={t('extension.comment')} reasonLabel={t('extension.refuseReason')}
        reasonRequired={t('extension.refuseReasonRequired')}
      />
    </FormShell>
  );
}

const EXT_COLOURS: Record<string, string> = { pending: 'warning', approved: 'success', refused: 'error' };

export function ExtensionTable({ requests, canDecide, userName, onDecide }: {
  requests: Extension[]; canDecide(r: Extension): boolean; userName(id: string | null): string; onDecide(r: Extension): void;
}) {
  const { t } = useTranslation('tasks');
  if (requests.length === 0) return <EmptyState hint={t('extension.none')} />;
  return (
    <Table<Extension>
      size="small" rowKey="id" pagination={false} dataSource={requests} data-testid="extension-table" scroll={{ x: 960 }}
      columns={[
        { title: t('extension.requestedAt'), dataIndex: 'createdAt', width: 130, render: (v: string) => dateTime(v) },
        { title: t('extension.requestedBy'), dataIndex: 'requestedBy', width: 90, render: (v: string) => userName(v) },
        { title: t('extension.previousDeadline'), dataIndex: 'previousDeadline', width: 100 },
        { title: t('extension.requestedDeadline'), dataIndex: 'requestedDeadline', width: 100 },
        { title: t('extension.reason'), dataIndex: 'reason', render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
        { title: t('extension.status'), dataIndex: 'status', width: 84, render: (v: string) => <Tag color={EXT_COLOURS[v]}>{t(`extStatus.${v}`)}</Tag> },
        { title: t('extension.decidedBy'), dataIndex: 'decidedBy', width: 90, render: (v: string | null) => userName(v) },
        {
          title: t('extension.decisionComment'), dataIndex: 'decisionComment', width: 180,
          render: (v: string | null, r) => (r.status === 'pending' && canDecide(r)
            ? <Button size="small" type="primary" onClick={() => onDecide(r)}>{t('extension.decide')}</Button>
            : <span style={{ whiteSpace: 'pre-wrap' }}>{v ?? '—'}</span>),
        },
      ]}
    />
  );
}
