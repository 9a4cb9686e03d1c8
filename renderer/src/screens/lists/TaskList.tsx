/**
 * The task list (任务清单) body, shared by the 任务清单 and the 责任清单 (which pins the responsible
 * department or leader): search, filters, saved filters, count and filter summary, the virtualised
 * table and bulk actions on selected rows.
 */
import { App } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArgOf } from '../../../../db/bridge/contract.js';
import type { TaskListRow } from '../../../../db/queries/task-list.js';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { PageTitle } from '../../components/PageTitle.js';
import { BulkBar } from '../../components/lists/BulkBar.js';
import { useHiddenColumns } from '../../components/lists/ColumnChooser.js';
import { useOffices } from '../../components/lists/Pickers.js';
import { FilterSummary } from '../../components/lists/FilterSummary.js';
import { useWarnDays } from '../../components/lists/Lights.js';
import { ListHead } from '../../components/lists/ListHead.js';
import { ListTable, rowId } from '../../components/lists/ListTable.js';
import type { FilterValue } from '../../components/lists/SavedFilters.js';
import { useKeysetPages } from '../../components/lists/useKeysetPages.js';
import { ExportDialog } from '../../components/lists/ExportDialog.js';
import { PrintDialog } from '../../components/print/PrintDialog.js';
import { ErrorState, EmptyState } from '../../components/States.js';
import { taskColumns, taskPrintColumns } from './Columns.js';
import { FilterPanel, filterArgs, filterSummary, useListFilter, type Pinned } from './ListFilter.js';
import { ListStatus } from './ListStatus.js';

const MAX_SELECT = 1000;
const LOCKED = ['seq', 'measures'];
const openTask = (r: TaskListRow) => navigate('task', r.id);

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
  const [selected, setSelected] = useState<string[]>([]);
  const lf = useListFilter(name, { sort: { field: 'currentDeadline', order: 'asc' }, onChange: () => setSelected([]) });
  const { f, sort } = lf;
  const [open, setOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [printing, setPrinting] = useState(false);
  useWindowEvent('xz:print', (e) => {
    e.preventDefault();
    setPrinting(true);
  });
  const rowsById = useRef(new Map<string, TaskListRow>());
  // The 责任清单 shares the width with its group list: fewer columns until the user adds them.
  const [hidden, setHidden] = useHiddenColumns(name, name === 'duty' ? ['unit', 'updatedAt'] : []);

  const roundId = f.round === undefined ? s.roundId : f.round;
  const args = useMemo(() => filterArgs(f, roundId, pinned), [roundId, f, pinned]);
  const argsKey = JSON.stringify(args);
  const key = JSON.stringify({ args, sort });
  const fetchPage = (cursor: string | null, limit: number) => call('tasks:list', { ...args, sort: sort.field, order: sort.order, cursor, limit } as ArgOf<'tasks:list'>);
  const list = useKeysetPages<TaskListRow>({
    key,
    cacheName: name === 'duty' ? `duty:${pinned?.by}:${pinned?.key}` : name,
    fetchPage,
  });
  const [tick, setTick] = useState(0);
  const count = useQuery(() => call('tasks:count', args as ArgOf<'tasks:count'>), [argsKey, tick]);
  // Rows ticked while the previous filter's rows were still on screen are not the new list's.
  useEffect(() => setSelected([]), [list.epoch]);

  const printColumns = useMemo(() => taskPrintColumns(t), [t]);
  // 来源单位 only where the ledger holds problems or tasks of more than one office.
  const mixed = useOffices().data?.mixed ?? false;
  const allColumns = useMemo(() => taskColumns(t, warnDays, s.today, mixed), [t, warnDays, s.today, mixed]);
  const columns = useMemo(() => allColumns.filter((c) => !hidden.includes(c.key) && !(pinned?.by === 'department' && c.key === 'department') && !(pinned?.by === 'leader' && c.key === 'leader')), [allColumns, hidden, pinned]);
  const canWrite = s.can('ledger.write');

  const summary = filterSummary(t, 'tasks', f, roundId, pinned);
  const chosen = summary.filter((x) => !x.fixed && x.key !== 'round');
  const applySaved = (x: FilterValue) => {
    lf.applySaved(x);
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

  /** What 打印 and 导出 take: the rows of the current filters and sort, in the printed form's columns. */
  const job = {
    defaultTitle: pinned
      ? tc('print.dutyTitle', { office: s.office?.name ?? '', group: pinned.key })
      : tc('print.tasksTitle', { office: s.office?.name ?? '' }),
    roundId, filters: summary.filter((x) => x.key !== 'round').map((x) => x.label), total: count.data?.total,
    columns: printColumns, fetchPage,
  };
  return (
    <div className="xz-list-page" data-testid={`${name}-list`} data-stale={list.stale} aria-busy={list.stale}>
      <ListHead
        list={name} title={title} searchPlaceholder={t('filter.searchTasks')} qText={lf.qText} onQText={lf.setQText} onSearch={(q) => lf.set({ q })}
        activeFilters={chosen.length} panelOpen={open} onTogglePanel={() => setOpen((o) => !o)}
        saveValue={lf.saveValue(savedExtra)} onApplySaved={applySaved}
        columns={allColumns} hidden={hidden} onHidden={setHidden} locked={LOCKED} extra={headExtra}
        onPrint={() => setPrinting(true)} onExport={() => setExporting(true)}
      />
      {open && <FilterPanel kind="tasks" f={f} roundId={roundId} onChange={lf.set} pinned={pinned} />}
      {/* Bulk actions take the place of the status on the summary line: selecting never shifts the rows. */}
      <FilterSummary
        count={count.error ? null : count.data?.total} items={summary} onRemove={lf.remove} onClear={lf.clear}
        status={canWrite && selected.length > 0
          ? <BulkBar ids={selected} describe={describe} onDone={afterBulk} onClear={() => setSelected([])} />
          : <ListStatus list={list} />}
      />
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      <ListTable<TaskListRow>
        list={list} columns={columns} flexKey="measures" rowKey={rowId} testId="task-table" widthsKey={name}
        sort={sort} onSort={lf.setSort} onOpen={openTask} selection={selection} empty={empty}
      />
      <PrintDialog
        open={printing} onClose={() => setPrinting(false)}
        job={job}
      />
      <ExportDialog open={exporting} onClose={() => setExporting(false)} job={job} />
    </div>
  );
}

/** A list screen's title: the screen's h1 (level 2 for a list shown under the screen's own title). */
export function ListTitle({ children, level = 1 }: { children: ReactNode; level?: 1 | 2 }) {
  return <PageTitle level={level}>{children}</PageTitle>;
}
