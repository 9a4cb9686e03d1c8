import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useDialog } from '../../components/forms/useDialog.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { EmptyWithNew } from './EmptyWithNew.js';
import { SUGGESTION_STATUSES, SuggestionForm, SuggestionReplyForm, type SuggestionRecord } from './SuggestionForms.js';
import './supervision.css';
import { conflictTagOf } from '../exchange/ConflictFlag.js';
import { useExchangeFilter } from '../../components/lists/ExchangeFilter.js';

const PAGE = 50;
const STATUS_COLOURS: Record<string, string> = { pending: 'warning', replied: 'processing', adopted: 'success' };

type Dialog = { kind: 'new'; row: null } | { kind: 'edit' | 'reply' | 'delete'; row: SuggestionRecord };

/** 移交建议 (#/suggestions): suggestions handed to functional departments and their replies. */
export function SuggestionsScreen() {
  const { t } = useTranslation('supervision');
  const { t: tc } = useTranslation();
  const s = useSession();
  const roundId = s.roundId;
  const canWrite = s.can('supervision.write');
  const [status, setStatus] = useState<SuggestionRecord['status'] | null>(null);
  const [department, setDepartment] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [roundId]);
  const [tick, setTick] = useState(0);
  const xf = useExchangeFilter(() => setPage(1));
  const { dialog, shown, show, hide } = useDialog<Dialog>();

  const list = useQuery(
    () => (roundId
      ? call('suggestions:list', { roundId, status: status ?? undefined, department: department ?? undefined, ...xf.args, limit: PAGE, offset: (page - 1) * PAGE })
      : Promise.resolve(null)),
    [roundId, status, department, xf.args.originOfficeId, xf.args.conflicted, page, tick],
  );
  const figures = useQuery(() => (roundId ? call('analysis:suggestionsAnswered', { groupBy: 'department', roundId, originOfficeId: xf.args.originOfficeId }) : Promise.resolve(null)), [roundId, xf.args.originOfficeId, tick]);
  const units = useQuery(() => (roundId ? call('units:list', { roundId, limit: 1000 }) : Promise.resolve(null)), [roundId]);
  const unitOptions = useMemo(() => (units.data?.items ?? []).map((u) => ({ id: u.id, name: u.name })), [units.data]);
  const departments = useMemo(() => (figures.data?.rows ?? []).filter((r) => r.key !== null).map((r) => r.key as string), [figures.data]);

  useWindowEvent('xz:new', () => {
    if (canWrite && roundId && !shown) show({ kind: 'new', row: null });
  });
  const reload = () => setTick((x) => x + 1);
  const saved = () => {
    hide();
    reload();
  };

  const columns: ColumnsType<SuggestionRecord> = [
    { title: '#', key: 'seq', width: 48, align: 'right', render: (_v, _r, k) => (page - 1) * PAGE + k + 1 },
    { title: t('suggestions.col.issuedOn'), dataIndex: 'issuedOn', width: 104 },
    { title: t('suggestions.col.department'), dataIndex: 'department', width: 150, ellipsis: true },
    ...xf.columns<SuggestionRecord>(),
    { title: t('suggestions.col.content'), dataIndex: 'content', ellipsis: { showTitle: true }, render: (v: string, r) => <>{conflictTagOf(r)}{v}</> },
    {
      title: t('suggestions.col.status'), dataIndex: 'status', width: 100,
      render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{t(`suggestions.statuses.${v}`)}</Tag>,
    },
    { title: t('suggestions.col.repliedOn'), dataIndex: 'repliedOn', width: 104, render: (v: string | null) => v ?? t('none') },
    { title: t('suggestions.col.reply'), dataIndex: 'reply', width: 220, ellipsis: { showTitle: true }, render: (v: string | null) => v ?? t('none') },
    ...(canWrite ? [{
      title: t('suggestions.col.actions'), key: 'actions', width: 170, fixed: 'right' as const,
      render: (_v: unknown, r: SuggestionRecord) => (
        <Space size={0}>
          {r.status === 'pending' && <Button size="small" type="link" onClick={() => show({ kind: 'reply', row: r })}>{t('suggestions.replyAction')}</Button>}
          <Button size="small" type="link" onClick={() => show({ kind: 'edit', row: r })}>{t('suggestions.editAction')}</Button>
          <Button size="small" type="link" danger onClick={() => show({ kind: 'delete', row: r })}>{t('suggestions.deleteAction')}</Button>
        </Space>
      ),
    }] : []),
  ];

  const total = list.data?.total ?? 0;
  const filtered = status !== null || department !== null || xf.active;
  const filterWords = xf.summary([status && t(`suggestions.statuses.${status}`), department], t('noFilter'));
  const f = figures.data?.totals;

  let content;
  if (!roundId) content = <EmptyState hint={t('noRound')} />;
  else if (list.error) content = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.data && total === 0 && !filtered) {
    content = (
      <EmptyWithNew
        hint={t('suggestions.empty')} newLabel={t('suggestions.newSuggestion')} onNew={canWrite ? () => show({ kind: 'new', row: null }) : null}
      />
    );
  } else {
    content = (
      <Table<SuggestionRecord>
        size="small" rowKey="id" bordered sticky loading={list.loading} dataSource={list.data?.items ?? []} columns={columns}
        scroll={{ x: 1100, y: 'calc(100vh - 330px)' }} locale={{ emptyText: <EmptyState hint={t('suggestions.emptyFiltered')} /> }}
        pagination={total > PAGE ? { current: page, pageSize: PAGE, total, onChange: setPage, showSizeChanger: false, size: 'small' } : false}
        data-testid="suggestion-table"
      />
    );
  }

  const row = dialog?.row ?? null;
  return (
    <div className="xz-page" data-testid="suggestions-screen">
      <div className="xz-toolbar">
        <PageTitle style={{ margin: 0 }}>{t('suggestions.title')}</PageTitle>
        <Select
          size="small" style={{ width: 120 }} allowClear placeholder={t('suggestions.allStatuses')} aria-label={t('suggestions.col.status')}
          value={status ?? undefined} onChange={(v: SuggestionRecord['status'] | undefined) => { setStatus(v ?? null); setPage(1); }}
          options={SUGGESTION_STATUSES.map((x) => ({ value: x, label: t(`suggestions.statuses.${x}`) }))}
        />
        <Select
          size="small" style={{ width: 180 }} allowClear placeholder={t('suggestions.allDepartments')} aria-label={t('suggestions.col.department')}
          value={department ?? undefined} onChange={(v: string | undefined) => { setDepartment(v ?? null); setPage(1); }}
          options={departments.map((d) => ({ value: d, label: d }))} showSearch={{ optionFilterProp: 'label' }}
        />
        {xf.controls}
        <span className="xz-count" data-testid="suggestion-count">{tc('units.rows', { n: total })} · {t('filterSummary', { what: filterWords })}</span>
        <span className="xz-grow" />
        <Button size="small" icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>
        {canWrite && roundId && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => show({ kind: 'new', row: null })}>{t('suggestions.newSuggestion')}</Button>
        )}
      </div>
      {f && f.total > 0 && (
        <div className="xz-figures" data-testid="suggestion-figures">
          {([
            ['total', f.total], ['answered', f.answered], ['adopted', f.adopted], ['pending', f.pending],
            ['rate', f.answerRate === null ? t('none') : `${(f.answerRate * 100).toFixed(1)}%`],
            ['departments', departments.length],
          ] as const).map(([k, v]) => (
            <div className="xz-figure" key={k} data-testid={`sfig-${k}`}>
              <div className="xz-figure-label">{t(`suggestions.figures.${k}`)}</div>
              <div className="xz-figure-value">{v}</div>
            </div>
          ))}
        </div>
      )}
      {content}
      <SuggestionForm
        open={shown && (dialog?.kind === 'new' || dialog?.kind === 'edit')} roundId={roundId} units={unitOptions} departments={departments}
        record={row} onClose={hide} onSaved={saved}
      />
      <SuggestionReplyForm open={shown && dialog?.kind === 'reply'} record={row} onClose={hide} onSaved={saved} />
      <ReasonPrompt
        open={shown && dialog?.kind === 'delete'} title={t('suggestions.deleteTitle')} hint={t('deleteHint')} label={t('deleteReason')}
        testId="delete-form" doneText={t('deleted')} onClose={hide}
        onSubmit={async (reason) => {
          await call('suggestions:delete', { id: row?.id ?? null, reason });
          saved();
        }}
      />
    </div>
  );
}
