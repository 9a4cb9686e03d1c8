import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Result, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Light } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { wordKey } from '../rounds/shared.js';
import { CLUE_WAYS, WAY_COLOURS, type ClueDisposition } from './clue-rules.js';
import { ClueDrawer } from './ClueDrawer.js';
import { ClueForm } from './ClueForm.js';
import { EmptyWithNew } from './EmptyWithNew.js';
import { fenToYuan } from './money.js';
import { SensitiveBanner } from './SensitiveBanner.js';
import './supervision.css';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';
import { useExchangeFilter } from '../../components/lists/ExchangeFilter.js';

type ClueRow = Awaited<ResultOf<'clues:list'>>['items'][number];
type ClueClock = Awaited<ResultOf<'clocks:roundClues'>>[number];

const PAGE = 50;

/**
 * 问题线索 (#/clues, #/clues/<id>): need-to-know. A user without the clue right gets a plain
 * refusal and no engine call at all (the engine would refuse with FORBIDDEN anyway).
 */
export function CluesScreen() {
  const s = useSession();
  const { t } = useTranslation('clues');
  if (!s.can('clue.read')) {
    return <Result status="403" title={t('refusedTitle')} subTitle={t('refusedHint')} data-testid="clues-refused" />;
  }
  return <ClueLedger />;
}

function ClueLedger() {
  const { t } = useTranslation('clues');
  const { t: tc } = useTranslation();
  const { t: tr } = useTranslation('rounds');
  const { message } = App.useApp();
  // Clues are not printed: Ctrl+P and the 文件 menu say so, and the browser's own print shows nothing.
  useWindowEvent('xz:print', (e) => {
    e.preventDefault();
    void message.warning(t('noPrint'));
  });
  useEffect(() => {
    document.body.classList.add('xz-no-print');
    return () => document.body.classList.remove('xz-no-print');
  }, []);
  const s = useSession();
  const route = useRoute();
  const roundId = s.roundId;
  const canWrite = s.can('clue.write');
  const [way, setWay] = useState<ClueDisposition | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [roundId]);
  const [creating, setCreating] = useState(false);
  const [tick, setTick] = useState(0);
  const xf = useExchangeFilter(() => setPage(1));

  const list = useQuery(
    () => (roundId ? call('clues:list', { roundId, disposition: way ?? undefined, ...xf.args, limit: PAGE, offset: (page - 1) * PAGE }) : Promise.resolve(null)),
    [roundId, way, xf.args.originOfficeId, xf.args.conflicted, page, tick],
  );
  const clocks = useQuery(() => (roundId ? call('clocks:roundClues', { roundId }) : Promise.resolve(null)), [roundId, tick]);
  const units = useQuery(() => (roundId ? call('units:list', { roundId, limit: 1000 }) : Promise.resolve(null)), [roundId]);
  const unitOptions = useMemo(() => (units.data?.items ?? []).map((u) => ({ id: u.id, name: u.name })), [units.data]);
  const clockOf = useMemo(() => new Map((clocks.data ?? []).map((c: ClueClock) => [c.clueId, c])), [clocks.data]);

  useWindowEvent('xz:new', () => {
    if (canWrite && roundId && !route.id) setCreating(true);
  });

  const reload = () => setTick((x) => x + 1);

  const columns: ColumnsType<ClueRow> = [
    { title: t('col.seq'), key: 'seq', width: 56, align: 'right', render: (_v, _r, k) => (page - 1) * PAGE + k + 1 },
    { title: t('col.subject'), dataIndex: 'subjectName', width: 110, ellipsis: true, render: (v: string, r) => <>{conflictTagOf(r)}{v}</> },
    { title: t('col.post'), dataIndex: 'subjectPost', width: 220, ellipsis: true },
    ...xf.columns<ClueRow>(),
    { title: t('col.receivedOn'), dataIndex: 'receivedOn', width: 104 },
    { title: t('col.organ'), dataIndex: 'receivingOrgan', width: 170, ellipsis: true, render: (v: string) => t(`organs.${v}`) },
    {
      title: t('col.disposition'), dataIndex: 'disposition', width: 120,
      render: (v: ClueDisposition) => <Tag color={WAY_COLOURS[v]}>{t(`ways.${v}`)}</Tag>,
    },
    {
      title: t('col.clock'), key: 'clock', width: 130,
      render: (_v, r) => {
        const c = clockOf.get(r.id)?.clue;
        return c ? <Light light={c.light} word={tr(`words.${wordKey(c)}`)} daysLeft={c.daysLeft} /> : null;
      },
    },
    { title: t('col.outcome'), dataIndex: 'outcome', width: 120, render: (v: string | null) => (v ? t(`outcomes.${v}`) : t('detail.none')) },
    {
      title: t('col.money'), dataIndex: 'moneyRecoveredFen', width: 130, align: 'right',
      render: (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v ? fenToYuan(v) : t('detail.none')}</span>,
    },
  ];

  const total = list.data?.total ?? 0;
  const filtered = way !== null || xf.active;

  let content;
  if (!roundId) content = <EmptyState hint={t('noRound')} />;
  else if (list.error) content = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.data && total === 0 && !filtered) {
    content = <EmptyWithNew hint={t('empty')} newLabel={t('newClue')} onNew={canWrite ? () => setCreating(true) : null} />;
  } else {
    content = (
      <Table<ClueRow>
        size="small" rowKey="id" bordered sticky loading={list.loading} dataSource={list.data?.items ?? []} columns={columns}
        scroll={{ x: 1160, y: 'calc(100vh - 300px)' }}
        locale={{ emptyText: <EmptyState hint={t('emptyFiltered')} /> }}
        onRow={(r) => ({ onClick: () => navigate('clues', r.id), style: { cursor: 'pointer' } })}
        rowClassName={(r) => (r.id === route.id ? 'ant-table-row-selected' : '')}
        pagination={total > PAGE ? { current: page, pageSize: PAGE, total, onChange: setPage, showSizeChanger: false, size: 'small' } : false}
        data-testid="clue-table"
      />
    );
  }

  return (
    <div className="xz-page" data-testid="clues-screen">
      <SensitiveBanner />
      <div className="xz-toolbar">
        <PageTitle style={{ margin: 0 }}>{t('title')}</PageTitle>
        <Select
          size="small" style={{ width: 160 }} allowClear placeholder={t('allDispositions')} aria-label={t('filterDisposition')}
          value={way ?? undefined} onChange={(v: ClueDisposition | undefined) => { setWay(v ?? null); setPage(1); }}
          options={CLUE_WAYS.map((w) => ({ value: w, label: t(`ways.${w}`) }))}
        />
        {xf.controls}
        <span className="xz-count" data-testid="clue-count">
          {tc('units.rows', { n: total })} · {t('filterSummary', { what: xf.summary([way && t(`ways.${way}`)], t('noFilter')) })}
        </span>
        <span className="xz-grow" />
        <Button size="small" icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>
        {canWrite && roundId && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('newClue')}</Button>
        )}
      </div>
      {content}
      <ClueForm
        open={creating} roundId={roundId} units={unitOptions} onClose={() => setCreating(false)}
        onSaved={(id) => { setCreating(false); reload(); navigate('clues', id); }}
      />
      <ClueDrawer
        id={route.id} canWrite={canWrite} roundId={roundId} units={unitOptions}
        onClose={() => navigate('clues')} onChanged={reload}
      />
    </div>
  );
}
