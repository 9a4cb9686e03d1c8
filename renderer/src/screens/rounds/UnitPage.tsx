import { FileTextOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Col, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { ClockCell } from './ClockCell.js';
import type { ClockRow } from './shared.js';
import { FeedbackForm, HandoverForm, LeaderForm, OverhaulForm } from './UnitForms.js';
import { ConflictBanner, ConflictTag, conflictTagOf } from '../exchange/ConflictFlag.js';

type UnitDetail = Awaited<ResultOf<'units:get'>>;
type Leader = UnitDetail['leaders'][number];
type Handover = UnitDetail['handovers'][number];
type Feedback = Awaited<ResultOf<'inspections:get'>>['feedbacks'][number];
type Report = Awaited<ResultOf<'reports:list'>>['items'][number];
type Evaluation = Awaited<ResultOf<'evaluations:list'>>['items'][number];
type Dialog = 'feedback' | 'leader' | 'handover' | 'overhaul' | null;

const GRADE_COLOURS: Record<string, string> = { good: 'green', fairly_good: 'blue', average: 'gold', poor: 'red' };

/** The unit page: one unit in one round — feedback, clocks, leaders and handovers, reports, rating. */
export function UnitPage({ roundId, unitId }: { roundId: string; unitId: string }) {
  const { t } = useTranslation('rounds');
  const { message } = App.useApp();
  const s = useSession();
  const write = s.can('ledger.write');
  const [tick, setTick] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const reload = () => setTick((x) => x + 1);
  const close = () => setDialog(null);

  const unit = useQuery(() => call('units:get', { id: unitId }), [unitId, tick]);
  const inspectionId = unit.data?.inspections.find((i) => i.roundId === roundId)?.inspectionId ?? null;
  const none = Promise.resolve(null);
  const insp = useQuery(() => (inspectionId ? call('inspections:get', { id: inspectionId }) : none), [inspectionId, tick]);
  const clocks = useQuery(() => (inspectionId ? call('clocks:inspection', { inspectionId }) : none), [inspectionId, tick]);
  const reports = useQuery(() => (inspectionId ? call('reports:list', { inspectionId }) : none), [inspectionId, tick]);
  const evals = useQuery(() => (inspectionId ? call('evaluations:list', { inspectionId }) : none), [inspectionId, tick]);

  useWindowEvent('xz:new', () => {
    if (write && !dialog && inspectionId) setDialog('feedback');
  });

  if (unit.error) return <ErrorState error={unit.error} onRetry={reload} />;
  if (!unit.data) return <Loading />;
  const u = unit.data;
  if (!inspectionId) {
    return (
      <div className="xz-page">
        <Breadcrumb items={[{ title: <a href="#/rounds" onClick={() => navigate('rounds')}>{t('round.back')}</a> }, { title: u.name }]} />
        <EmptyState hint={t('unit.notInRound')} />
      </div>
    );
  }
  if (insp.error) return <ErrorState error={insp.error} onRetry={reload} />;
  const i = insp.data;
  const current = u.leaders.find((l) => l.current) ?? null;

  return (
    <div className="xz-page" data-testid="unit-page">
      <Breadcrumb
        items={[
          { title: <a href="#/rounds" onClick={() => navigate('rounds')}>{t('round.back')}</a> },
          { title: <a href={`#/rounds/${encodeURIComponent(roundId)}`} onClick={() => navigate('rounds', roundId)}>{i?.roundName ?? '…'}</a> },
          { title: u.name },
        ]}
      />
      <div className="xz-rounds-head">
        <div className="xz-rounds-title">
          <PageTitle data-testid="unit-name">{u.name}</PageTitle>
          <Space size={12} wrap>
            <Tag>{t(`sectors.${u.sector}`)}</Tag>
            {u.underOverhaul && <Tag color="volcano" title={u.overhaulNote ?? ''} data-testid="overhaul-tag">{t('unit.overhaul')}</Tag>}
            {i?.secondRoundFrom && <Tag color="red" data-testid="second-round">{t('unit.secondRoundFrom', { d: i.secondRoundFrom })}</Tag>}
            <Typography.Text type="secondary">{t('unit.teamLine', { team: i?.teamName ?? t('addUnit.noTeam') })}</Typography.Text>
            <Typography.Text type="secondary">
              {current ? t('unit.leaderLine', { name: current.name, post: current.post }) : t('unit.leaderNone')}
            </Typography.Text>
          </Space>
          {u.underOverhaul && u.overhaulNote && (
            <Typography.Paragraph type="secondary" className="xz-note">{t('unit.overhaulSince', { note: u.overhaulNote })}</Typography.Paragraph>
          )}
        </div>
        <Space wrap>
          <Button icon={<UnorderedListOutlined />} onClick={() => { s.setRoundId(roundId); navigate('problems', 'unit', unitId); }} data-testid="unit-problems">{t('unit.problems')}</Button>
          {write && (
            <Button onClick={() => setDialog('overhaul')}>
              {u.underOverhaul ? t('unit.liftOverhaul') : t('unit.setOverhaul')}
            </Button>
          )}
        </Space>
      </div>
      <ConflictBanner table="units" id={u.id} version={tick} />
      {inspectionId && <ConflictBanner table="inspections" id={inspectionId} version={tick} />}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <ClocksCard clocks={clocks.data ?? null} loading={clocks.loading} error={clocks.error} onRetry={reload} />
          <FeedbackCard
            rows={i?.feedbacks ?? []} loading={insp.loading} write={write} onAdd={() => setDialog('feedback')}
          />
        </Col>
        <Col xs={24} xl={10}>
          <LeadersCard
            leaders={u.leaders} handovers={u.handovers} write={write}
            onSetLeader={() => setDialog('leader')} onHandover={() => setDialog('handover')}
          />
          <ReportsCard rows={reports.data?.items ?? []} loading={reports.loading} />
          <RatingCard rows={evals.data?.items ?? []} loading={evals.loading} secondRoundFrom={i?.secondRoundFrom ?? null} />
        </Col>
      </Row>

      {dialog === 'feedback' && (
        <FeedbackForm inspectionId={inspectionId} onClose={close} onSaved={() => { void message.success(t('unit.feedbackAdded')); reload(); }} />
      )}
      {dialog === 'leader' && (
        <LeaderForm unitId={unitId} onClose={close} onSaved={() => { void message.success(t('unit.leaderSaved')); reload(); }} />
      )}
      {dialog === 'handover' && (
        <HandoverForm unitId={unitId} onClose={close} onSaved={(n) => { void message.success(t('unit.handoverDone', { n })); reload(); }} />
      )}
      {dialog === 'overhaul' && (
        <OverhaulForm unitId={unitId} underOverhaul={u.underOverhaul} onClose={close} onSaved={() => { void message.success(t('unit.overhaulSaved')); reload(); }} />
      )}
    </div>
  );
}

function ClocksCard({ clocks, loading, error, onRetry }: {
  clocks: ClockRow[] | null; loading: boolean; error: Parameters<typeof ErrorState>[0]['error'] | null; onRetry(): void;
}) {
  const { t } = useTranslation('rounds');
  return (
    <Card size="small" className="xz-card" title={t('unit.clocks')} data-testid="unit-clocks">
      {error ? <ErrorState error={error} onRetry={onRetry} /> : (
        <>
          {clocks && clocks.every((c) => c.light === 'not_started' && !c.startsOn) && (
            <Typography.Paragraph type="secondary">{t('unit.clocksHint')}</Typography.Paragraph>
          )}
          <Table<ClockRow>
            size="small" rowKey="kind" dataSource={clocks ?? []} loading={loading} pagination={false}
            columns={[
              { title: '', key: 'label', render: (_: unknown, c) => t(`clockFull.${c.kind}`, { defaultValue: c.label }) },
              { title: '', key: 'light', width: 190, render: (_: unknown, c) => <ClockCell c={c} /> },
              { title: '', key: 'rule', width: 190, render: (_: unknown, c) => <span className="xz-muted">{c.rule}</span> },
            ]}
            showHeader={false}
          />
        </>
      )}
    </Card>
  );
}

function FeedbackCard({ rows, loading, write, onAdd }: { rows: Feedback[]; loading: boolean; write: boolean; onAdd(): void }) {
  const { t } = useTranslation('rounds');
  const { t: tc } = useTranslation();
  return (
    <Card
      size="small" className="xz-card" title={t('unit.feedback')} data-testid="feedback"
      extra={write && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={onAdd}>{t('unit.addFeedback')}</Button>}
    >
      {rows.length === 0 && !loading ? (
        <Typography.Text type="secondary">{write ? t('unit.noFeedback') : t('unit.noFeedbackReadonly')}</Typography.Text>
      ) : (
        <Table<Feedback>
          size="small" rowKey="id" dataSource={rows} loading={loading} pagination={false}
          expandable={{ expandedRowRender: (f) => <div className="xz-pre">{f.body}</div>, rowExpandable: (f) => f.body.length > 40, columnTitle: <span className="xz-sr-only">{tc('a11y.expand')}</span> }}
          columns={[
            { title: t('fbCol.kind'), dataIndex: 'kind', width: 96, render: (k: string) => t(`fbKinds.${k}`) },
            { title: t('fbCol.date'), dataIndex: 'feedbackDate', width: 96 },
            { title: t('fbCol.doc'), dataIndex: 'docNumber', width: 140, ellipsis: true, render: (d: string | null) => d ?? '—' },
            { title: t('fbCol.body'), dataIndex: 'body', ellipsis: true },
          ]}
        />
      )}
    </Card>
  );
}

function LeadersCard({ leaders, handovers, write, onSetLeader, onHandover }: {
  leaders: Leader[]; handovers: Handover[]; write: boolean; onSetLeader(): void; onHandover(): void;
}) {
  const { t } = useTranslation('rounds');
  const action = !write ? null : leaders.length === 0
    ? <Button size="small" type="primary" icon={<PlusOutlined />} onClick={onSetLeader}>{t('unit.setLeader')}</Button>
    : <Button size="small" onClick={onHandover}>{t('unit.handover')}</Button>;
  return (
    <Card size="small" className="xz-card" title={t('unit.leaders')} extra={action} data-testid="leaders">
      {leaders.length === 0 ? (
        <Typography.Text type="secondary">{write ? t('unit.noLeaders') : t('unit.noLeadersReadonly')}</Typography.Text>
      ) : (
        <Table<Leader>
          size="small" rowKey="id" dataSource={[...leaders].reverse()} pagination={false}
          columns={[
            {
              title: t('leaderCol.name'), dataIndex: 'name', width: 110, ellipsis: true,
              render: (n: string, l) => <span>{n}{l.current && <Tag color="green" className="xz-small-tag">{t('unit.current')}</Tag>}</span>,
            },
            { title: t('leaderCol.post'), dataIndex: 'post', ellipsis: true },
            {
              title: t('leaderCol.term'), key: 'term', width: 170,
              render: (_: unknown, l) => (l.toDate ? t('unit.term', { from: l.fromDate, to: l.toDate }) : t('unit.termOpen', { from: l.fromDate })),
            },
          ]}
        />
      )}
      {leaders.length > 0 && (
        <>
          <Typography.Text strong className="xz-subhead">{t('unit.handovers')}</Typography.Text>
          {handovers.length === 0 ? <div className="xz-muted">{t('unit.noHandovers')}</div> : (
            <Table<Handover>
              size="small" rowKey="id" dataSource={handovers} pagination={false} data-testid="handovers"
              columns={[
                { title: t('handoverCol.date'), dataIndex: 'handoverDate', width: 96 },
                {
                  title: `${t('handoverCol.from')} → ${t('handoverCol.to')}`, key: 'who', ellipsis: true,
                  render: (_: unknown, h) => `${h.fromLeaderName ?? '—'} → ${h.toLeaderName}`,
                },
                {
                  title: t('handoverCol.openTasks'), dataIndex: 'openTaskCount', width: 110,
                  render: (n: number) => <span data-testid="handover-open-tasks">{t('unit.openTasks', { n })}</span>,
                },
                { title: t('handoverCol.notes'), dataIndex: 'notes', ellipsis: true, render: (x: string | null) => x ?? '—' },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}

function ReportsCard({ rows, loading }: { rows: Report[]; loading: boolean }) {
  const { t } = useTranslation('rounds');
  return (
    <Card
      size="small" className="xz-card" title={t('unit.reports')} loading={loading} data-testid="reports"
      extra={<Button size="small" type="link" icon={<FileTextOutlined />} onClick={() => navigate('reports')}>{t('unit.toReports')}</Button>}
    >
      {rows.length === 0 ? <Typography.Text type="secondary">{t('unit.noReports')}</Typography.Text> : (
        <Timeline
          items={rows.map((r) => ({
            key: r.id,
            content: (
              <div>
                <div><span className="xz-report-date">{r.reportDate}</span><Tag>{t(`reportKinds.${r.kind}`)}</Tag>{conflictTagOf(r)}</div>
                <div>{r.title}</div>
                {r.docNumber && <div className="xz-muted">{t('docNo', { doc: r.docNumber })}</div>}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function RatingCard({ rows, loading, secondRoundFrom }: { rows: Evaluation[]; loading: boolean; secondRoundFrom: string | null }) {
  const { t } = useTranslation('rounds');
  return (
    <Card
      size="small" className="xz-card" title={t('unit.rating')} loading={loading} data-testid="rating"
      extra={secondRoundFrom && <Tag color="red">{t('unit.secondRoundFrom', { d: secondRoundFrom })}</Tag>}
    >
      {rows.length === 0 ? <Typography.Text type="secondary">{t('unit.noRating')}</Typography.Text> : (
        <Table<Evaluation>
          size="small" rowKey="id" dataSource={rows} pagination={false}
          columns={[
            { title: '', dataIndex: 'evaluatedOn', width: 96 },
            {
              title: '', key: 'grade', width: 150,
              render: (_: unknown, e) => (
                <Space size={2} wrap>
                  <Tag color={GRADE_COLOURS[e.grade]}>{t(`grades.${e.grade}`)}</Tag>
                  {e.score !== null && <span>{t('unit.score', { n: e.score })}</span>}
                  {e.isLookback && <Tag>{t('unit.lookback')}</Tag>}
                  {e.targetType === 'task' && <Tag>{t('unit.targetTask')}</Tag>}
                  {e.opensSecondRound && <Tag color="red">{t('unit.secondRound')}</Tag>}
                  {e.conflicted && <ConflictTag />}
                </Space>
              ),
            },
            { title: '', dataIndex: 'findings', ellipsis: true, render: (f: string | null) => f ?? '—' },
          ]}
          showHeader={false}
        />
      )}
    </Card>
  );
}

