/**
 * The task list (任务清单) body, shared by the 任务清单 and the 责任清单 (which pins the responsible
 * department or leader): search, filters, saved filters, count and filter summary, the virtualised
 * table and bulk actions on selected rows.
 */
import { App, Select, Typography } from 'antd';
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskListRow } from '../../../../db/queries/task-list.js';
import { call } from '../../api/client.js';
import { navigate } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { BulkBar } from '../../components/lists/BulkBar.js';
import { useHiddenColumns } from '../../components/lists/ColumnChooser.js';
import { FilterSummary, type SummaryItem } from '../../components/lists/FilterSummary.js';
import { useWarnDays } from '../../components/lists/lights.js';
import { ListHead } from '../../components/lists/ListHead.js';
import { ListTable, rowId, type SortState } from '../../components/lists/ListTable.js';
import { CategoryPicker, DutyPicker, RoundPicker, UnitPicker } from '../../components/lists/pickers.js';
import type { FilterValue } from '../../components/lists/SavedFilters.js';
import { useKeysetPages } from '../../components/lists/useKeysetPages.js';
import { ErrorState, EmptyState } from '../../components/states.js';
import { taskColumns, taskPrintColumns } from './columns.js';
import { ListStatus } from './ListStatus.js';
import { PrintDialog } from '../../components/print/PrintDialog.js';
import { ALL_ROUNDS, boolChoice, choiceBool, clean, remembered, remember } from './filters.js';

const STATUSES = ['draft', 'in_progress', 'pending_review', 'closed'] as const;
const TERMS = ['immediate', 'concentrated', 'long_term'] as const;
const MAX_SELECT = 1000;
const LOCKED = ['seq', 'measures'];
const openTask = (r: TaskListRow) => navigate('task', r.id);

export interface TaskFilter {
  /** undefined: follow the current round of the top bar; null: all rounds. */
  round?: string | null;
  unitId?: string | null;
  unitName?: string | null;
  status?: string | null;
  term?: string | null;
  responsibleDepartment?: string | null;
  responsibleLeader?: string | null;
  overdue?: boolean | null;
  categoryId?: string | null;
  categoryName?: string | null;
  isKey?: boolean | null;
  q?: string | null;
}

export interface Pinned {
  by: 'department' | 'leader';
  key: string;
}

export function TaskList({ name, title, pinned, savedExtra, onApplySaved, headExtra }: {
  /** Which list this is (saved filters and remembered state are kept per list). */
  name: 'tasks' | 'duty';
  title: ReactNode;
  /** 责任清单: the group whose tasks are shown. */
  pinned?: Pinned;
  savedExtra?: FilterValue;
  onApplySaved?(f: FilterValue): void;
  headExtra?: ReactNode;
}) {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message } = App.useApp();
  const warnDays = useWarnDays();
  const mem = remembered<{ f: TaskFilter; sort: SortState }>(name);
  const [f, setF] = useState<TaskFilter>(mem?.f ?? {});
  const [sort, setSort] = useState<SortState>(mem?.sort ?? { field: 'currentDeadline', order: 'asc' });
  const [open, setOpen] = useState(false);
  const [qText, setQText] = useState(f.q ?? '');
  const [selected, setSelected] = useState<string[]>([]);
  const [printing, setPrinting] = useState(false);
  useWindowEvent('xz:print', (e) => {
    e.preventDefault();
    setPrinting(true);
  });
  const rowsById = useRef(new Map<string, TaskListRow>());
  // The 责任清单 shares the width with its group list: fewer columns until the user adds them.
  const [hidden, setHidden] = useHiddenColumns(name, name === 'duty' ? ['unit', 'updatedAt'] : []);
  remember(name, { f, sort });

  const roundId = f.round === undefined ? s.roundId : f.round;
  const args = useMemo(() => clean({
    roundId, unitId: f.unitId, status: f.status, term: f.term, overdue: f.overdue, categoryId: f.categoryId, isKey: f.isKey, q: f.q,
    responsibleDepartment: pinned?.by === 'department' ? pinned.key : f.responsibleDepartment,
    responsibleLeader: pinned?.by === 'leader' ? pinned.key : f.responsibleLeader,
  }), [roundId, f, pinned]);
  const argsKey = JSON.stringify(args);
  const key = JSON.stringify({ args, sort });
  const fetchPage = (cursor: string | null, limit: number) => call('tasks:list', { ...args, sort: sort.field, order: sort.order, cursor, limit });
  const list = useKeysetPages<TaskListRow>({
    key,
    cacheName: name === 'duty' ? `duty:${pinned?.by}:${pinned?.key}` : name,
    fetchPage,
  });
  const [tick, setTick] = useState(0);
  const count = useQuery(() => call('tasks:count', args), [argsKey, tick]);

  const set = (patch: Partial<TaskFilter>) => {
    setF((x) => ({ ...x, ...patch }));
    setSelected([]);
  };
  const printColumns = useMemo(() => taskPrintColumns(t), [t]);
  const allColumns = useMemo(() => taskColumns(t, warnDays, s.today), [t, warnDays, s.today]);
  const columns = useMemo(() => allColumns.filter((c) => !hidden.includes(c.key) && !(pinned?.by === 'department' && c.key === 'department') && !(pinned?.by === 'leader' && c.key === 'leader')), [allColumns, hidden, pinned]);
  const canWrite = s.can('ledger.write');

  const summary: SummaryItem[] = [];
  if (pinned) summary.push({ key: 'pinned', label: t('filter.pair', { k: t(pinned.by === 'department' ? 'duty.department' : 'duty.leader'), v: pinned.key }), fixed: true });
  if (roundId === null) summary.push({ key: 'round', label: t('filter.allRounds') });
  if (f.unitId) summary.push({ key: 'unitId', label: t('filter.pair', { k: t('filter.unit'), v: f.unitName ?? '' }) });
  if (f.status) summary.push({ key: 'status', label: t('filter.pair', { k: t('filter.status'), v: t(`taskStatus.${f.status}`) }) });
  if (f.term) summary.push({ key: 'term', label: t('filter.pair', { k: t('filter.term'), v: t(`terms.${f.term}`) }) });
  if (f.overdue != null) summary.push({ key: 'overdue', label: f.overdue ? t('filter.overdueYes') : t('filter.overdueNo') });
  if (!pinned && f.responsibleDepartment) summary.push({ key: 'responsibleDepartment', label: t('filter.pair', { k: t('filter.department'), v: f.responsibleDepartment }) });
  if (!pinned && f.responsibleLeader) summary.push({ key: 'responsibleLeader', label: t('filter.pair', { k: t('filter.leader'), v: f.responsibleLeader }) });
  if (f.categoryId) summary.push({ key: 'categoryId', label: t('filter.pair', { k: t('filter.category'), v: f.categoryName ?? '' }) });
  if (f.isKey != null) summary.push({ key: 'isKey', label: f.isKey ? t('filter.keyYes') : t('filter.keyNo') });
  if (f.q) summary.push({ key: 'q', label: t('filter.q', { q: f.q }) });
  const active = summary.filter((x) => !x.fixed && x.key !== 'round').length;

  const removeFilter = (k: string) => {
    if (k === 'round') set({ round: undefined });
    else if (k === 'unitId') set({ unitId: null, unitName: null });
    else if (k === 'categoryId') set({ categoryId: null, categoryName: null });
    else if (k === 'q') { setQText(''); set({ q: null }); }
    else set({ [k]: null } as Partial<TaskFilter>);
  };
  const clearAll = () => {
    setQText('');
    setF({});
    setSelected([]);
  };

  const saveValue: FilterValue = { ...clean({ ...f, round: undefined }) as FilterValue, ...(f.round !== undefined ? { roundId: f.round ?? ALL_ROUNDS } : {}), sort: sort.field, order: sort.order, ...savedExtra };
  const applySaved = (x: FilterValue) => {
    const str = (k: string) => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : null);
    const next: TaskFilter = {
      round: x.roundId === undefined ? undefined : x.roundId === ALL_ROUNDS ? null : str('roundId'),
      unitId: str('unitId'), unitName: str('unitName'), status: str('status'), term: str('term'),
      responsibleDepartment: str('responsibleDepartment'), responsibleLeader: str('responsibleLeader'),
      overdue: typeof x.overdue === 'boolean' ? x.overdue : null, q: str('q'),
      categoryId: str('categoryId'), categoryName: str('categoryName'), isKey: typeof x.isKey === 'boolean' ? x.isKey : null,
    };
    setF(next);
    setQText(next.q ?? '');
    if (str('sort')) setSort({ field: str('sort')!, order: x.order === 'desc' ? 'desc' : 'asc' });
    setSelected([]);
    onApplySaved?.(x);
  };

  const onSelect = useCallback((keys: string[], rows: TaskListRow[]) => {
    for (const r of rows) rowsById.current.set(r.id, r);
    setSelected(keys);
  }, []);
  const selection = useMemo(() => (canWrite
    ? { keys: selected, onChange: onSelect, max: MAX_SELECT, onTooMany: () => void message.warning(t('bulk.max', { n: MAX_SELECT })) }
    : undefined), [canWrite, selected, onSelect, message, t]);
  const filtered = summary.some((x) => !x.fixed);
  const empty = useMemo(() => <EmptyState hint={filtered ? t('tasks.emptyFiltered') : t('tasks.empty')} />, [filtered, t]);
  const describe = (id: string) => {
    const r = rowsById.current.get(id);
    return r ? `${r.problemSeq ?? '?'}-${r.seq} ${r.measures}` : id;
  };
  const afterBulk = () => {
    setSelected([]);
    list.reload();
    setTick((x) => x + 1);
  };

  return (
    <div className="xz-list-page" data-testid={`${name}-list`} data-stale={list.stale} aria-busy={list.stale}>
      <ListHead
        list={name} title={title} searchPlaceholder={t('filter.searchTasks')} qText={qText} onQText={setQText} onSearch={(q) => set({ q })}
        activeFilters={active} panelOpen={open} onTogglePanel={() => setOpen((o) => !o)}
        saveValue={saveValue} onApplySaved={applySaved}
        columns={allColumns} hidden={hidden} onHidden={setHidden} locked={LOCKED} extra={headExtra}
        onPrint={() => setPrinting(true)}
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
          <Select
            prefix={t('filter.status')} aria-label={t('filter.status')} placeholder={t('filter.any')} allowClear
            value={f.status ?? undefined} onChange={(v?: string) => set({ status: v ?? null })}
            options={STATUSES.map((x) => ({ value: x, label: t(`taskStatus.${x}`) }))}
          />
          <Select
            prefix={t('filter.term')} aria-label={t('filter.term')} placeholder={t('filter.any')} allowClear
            value={f.term ?? undefined} onChange={(v?: string) => set({ term: v ?? null })}
            options={TERMS.map((x) => ({ value: x, label: t(`terms.${x}`) }))}
          />
          <Select
            prefix={t('filter.overdue')} aria-label={t('filter.overdue')} placeholder={t('filter.any')} allowClear
            value={boolChoice(f.overdue)} onChange={(v?: string) => set({ overdue: choiceBool(v) })}
            options={[{ value: 'yes', label: t('filter.overdueYes') }, { value: 'no', label: t('filter.overdueNo') }]}
          />
          <CategoryPicker
            prefix={t('filter.category')} aria-label={t('filter.category')} placeholder={t('filter.any')} className="xz-wide"
            value={f.categoryId} onChange={(v, label) => set({ categoryId: v, categoryName: label ?? null })}
          />
          <Select
            prefix={t('filter.isKey')} aria-label={t('filter.isKey')} placeholder={t('filter.any')} allowClear
            value={boolChoice(f.isKey)} onChange={(v?: string) => set({ isKey: choiceBool(v) })}
            options={[{ value: 'yes', label: t('filter.keyYes') }, { value: 'no', label: t('filter.keyNo') }]}
          />
          {pinned?.by !== 'department' && (
            <DutyPicker
              by="department" prefix={t('filter.department')} aria-label={t('filter.department')} placeholder={t('filter.any')}
              roundId={roundId} value={f.responsibleDepartment} onChange={(v) => set({ responsibleDepartment: v })}
            />
          )}
          {pinned?.by !== 'leader' && (
            <DutyPicker
              by="leader" prefix={t('filter.leader')} aria-label={t('filter.leader')} placeholder={t('filter.any')}
              roundId={roundId} value={f.responsibleLeader} onChange={(v) => set({ responsibleLeader: v })}
            />
          )}
        </div>
      )}
      {/* Bulk actions take the place of the status on the summary line: selecting never shifts the rows. */}
      <FilterSummary
        count={count.error ? null : count.data?.total} items={summary} onRemove={removeFilter} onClear={clearAll}
        status={canWrite && selected.length > 0
          ? <BulkBar ids={selected} describe={describe} onDone={afterBulk} onClear={() => setSelected([])} />
          : <ListStatus list={list} />}
      />
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      <ListTable<TaskListRow>
        list={list} columns={columns} flexKey="measures" rowKey={rowId} testId="task-table" widthsKey={name}
        sort={sort} onSort={setSort} onOpen={openTask} selection={selection} empty={empty}
      />
      <PrintDialog
        open={printing} onClose={() => setPrinting(false)}
        job={{
          defaultTitle: pinned
            ? tc('print.dutyTitle', { office: s.office?.name ?? '', group: pinned.key })
            : tc('print.tasksTitle', { office: s.office?.name ?? '' }),
          roundId, filters: summary.filter((x) => x.key !== 'round').map((x) => x.label), total: count.data?.total,
          columns: printColumns, fetchPage,
        }}
      />
    </div>
  );
}

export function ListTitle({ children }: { children: ReactNode }) {
  return <Typography.Title level={4}>{children}</Typography.Title>;
}
