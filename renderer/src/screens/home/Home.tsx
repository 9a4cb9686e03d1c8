import { Card, Col, Flex, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useState } from 'react';
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

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

function RateChart({ rows, axis }: { rows: { label: string; closeRate: number | null }[]; axis: string }) {
  const data = rows.slice(0, 40);
  return (
    <ReactECharts
      style={{ height: Math.max(220, data.length * 22) }}
      opts={{ renderer: 'svg' }}
      option={{
        grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
        xAxis: { type: 'value', max: 100, name: axis, nameLocation: 'middle', nameGap: 22 },
        yAxis: { type: 'category', inverse: true, data: data.map((r) => r.label), axisLabel: { width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', barMaxWidth: 16, data: data.map((r) => Math.round((r.closeRate ?? 0) * 1000) / 10), itemStyle: { color: '#a8071a' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
        textStyle: { fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif' },
      }}
    />
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
          <Card size="small" title={t('clocksTitle')} ref={clocksBox}>
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
          <Card size="small" title={t('redFlags')}>
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
          <Card size="small" title={t('byUnit')}>{byUnit.data && <RateChart rows={byUnit.data.rows} axis={t('closeRateAxis')} />}</Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('byCategory')}>{byCat.data && <RateChart rows={byCat.data.rows} axis={t('closeRateAxis')} />}</Card>
        </Col>
        {byOrigin.data && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('byOrigin')} data-testid="home-by-origin"><RateChart rows={byOrigin.data.rows} axis={t('closeRateAxis')} /></Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
