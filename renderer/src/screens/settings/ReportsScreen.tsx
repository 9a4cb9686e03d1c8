import { DeleteOutlined, DownOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Dropdown, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ClockLight, type ClockRow } from './ClockLight.js';
import { CARD_GAP, PageHead } from './PageHead.js';
import { InspectionPicker, useInspectionChoice } from './InspectionPicker.js';
import { ReportDrawer } from './ReportDrawer.js';
import { CLOCK_OF_REPORT, REPORT_KIND_CODES, REPORT_WRITER, type ReportKind } from './vocab.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';
import { DraftButton } from '../drafts/DraftButton.js';

type Report = Awaited<ResultOf<'reports:list'>>['items'][number];

/**
 * 报告: the reports of one inspection (unit) of the current round, and the statutory clocks they
 * satisfy. The engine decides who writes which kind and refuses a 整改情况公开 before a 审核意见.
 */
export function ReportsScreen() {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { list, current } = useInspectionChoice(s.roundId);
  const inspectionId = current?.id ?? null;
  const [tick, setTick] = useState(0);
  const reports = useQuery(() => (inspectionId ? call('reports:list', { inspectionId }) : Promise.resolve(null)), [inspectionId, tick]);
  const clocks = useQuery(() => (inspectionId ? call('clocks:inspection', { inspectionId }) : Promise.resolve(null)), [inspectionId, tick]);
  const [kindFilter, setKindFilter] = useState<ReportKind | 'all'>('all');
  const [editing, setEditing] = useState<{ kind: ReportKind; report: Report | null } | null>(null);
  const [ask, reasonHolder] = useReasonPrompt();

  const writable = REPORT_KIND_CODES.filter((k) => s.can(REPORT_WRITER[k]));
  const clockOf = useMemo(() => new Map((clocks.data ?? []).map((c) => [c.kind, c])), [clocks.data]);
  const refresh = () => setTick((x) => x + 1);
  useWindowEvent('xz:new', () => {
    if (inspectionId && writable.length > 0 && !editing) setEditing({ kind: kindFilter === 'all' ? writable[0]! : kindFilter, report: null });
  });

  function remove(r: Report) {
    ask({
      title: t('deleteTitle', { title: r.title }), label: t('deleteReason'), doneText: t('deleted'),
      onSubmit: async (reason) => {
        await call('reports:delete', { id: r.id, reason });
        refresh();
      },
    });
  }

  if (!s.roundId) return <EmptyState hint={t('noRound')} />;
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.loading && !list.data) return <Loading />;
  if (!current) return <EmptyState hint={t('noUnits')} />;

  const rows = (reports.data?.items ?? []).filter((r) => kindFilter === 'all' || r.kind === kindFilter)
    .sort((a, b) => REPORT_KIND_CODES.indexOf(a.kind) - REPORT_KIND_CODES.indexOf(b.kind) || a.reportDate.localeCompare(b.reportDate));

  /** The statutory clock a report satisfies (or, for a 审核意见, starts). */
  const clockCell = (r: Report) => {
    const kind = r.kind === 'review_opinion' ? 'disclosure' : CLOCK_OF_REPORT[r.kind];
    const c = kind ? clockOf.get(kind) : undefined;
    if (!c) return <Typography.Text type="secondary">{t('noClock')}</Typography.Text>;
    return (
      <Space size={4} wrap>
        <span>{r.kind === 'review_opinion' ? t('startsClock', { clock: t(`clocks.${c.kind}`) }) : t(`clocks.${c.kind}`)}</span>
        <ClockLight clock={c} />
      </Space>
    );
  };

  const newMenu = {
    items: writable.map((k) => ({ key: k, label: t(`kinds.${k}`) })),
    onClick: ({ key }: { key: string }) => setEditing({ kind: key as ReportKind, report: null }),
  };

  return (
    <div className="xz-page" data-testid="reports">
      <PageHead
        title={t('title')}
        actions={<>
          <DraftButton />
          {writable.length > 0 && (
            <Dropdown menu={newMenu} trigger={['click']}>
              <Button type="primary" icon={<PlusOutlined />}>{t('new')} <DownOutlined /></Button>
            </Dropdown>
          )}
        </>}
      >
        <InspectionPicker section="reports" rows={list.data ?? []} current={current} loading={list.loading} />
      </PageHead>

      <Card size="small" title={t('clocksTitle')} style={CARD_GAP}>
        {clocks.error ? <ErrorState error={clocks.error} onRetry={clocks.reload} /> : (
          <Table<ClockRow>
            size="small" rowKey="kind" pagination={false} loading={clocks.loading} dataSource={clocks.data ?? []}
            data-testid="report-clocks"
            columns={[
              { title: t('clock'), key: 'label', width: 200, render: (_, c) => t(`clocks.${c.kind}`) },
              { title: t('rule'), dataIndex: 'rule', width: 200, ellipsis: true },
              { title: t('startsOn'), dataIndex: 'startsOn', width: 100, render: (d: string | null) => d ?? '—' },
              { title: t('dueOn'), dataIndex: 'dueOn', width: 100, render: (d: string | null) => d ?? '—' },
              { title: t('light'), key: 'light', width: 130, render: (_, c) => <span data-clock={c.kind}><ClockLight clock={c} /></span> },
              { title: t('doneOn'), dataIndex: 'doneOn', width: 100, render: (d: string | null) => d ?? '—' },
              {
                title: t('satisfiedBy'), key: 'by', ellipsis: true,
                render: (_, c) => {
                  const kind = REPORT_KIND_CODES.find((k) => CLOCK_OF_REPORT[k] === c.kind);
                  return kind ? t(`kinds.${kind}`) : t('periodNote');
                },
              },
            ]}
          />
        )}
      </Card>

      <Card
        size="small" style={CARD_GAP}
        title={<Space>{t('listTitle')}<Typography.Text type="secondary">{tc('units.rows', { n: rows.length })}</Typography.Text></Space>}
        extra={(
          <Select
            size="small" style={{ width: 240 }} value={kindFilter} onChange={setKindFilter} aria-label={t('kind')}
            options={[{ value: 'all', label: t('allKinds') }, ...REPORT_KIND_CODES.map((k) => ({ value: k, label: t(`kinds.${k}`) }))]}
          />
        )}
      >
        {reports.error ? <ErrorState error={reports.error} onRetry={reports.reload} /> : (
          <Table<Report>
            size="small" rowKey="id" sticky pagination={false} loading={reports.loading} dataSource={rows}
            data-testid="report-list" scroll={{ x: 980 }}
            locale={{ emptyText: <EmptyState hint={writable.length > 0 ? t('emptyWritable') : t('empty')} /> }}
            onRow={(r) => ({ onDoubleClick: () => s.can(REPORT_WRITER[r.kind]) && setEditing({ kind: r.kind, report: r }) })}
            columns={[
              { title: t('kind'), dataIndex: 'kind', width: 170, render: (k: ReportKind) => <Tag>{t(`kinds.${k}`)}</Tag> },
              { title: t('reportTitle'), dataIndex: 'title', ellipsis: true, render: (v: string, r) => <>{conflictTagOf(r)}{v}</> },
              { title: t('docNumber'), dataIndex: 'docNumber', width: 150, ellipsis: true, render: (d: string | null) => d ?? '—' },
              { title: t('reportDate'), dataIndex: 'reportDate', width: 100 },
              { title: t('receivedOn'), dataIndex: 'receivedOn', width: 100, render: (d: string | null) => d ?? '—' },
              { title: t('clockColumn'), key: 'clock', width: 250, render: (_, r) => clockCell(r) },
              {
                title: t('ops'), key: 'ops', width: 80, fixed: 'right',
                render: (_, r) => s.can(REPORT_WRITER[r.kind]) && (
                  <Space size={0}>
                    <Button type="link" size="small" icon={<EditOutlined />} aria-label={tc('actions.edit')} onClick={() => setEditing({ kind: r.kind, report: r })} />
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={tc('actions.delete')} onClick={() => remove(r)} />
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>

      {editing && (
        <ReportDrawer
          inspectionId={current.id} kind={editing.kind} report={editing.report} kinds={writable}
          onClose={() => setEditing(null)} onSaved={() => { setEditing(null); refresh(); }}
        />
      )}
      {reasonHolder}
    </div>
  );
}
