import { Button, Col, DatePicker, Form, Input, Row, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { DAY, toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useQuery } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';
import type { TaskOption } from './EvaluationDrawer.js';
import { LADDER, type EscalationLevel } from './vocab.js';

type Notice = Awaited<ResultOf<'escalations:list'>>['items'][number];

interface IssueValues {
  issuedOn?: Dayjs | null;
  docNumber?: string;
  reason?: string;
}

/**
 * 督促文书: the ladder 通知书 → 提醒书 → 告诫书 → 问责 for the unit or one of its tasks. Only the next
 * step is offered (the engine refuses skipping one); below, every notice of the unit.
 */
export function EscalationPanel({ unitId, tasks, canWrite, newTick }: {
  unitId: string; tasks: TaskOption[]; canWrite: boolean; newTick: number;
}) {
  const { t } = useTranslation('ratings');
  const [target, setTarget] = useState<string>('unit');
  const [tick, setTick] = useState(0);
  const [issuing, setIssuing] = useState<EscalationLevel | null>(null);
  const [seenNew, setSeenNew] = useState(newTick);

  const targetType = target === 'unit' ? 'unit' : 'task';
  const targetId = target === 'unit' ? unitId : target;
  const ladder = useQuery(() => call('escalations:ladder', { targetType, targetId }), [targetType, targetId, tick]);
  const all = useQuery(() => call('escalations:list', { unitId }), [unitId, tick]);
  const next = ladder.data?.next ?? null;
  // Ctrl+N on this tab: issue the next step.
  if (newTick !== seenNew) {
    setSeenNew(newTick);
    if (canWrite && next) setIssuing(next);
  }

  const taskLabel = new Map(tasks.map((x) => [x.value, x.label]));
  const byLevel = new Map((ladder.data?.notices ?? []).map((n) => [n.level, n]));
  const highest = ladder.data?.highest ? LADDER.indexOf(ladder.data.highest) : -1;

  async function issue(level: EscalationLevel, v: IssueValues) {
    await call('escalations:issue', {
      targetType, targetId, unitId, level, issuedOn: toDay(v.issuedOn), docNumber: v.docNumber ?? null, reason: v.reason ?? null,
    });
    setTick((x) => x + 1);
  }

  return (
    <div data-testid="escalations">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('escalationTarget')}</Typography.Text>
        <Select
          size="small" style={{ width: 360 }} value={target} onChange={setTarget} showSearch={{ optionFilterProp: 'label' }} aria-label={t('escalationTarget')}
          options={[{ value: 'unit', label: t('targetUnit') }, ...tasks]}
        />
        {canWrite && next && (
          <Button type="primary" size="small" onClick={() => setIssuing(next)} data-testid="issue-next">
            {t('issueNext', { level: t(`levels.${next}`) })}
          </Button>
        )}
        {ladder.data && !next && <Tag color="red">{t('ladderTop')}</Tag>}
      </Space>
      {ladder.error ? <ErrorState error={ladder.error} onRetry={ladder.reload} /> : (
        <Steps
          size="small" current={highest + 1} style={{ marginBottom: 16 }}
          items={LADDER.map((l, k) => {
            const n = byLevel.get(l);
            return {
              title: t(`levels.${l}`),
              status: k <= highest ? 'finish' : k === highest + 1 ? 'process' : 'wait',
              content: n ? `${n.issuedOn}${n.docNumber ? ` ${n.docNumber}` : ''}` : k === highest + 1 ? t('nextStep') : '',
            };
          })}
        />
      )}
      {all.error ? <ErrorState error={all.error} onRetry={all.reload} /> : (
        <Table<Notice>
          size="small" rowKey="id" pagination={false} sticky loading={all.loading} dataSource={all.data?.items ?? []}
          title={() => <Typography.Text type="secondary">{t('noticesOfUnit', { n: all.data?.total ?? 0 })}</Typography.Text>}
          locale={{ emptyText: canWrite ? t('noNoticesWritable') : t('noNotices') }}
          columns={[
            { title: t('escalationTarget'), key: 'target', ellipsis: true, render: (_, n) => (n.targetType === 'unit' ? t('targetUnit') : taskLabel.get(n.targetId) ?? t('targetTask')) },
            { title: t('level'), dataIndex: 'level', width: 90, render: (l: EscalationLevel) => <Tag color={l === 'notice' ? 'blue' : l === 'reminder' ? 'gold' : 'red'}>{t(`levels.${l}`)}</Tag> },
            { title: t('issuedOn'), dataIndex: 'issuedOn', width: 100 },
            { title: t('docNumber'), dataIndex: 'docNumber', width: 150, ellipsis: true, render: (d: string | null) => d ?? '—' },
            { title: t('noticeReason'), dataIndex: 'reason', ellipsis: true },
          ]}
        />
      )}
      {issuing && (
        <FormShell<IssueValues>
          title={t('issueTitle', { level: t(`levels.${issuing}`) })} okText={t('issue')} size={520}
          doneText={t('issued', { level: t(`levels.${issuing}`) })}
          onClose={() => setIssuing(null)} onSubmit={(v) => issue(issuing, v)}
        >
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="issuedOn" label={t('issuedOn')} rules={[{ required: true, message: t('required', { field: t('issuedOn') }) }]}>
                <DatePicker format={DAY} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}><Form.Item name="docNumber" label={t('docNumber')}><Input maxLength={100} /></Form.Item></Col>
          </Row>
          <Form.Item name="reason" label={t('noticeReason')} rules={[{ required: true, message: t('required', { field: t('noticeReason') }) }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
          </Form.Item>
        </FormShell>
      )}
    </div>
  );
}
