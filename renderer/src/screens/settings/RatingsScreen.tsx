import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { AccountabilityDrawer } from './AccountabilityDrawer.js';
import { EscalationPanel } from './EscalationPanel.js';
import { EvaluationDrawer, type Evaluation, type TaskOption } from './EvaluationDrawer.js';
import { InspectionPicker, useInspectionChoice } from './InspectionPicker.js';
import { PageHead } from './PageHead.js';
import { RatingsCharts } from './RatingsCharts.js';
import type { AccountabilityForm, AccountabilityReason, Grade } from './vocab.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';

type Accountability = Awaited<ResultOf<'accountability:list'>>['items'][number];
type Tab = 'evaluations' | 'escalations' | 'accountability';

const GRADE_TAG: Record<Grade, string> = { good: 'green', fairly_good: 'lime', average: 'gold', poor: 'red' };
const short = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * 评估与问责: ratings of the unit (or its tasks) with 二次整改 on a 差 grade, the escalation ladder
 * 通知书 → 提醒书 → 告诫书 → 问责, accountability records, and the round's figures as charts.
 */
export function RatingsScreen() {
  const { t } = useTranslation('ratings');
  const { t: tc } = useTranslation();
  const s = useSession();
  const roundId = s.roundId;
  const { list, current } = useInspectionChoice(roundId);
  const unitId = current?.unitId ?? null;
  const inspectionId = current?.id ?? null;
  const canWrite = s.can('rating.write');
  const [tab, setTab] = useState<Tab>('evaluations');
  const [tick, setTick] = useState(0);
  const [newTick, setNewTick] = useState(0);
  const [evalOpen, setEvalOpen] = useState<{ evaluation: Evaluation | null } | null>(null);
  const [accOpen, setAccOpen] = useState(false);
  const [ask, reasonHolder] = useReasonPrompt();

  const evals = useQuery(() => (inspectionId ? call('evaluations:list', { inspectionId }) : Promise.resolve(null)), [inspectionId, tick]);
  const acc = useQuery(() => (unitId && roundId ? call('accountability:list', { roundId, unitId }) : Promise.resolve(null)), [roundId, unitId, tick]);
  const taskList = useQuery(() => (unitId && roundId ? call('tasks:list', { unitId, roundId, limit: 200 }) : Promise.resolve(null)), [roundId, unitId, tick]);
  const problemList = useQuery(() => (unitId && roundId ? call('problems:list', { unitId, roundId, limit: 200 }) : Promise.resolve(null)), [roundId, unitId]);

  const tasks: TaskOption[] = useMemo(() => (taskList.data?.rows ?? []).map((x) => ({
    value: x.id, label: t('taskLabel', { seq: x.problemSeq === null ? x.seq : `${x.problemSeq}.${x.seq}`, text: short(x.measures) }),
  })), [taskList.data, t]);
  const problems: TaskOption[] = useMemo(() => (problemList.data?.rows ?? []).map((x) => ({
    value: x.id, label: t('problemLabel', { seq: x.seq, text: short(x.description) }),
  })), [problemList.data, t]);
  const taskName = new Map(tasks.map((x) => [x.value, x.label]));

  const saved = () => {
    setEvalOpen(null);
    setAccOpen(false);
    setTick((x) => x + 1);
    list.reload(); // a 差 grade marks the inspection 二次整改
  };
  useWindowEvent('xz:new', () => {
    if (!canWrite || !current || evalOpen || accOpen) return;
    if (tab === 'evaluations') setEvalOpen({ evaluation: null });
    else if (tab === 'accountability') setAccOpen(true);
    else setNewTick((x) => x + 1);
  });

  /** Delete with the reason the engine requires; the lists and charts then count again. */
  const remove = (title: string, run: (reason: string) => Promise<unknown>) => ask({
    title, label: t('deleteReason'),
    onSubmit: async (reason) => {
      await run(reason);
      setTick((x) => x + 1);
    },
  });
  const removeEvaluation = (e: Evaluation) => remove(t('evalDelete'), (reason) => call('evaluations:delete', { id: e.id, reason }));
  const removeAccountability = (a: Accountability) => remove(t('accDelete', { name: a.personName }), (reason) => call('accountability:delete', { id: a.id, reason }));

  if (!roundId) return <EmptyState hint={t('noRound')} />;
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.loading && !list.data) return <Loading />;
  if (!current) return <EmptyState hint={t('noUnits')} />;

  const evaluations = (
    <>
      {canWrite && (
        <Space style={{ marginBottom: 8 }}>
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setEvalOpen({ evaluation: null })}>{t('evalNew')}</Button>
        </Space>
      )}
      {evals.error ? <ErrorState error={evals.error} onRetry={evals.reload} /> : (
        <Table<Evaluation>
          size="small" rowKey="id" sticky pagination={false} loading={evals.loading} dataSource={evals.data?.items ?? []}
          data-testid="evaluations" scroll={{ x: 720 }}
          title={() => <Typography.Text type="secondary">{tc('units.rows', { n: evals.data?.total ?? 0 })}</Typography.Text>}
          locale={{ emptyText: <EmptyState hint={canWrite ? t('noEvalsWritable') : t('noEvals')} /> }}
          columns={[
            { title: t('target'), key: 'target', ellipsis: true, render: (_, e) => <>{conflictTagOf(e)}{e.targetType === 'unit' ? current.unitName : taskName.get(e.targetId) ?? t('targetTask')}</> },
            { title: t('grade'), dataIndex: 'grade', width: 70, render: (g: Grade) => <Tag color={GRADE_TAG[g]}>{t(`grades.${g}`)}</Tag> },
            { title: t('score'), dataIndex: 'score', width: 60, align: 'right', render: (x: number | null) => x ?? '—' },
            { title: t('evaluatedOn'), dataIndex: 'evaluatedOn', width: 100 },
            { title: t('findings'), dataIndex: 'findings', ellipsis: true, render: (x: string | null) => x ?? '—' },
            {
              title: t('marks'), key: 'marks', width: 150, render: (_, e) => (
                <Space size={2} wrap>
                  {e.isLookback && <Tag>{t('lookback')}</Tag>}
                  {e.opensSecondRound && <Tag color="volcano">{t('secondRound')}</Tag>}
                </Space>
              ),
            },
            ...(canWrite ? [{
              title: t('ops'), key: 'ops', width: 76, render: (_: unknown, e: Evaluation) => (
                <Space size={0}>
                  <Button type="link" size="small" icon={<EditOutlined />} aria-label={tc('actions.edit')} onClick={() => setEvalOpen({ evaluation: e })} />
                  {!e.opensSecondRound && <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={tc('actions.delete')} onClick={() => removeEvaluation(e)} />}
                </Space>
              ),
            }] : []),
          ]}
        />
      )}
    </>
  );

  const accountability = (
    <>
      {canWrite && (
        <Space style={{ marginBottom: 8 }}>
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setAccOpen(true)}>{t('accNew')}</Button>
        </Space>
      )}
      {acc.error ? <ErrorState error={acc.error} onRetry={acc.reload} /> : (
        <Table<Accountability>
          size="small" rowKey="id" sticky pagination={false} loading={acc.loading} dataSource={acc.data?.items ?? []}
          data-testid="accountability" scroll={{ x: 720 }}
          title={() => <Typography.Text type="secondary">{tc('units.rows', { n: acc.data?.total ?? 0 })}</Typography.Text>}
          locale={{ emptyText: <EmptyState hint={canWrite ? t('noAccWritable') : t('noAcc')} /> }}
          columns={[
            { title: t('personName'), dataIndex: 'personName', width: 90, ellipsis: true, render: (v: string, r) => <>{conflictTagOf(r)}{v}</> },
            { title: t('post'), dataIndex: 'post', ellipsis: true },
            { title: t('accReason'), dataIndex: 'reason', width: 90, render: (r: AccountabilityReason) => t(`reasons.${r}`) },
            { title: t('accForm'), dataIndex: 'form', width: 90, render: (f: AccountabilityForm) => <Tag>{t(`forms.${f}`)}</Tag> },
            { title: t('decidedOn'), dataIndex: 'decidedOn', width: 100 },
            { title: t('note'), dataIndex: 'note', ellipsis: true, render: (x: string | null) => x ?? '—' },
            ...(canWrite ? [{
              title: t('ops'), key: 'ops', width: 50, render: (_: unknown, a: Accountability) => (
                <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={tc('actions.delete')} onClick={() => removeAccountability(a)} />
              ),
            }] : []),
          ]}
        />
      )}
    </>
  );

  return (
    <div className="xz-page" data-testid="ratings">
      <PageHead title={t('title')}>
        <InspectionPicker section="ratings" rows={list.data ?? []} current={current} loading={list.loading} />
      </PageHead>
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Card size="small">
            <Tabs
              size="small" activeKey={tab} onChange={(k) => setTab(k as Tab)}
              items={[
                { key: 'evaluations', label: t('tabEvaluations'), children: evaluations },
                {
                  key: 'escalations', label: t('tabEscalations'),
                  children: <EscalationPanel key={current.unitId} unitId={current.unitId} tasks={tasks} canWrite={canWrite} newTick={newTick} />,
                },
                { key: 'accountability', label: t('tabAccountability'), children: accountability },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <RatingsCharts roundId={roundId} tick={tick} />
        </Col>
      </Row>
      {evalOpen && (
        <EvaluationDrawer
          inspectionId={current.id} unitName={current.unitName} tasks={tasks} evaluation={evalOpen.evaluation}
          onClose={() => setEvalOpen(null)} onSaved={saved}
        />
      )}
      {accOpen && (
        <AccountabilityDrawer roundId={roundId} unitId={current.unitId} problems={problems} tasks={tasks} onClose={() => setAccOpen(false)} onSaved={saved} />
      )}
      {reasonHolder}
    </div>
  );
}
