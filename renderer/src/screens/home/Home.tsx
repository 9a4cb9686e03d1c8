import { Card, Col, Flex, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useKeyboardScroll, useQuery } from '../../components/hooks.js';
import { PageTitle } from '../../components/PageTitle.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';

type UnitRow = NonNullable<Awaited<ResultOf<'clocks:round'>>>['units'][number];
import { EmptyState, ErrorState, Light, Loading } from '../../components/States.js';
import { RecentCard, TodoCard } from './HomeCards.js';
import { OriginPicker, useOffices } from '../../components/lists/Pickers.js';
import { wordKey } from '../rounds/shared.js';
import { ChartExport } from '../../components/ChartExport.js';

type SummaryRow = NonNullable<Awaited<ResultOf<'analysis:summary'>>>['rows'][number];

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

const CHART_ROWS = 40;
/** The bar of a row: 销号率 in percent, one decimal (0 when there are no tasks). */
const rateOf = (r: { closeRate: number | null }) => Math.round((r.closeRate ?? 0) * 1000) / 10;

function RateChart({ rows, axis, ref }: { rows: { label: string; closeRate: number | null }[]; axis: string; ref?: Ref<ReactECharts> }) {
  const data = rows.slice(0, CHART_ROWS);
  return (
    <ReactECharts
      ref={ref}
      style={{ height: Math.max(220, data.length * 22) }}
      opts={{ renderer: 'svg' }}
      option={{
        grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
        xAxis: { type: 'value', max: 100, name: axis, nameLocation: 'middle', nameGap: 22 },
        yAxis: { type: 'category', inverse: true, data: data.map((r) => r.label), axisLabel: { width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', barMaxWidth: 16, data: data.map(rateOf), itemStyle: { color: '#a8071a' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
        textStyle: { fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif' },
      }}
    />
  );
}

/** A 销号率 chart card with its 导出: the PNG, and the rows the bars are drawn from with their counts. */
function RateCard({ title, rows, axis, group, roundId, testId }: { title: string; rows: SummaryRow[] | undefined; axis: string; group: string; roundId: string; testId: string }) {
  const { t } = useTranslation('home');
  const { t: tc } = useTranslation();
  const chart = useRef<ReactECharts>(null);
  const table = () => ({
    columns: [group, ...(['problems', 'tasks', 'closed', 'overdue', 'longTermOpen'] as const).map((k) => t(`figures.${k}`)), tc('figureExport.closeRate')],
    rows: (rows ?? []).map((r) => [r.label, r.problems, r.tasks, r.closed, r.overdue, r.longTermOpen, rateOf(r)]),
    meta: rows && rows.length > CHART_ROWS ? [tc('figureExport.firstShown', { n: CHART_ROWS, m: rows.length })] : [],
  });
  return (
    <Card size="small" title={title} data-testid={testId} extra={rows && <ChartExport name={title} chart={chart} table={table} roundId={roundId} testId={testId} />}>
      {rows && <RateChart ref={chart} rows={rows} axis={axis} />}
    </Card>
  );
}

export function Home() {
  const { t } = useTranslation('home');
  const { t: tc } = useTranslation();
  const { t: tr } = useTranslation('rounds');
  const { t: tp } = useTranslation('problems');
  const s = useSession();
  const roundId = s.roundId;
  const clocksBox = useKeyboardScroll(t('clocksTitle'));
  // 来源单位: with exchange partners the figures can be read per office that created the records.
  const offices = useOffices().data?.offices ?? [];
  const exchanged = offices.length > 1;
  const [origin, setOrigin] = useState<string | null>(null);
  const originOfficeId = origin ?? undefined;
  const byUnit = useQuery(() => (roundId ? call('analysis:summary', { groupBy: 'unit', roundId, originOfficeId }) : Promise.resolve(null)), [roundId, origin]);
  const byCat = useQuery(() => (roundId ? call('analysis:summary', { groupBy: 'category', roundId, originOfficeId }) : Promise.resolve(null)), [roundId, origin]);
  const byOrigin = useQuery(() => (roundId && exchanged ? call('analysis:summary', { groupBy: 'origin', roundId }) : Promise.resolve(null)), [roundId, exchanged]);
  const clocks = useQuery(() => (roundId ? call('clocks:round', { roundId }) : Promise.resolve(null)), [roundId]);
  const flags = useQuery(() => (roundId ? call('analysis:redFlags', { roundId, limit: 5 }) : Promise.resolve(null)), [roundId]);

  if (!roundId) return <EmptyState hint={t('noRound')} />;
  if (byUnit.error) return <ErrorState error={byUnit.error} onRetry={byUnit.reload} />;
  if (byUnit.loading || !byUnit.data) return <Loading />;
  const totals = byUnit.data.totals;
  const f = (k: keyof typeof totals) => totals[k] as number;
  const days = (x: { light: string; daysLeft: number | null }) => (x.daysLeft === null || x.light === 'done' || x.light === 'not_started' ? '' : ` ${tc('units.days', { n: Math.abs(x.daysLeft) })}`);
  const clocksTable = () => {
    const units = clocks.data?.units ?? [];
    const kinds = units[0]?.clocks ?? [];
    const lights = ['red', 'yellow', 'green', 'done'] as const;
    return {
      columns: [t('unit'), ...kinds.map((c) => tr(`clockFull.${c.kind}`, { defaultValue: c.label })), ...lights.map((l) => `${t('tasksByLight')}：${tc(`lights.${l}`)}`)],
      rows: units.map((u) => [u.unitName, ...kinds.map((_, k) => { const x = u.clocks[k]; return x ? `${tr(`words.${wordKey(x)}`)}${days(x)}` : null; }), ...lights.map((l) => u.tasks[l] ?? 0)]),
    };
  };
  const flagsTable = () => ({
    columns: [tc('figureExport.flag'), tc('figureExport.count')],
    rows: (flags.data?.flags ?? []).map((x) => [t(`flags.${x.kind}`, { defaultValue: x.label }), x.count]),
  });

  return (
    <div className="xz-page" data-testid="home">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <PageTitle>{t('title')}</PageTitle>
        {exchanged && (
          <OriginPicker
            prefix={t('origin')} aria-label={t('origin')} placeholder={t('allOrigins')} className="xz-origin-picker" offices={offices}
            ownLabel={(name) => tp('filter.ownOffice', { name })} value={origin} onChange={(v) => setOrigin(v)}
          />
        )}
      </Flex>
      <Row gutter={[12, 12]}>
        {(['problems', 'tasks', 'closed', 'overdue', 'longTermOpen'] as const).map((k) => (
          <Col key={k} xs={12} md={8} xl={4}>
            <Card size="small"><Statistic title={t(`figures.${k}`)} value={f(k)} data-testid={`fig-${k}`} /></Card>
          </Col>
        ))}
        <Col xs={12} md={8} xl={4}>
          <Card size="small"><Statistic title={t('figures.closeRate')} value={pct(totals.closeRate)} data-testid="fig-closeRate" /></Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={12}><TodoCard roundId={roundId} /></Col>
        <Col xs={24} xl={12}><RecentCard /></Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xxl={16}>
          <Card size="small" title={t('clocksTitle')} ref={clocksBox} extra={clocks.data && <ChartExport name={t('clocksTitle')} table={clocksTable} roundId={roundId} testId="home-clocks" />}>
            {clocks.error ? <ErrorState error={clocks.error} /> : (
              <Table<UnitRow>
                size="small" rowKey="inspectionId" loading={clocks.loading} pagination={false} scroll={{ x: 1000, y: 360 }}
                dataSource={clocks.data?.units ?? []}
                columns={[
                  { title: t('unit'), dataIndex: 'unitName', width: 200, ellipsis: true },
                  ...(clocks.data?.units[0]?.clocks ?? []).map((c, idx) => ({
                    title: tr(`clockFull.${c.kind}`, { defaultValue: c.label }), key: c.kind, width: 110,
                    render: (_: unknown, u: UnitRow) => {
                      const x = u.clocks[idx];
                      return x ? <Light light={x.light} word={tr(`words.${wordKey(x)}`)} daysLeft={x.daysLeft} /> : null;
                    },
                  })),
                  { title: t('tasksByLight'), key: 'tasks', width: 230, render: (_: unknown, u: UnitRow) => (
                    <span>{(['red', 'yellow', 'green', 'done'] as const).map((l) => u.tasks[l] ? <Light key={l} light={l} word={`${tc(`lights.${l}`)} ${u.tasks[l]}`} /> : null)}</span>
                  ) },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xxl={8}>
          <Card size="small" title={t('redFlags')} extra={flags.data && <ChartExport name={t('redFlags')} table={flagsTable} roundId={roundId} testId="home-flags" />}>
            {flags.data && flags.data.total === 0 ? <Typography.Text type="secondary">{t('redFlagsNone')}</Typography.Text> : (
              <List
                size="small" loading={flags.loading} dataSource={(flags.data?.flags ?? []).filter((x) => x.count > 0)}
                renderItem={(x) => <List.Item><span>{t(`flags.${x.kind}`, { defaultValue: x.label })}</span><Tag color="error">{x.count}</Tag></List.Item>}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={12}>
          <RateCard title={t('byUnit')} rows={byUnit.data.rows} axis={t('closeRateAxis')} group={t('unit')} roundId={roundId} testId="home-by-unit" />
        </Col>
        <Col xs={24} xl={12}>
          <RateCard title={t('byCategory')} rows={byCat.data?.rows} axis={t('closeRateAxis')} group={tc('figureExport.category')} roundId={roundId} testId="home-by-category" />
        </Col>
        {byOrigin.data && (
          <Col xs={24} xl={12}>
            <RateCard title={t('byOrigin')} rows={byOrigin.data.rows} axis={t('closeRateAxis')} group={t('origin')} roundId={roundId} testId="home-by-origin" />
          </Col>
        )}
      </Row>
    </div>
  );
}
