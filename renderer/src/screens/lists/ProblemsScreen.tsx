/**
 * 问题清单 (#/problems, #/problems/search/<q> from the top bar's search, #/problems/unit/<unitId>
 * from a unit's page): the problems of the
 * current round (or all rounds), filtered and sorted in SQL, fetched page by page as the user
 * scrolls; 新建问题 with Ctrl+N; a row opens the problem's detail route.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Select } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProblemListRow } from '../../../../db/queries/problem-list.js';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { useHiddenColumns } from '../../components/lists/ColumnChooser.js';
import { FilterSummary, type SummaryItem } from '../../components/lists/FilterSummary.js';
import { useWarnDays } from '../../components/lists/lights.js';
import { ListHead } from '../../components/lists/ListHead.js';
import { ListTable, rowId, type SortState } from '../../components/lists/ListTable.js';
import '../../components/lists/lists.css';
import { CategoryPicker, DutyPicker, RoundPicker, UnitPicker } from '../../components/lists/pickers.js';
import type { FilterValue } from '../../components/lists/SavedFilters.js';
import { useKeysetPages } from '../../components/lists/useKeysetPages.js';
import { EmptyState, ErrorState } from '../../components/states.js';
import { problemColumns, problemPrintColumns } from './columns.js';
import { ALL_ROUNDS, boolChoice, choiceBool, clean, remember, remembered } from './filters.js';
import { ListStatus } from './ListStatus.js';
import { PrintDialog } from '../../components/print/PrintDialog.js';
import { NewProblemDrawer } from './NewProblemDrawer.js';
import { ListTitle } from './TaskList.js';

const STATUSES = ['open', 'pending_review', 'closed'] as const;
const LOCKED = ['seq', 'description'];
const openProblem = (r: ProblemListRow) => navigate('problem', r.id);
const SOURCES = ['inspection_feedback', 'personnel_check', 'transferred_suggestion', 'petition', 'lookback', 'daily_supervision'] as const;

interface ProblemFilter {
  /** undefined: follow the current round of the top bar; null: all rounds. */
  round?: string | null;
  unitId?: string | null;
  unitName?: string | null;
  categoryId?: string | null;
  categoryName?: string | null;
  status?: string | null;
  overdue?: boolean | null;
  isKey?: boolean | null;
  source?: string | null;
  responsibleDepartment?: string | null;
  responsibleLeader?: string | null;
  q?: string | null;
}

export function ProblemsScreen() {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const s = useSession();
  const route = useRoute();
  const warnDays = useWarnDays();
  const searchQ = route.section === 'problems' && route.id === 'search' ? route.sub : null;
  const unitQ = route.section === 'problems' && route.id === 'unit' ? route.sub : null;
  const mem = remembered<{ f: ProblemFilter; sort: SortState }>('problems');
  // The top bar's search looks through every round.
  const [f, setF] = useState<ProblemFilter>(() => (searchQ ? { round: null, q: searchQ } : unitQ ? { unitId: unitQ, unitName: null } : mem?.f ?? {}));
  const [sort, setSort] = useState<SortState>(mem?.sort ?? { field: 'deadline', order: 'asc' });
  const [qText, setQText] = useState(f.q ?? '');
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [hidden, setHidden] = useHiddenColumns('problems');
  remember('problems', { f, sort });

  useEffect(() => {
    if (searchQ === null) return;
    setF({ round: null, q: searchQ });
    setQText(searchQ);
  }, [searchQ]);
  // From a unit's page: that unit's problems in the current round, every other filter cleared.
  useEffect(() => {
    if (unitQ === null) return;
    setQText('');
    setF({ unitId: unitQ, unitName: null });
    let live = true;
    call('units:get', { id: unitQ }).then((u) => {
      if (live) setF((x) => (x.unitId === unitQ ? { ...x, unitName: u.name } : x));
    }, () => undefined);
    return () => { live = false; };
  }, [unitQ]);

  const canWrite = s.can('ledger.write');
  useWindowEvent('xz:new', () => {
    if (canWrite) setCreating(true);
  });
  useWindowEvent('xz:print', (e) => {
    e.preventDefault();
    setPrinting(true);
  });

  const roundId = f.round === undefined ? s.roundId : f.round;
  const args = useMemo(() => clean({
    roundId, unitId: f.unitId, categoryId: f.categoryId, status: f.status, overdue: f.overdue, isKey: f.isKey, source: f.source,
    responsibleDepartment: f.responsibleDepartment, responsibleLeader: f.responsibleLeader, q: f.q,
  }), [roundId, f]);
  const argsKey = JSON.stringify(args);
  const key = JSON.stringify({ args, sort });
  const fetchPage = (cursor: string | null, limit: number) => call('problems:list', { ...args, sort: sort.field, order: sort.order, cursor, limit });
  const list = useKeysetPages<ProblemListRow>({ key, cacheName: 'problems', fetchPage });
  const [tick, setTick] = useState(0);
  const count = useQuery(() => call('problems:count', args), [argsKey, tick]);

  const set = (patch: Partial<ProblemFilter>) => setF((x) => ({ ...x, ...patch }));
  const printColumns = useMemo(() => problemPrintColumns(t), [t]);
  const allColumns = useMemo(() => problemColumns(t, warnDays, s.today), [t, warnDays, s.today]);
  const columns = useMemo(() => allColumns.filter((c) => !hidden.includes(c.key)), [allColumns, hidden]);

  const summary: SummaryItem[] = [];
  if (roundId === null) summary.push({ key: 'round', label: t('filter.allRounds') });
  if (f.unitId) summary.push({ key: 'unitId', label: t('filter.pair', { k: t('filter.unit'), v: f.unitName ?? '' }) });
  if (f.categoryId) summary.push({ key: 'categoryId', label: t('filter.pair', { k: t('filter.category'), v: f.categoryName ?? '' }) });
  if (f.status) summary.push({ key: 'status', label: t('filter.pair', { k: t('filter.status'), v: t(`problemStatus.${f.status}`) }) });
  if (f.overdue != null) summary.push({ key: 'overdue', label: f.overdue ? t('filter.overdueYes') : t('filter.overdueNo') });
  if (f.isKey != null) summary.push({ key: 'isKey', label: f.isKey ? t('filter.keyYes') : t('filter.keyNo') });
  if (f.source) summary.push({ key: 'source', label: t('filter.pair', { k: t('filter.source'), v: t(`sources.${f.source}`) }) });
  if (f.responsibleDepartment) summary.push({ key: 'responsibleDepartment', label: t('filter.pair', { k: t('filter.department'), v: f.responsibleDepartment }) });
  if (f.responsibleLeader) summary.push({ key: 'responsibleLeader', label: t('filter.pair', { k: t('filter.leader'), v: f.responsibleLeader }) });
  if (f.q) summary.push({ key: 'q', label: t('filter.q', { q: f.q }) });
  const active = summary.filter((x) => x.key !== 'round').length;

  const removeFilter = (k: string) => {
    if (k === 'round') set({ round: undefined });
    else if (k === 'unitId') set({ unitId: null, unitName: null });
    else if (k === 'categoryId') set({ categoryId: null, categoryName: null });
    else if (k === 'q') { setQText(''); set({ q: null }); }
    else set({ [k]: null } as Partial<ProblemFilter>);
  };
  const clearAll = () => {
    setQText('');
    setF({});
  };

  const saveValue: FilterValue = {
    ...(clean({ ...f, round: undefined }) as FilterValue),
    ...(f.round !== undefined ? { roundId: f.round ?? ALL_ROUNDS } : {}),
    sort: sort.field, order: sort.order,
  };
  const applySaved = (x: FilterValue) => {
    const str = (k: string) => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : null);
    const flag = (k: string) => (typeof x[k] === 'boolean' ? (x[k] as boolean) : null);
    const next: ProblemFilter = {
      round: x.roundId === undefined ? undefined : x.roundId === ALL_ROUNDS ? null : str('roundId'),
      unitId: str('unitId'), unitName: str('unitName'), categoryId: str('categoryId'), categoryName: str('categoryName'),
      status: str('status'), overdue: flag('overdue'), isKey: flag('isKey'), source: str('source'), q: str('q'),
      responsibleDepartment: str('responsibleDepartment'), responsibleLeader: str('responsibleLeader'),
    };
    setF(next);
    setQText(next.q ?? '');
    if (str('sort')) setSort({ field: str('sort')!, order: x.order === 'desc' ? 'desc' : 'asc' });
  };

  const filtered = summary.some((x) => x.key !== 'round');
  const newProblem = useCallback(() => setCreating(true), []);
  const empty = useMemo(() => (
    <EmptyState
      hint={filtered ? t('problems.emptyFiltered') : t('problems.empty')}
      action={!filtered && canWrite ? <Button type="primary" onClick={newProblem}>{t('problems.new')}</Button> : undefined}
    />
  ), [filtered, canWrite, t, newProblem]);
  return (
    <div className="xz-list-page" data-testid="problems-list" data-stale={list.stale} aria-busy={list.stale}>
      <ListHead
        list="problems" title={<ListTitle>{searchQ && f.q === searchQ ? t('problems.search', { q: searchQ }) : t('problems.title')}</ListTitle>}
        searchPlaceholder={t('filter.searchProblems')} qText={qText} onQText={setQText} onSearch={(q) => set({ q })}
        activeFilters={active} panelOpen={open} onTogglePanel={() => setOpen((o) => !o)}
        saveValue={saveValue} onApplySaved={applySaved}
        columns={allColumns} hidden={hidden} onHidden={setHidden} locked={LOCKED} onPrint={() => setPrinting(true)}
        extra={canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-problem">
            {t('problems.new')}
          </Button>
        )}
      />
      {open && (
        <div className="xz-filter-panel" data-testid="filter-panel">
          <RoundPicker
            prefix={t('filter.round')} aria-label={t('filter.round')} allLabel={t('filter.allRounds')}
            value={roundId} onChange={(v) => set({ round: v, unitId: null, unitName: null })}
          />
          <UnitPicker
            prefix={t('filter.unit')} aria-label={t('filter.unit')} placeholder={t('filter.any')} className="xz-wide"
            roundId={roundId} value={f.unitId} knownLabel={f.unitName ?? undefined}
            onChange={(v, label) => set({ unitId: v, unitName: label ?? null })}
          />
          <CategoryPicker
            prefix={t('filter.category')} aria-label={t('filter.category')} placeholder={t('filter.any')} className="xz-wide"
            value={f.categoryId} onChange={(v, label) => set({ categoryId: v, categoryName: label ?? null })}
          />
          <Select
            prefix={t('filter.status')} aria-label={t('filter.status')} placeholder={t('filter.any')} allowClear
            value={f.status ?? undefined} onChange={(v?: string) => set({ status: v ?? null })}
            options={STATUSES.map((x) => ({ value: x, label: t(`problemStatus.${x}`) }))}
          />
          <Select
            prefix={t('filter.overdue')} aria-label={t('filter.overdue')} placeholder={t('filter.any')} allowClear
            value={boolChoice(f.overdue)} onChange={(v?: string) => set({ overdue: choiceBool(v) })}
            options={[{ value: 'yes', label: t('filter.overdueYes') }, { value: 'no', label: t('filter.overdueNo') }]}
          />
          <Select
            prefix={t('filter.isKey')} aria-label={t('filter.isKey')} placeholder={t('filter.any')} allowClear
            value={boolChoice(f.isKey)} onChange={(v?: string) => set({ isKey: choiceBool(v) })}
            options={[{ value: 'yes', label: t('filter.keyYes') }, { value: 'no', label: t('filter.keyNo') }]}
          />
          <Select
            prefix={t('filter.source')} aria-label={t('filter.source')} placeholder={t('filter.any')} allowClear
            value={f.source ?? undefined} onChange={(v?: string) => set({ source: v ?? null })}
            options={SOURCES.map((x) => ({ value: x, label: t(`sources.${x}`) }))}
          />
          <DutyPicker
            by="department" prefix={t('filter.department')} aria-label={t('filter.department')} placeholder={t('filter.any')}
            roundId={roundId} value={f.responsibleDepartment} onChange={(v) => set({ responsibleDepartment: v })}
          />
          <DutyPicker
            by="leader" prefix={t('filter.leader')} aria-label={t('filter.leader')} placeholder={t('filter.any')}
            roundId={roundId} value={f.responsibleLeader} onChange={(v) => set({ responsibleLeader: v })}
          />
        </div>
      )}
      <FilterSummary count={count.error ? null : count.data?.total} items={summary} onRemove={removeFilter} onClear={clearAll} status={<ListStatus list={list} />} />
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      <ListTable<ProblemListRow>
        list={list} columns={columns} flexKey="description" rowKey={rowId} testId="problem-table" widthsKey="problems"
        sort={sort} onSort={setSort} onOpen={openProblem} empty={empty}
      />
      <PrintDialog
        open={printing} onClose={() => setPrinting(false)}
        job={{
          defaultTitle: tc('print.problemsTitle', { office: s.office?.name ?? '' }), roundId,
          filters: summary.filter((x) => x.key !== 'round').map((x) => x.label), total: count.data?.total,
          columns: printColumns, fetchPage,
        }}
      />
      <NewProblemDrawer
        open={creating} onClose={() => setCreating(false)}
        onCreated={() => { setCreating(false); list.reload(); setTick((x) => x + 1); }}
      />
    </div>
  );
}
