/**
 * 问题清单 (#/problems, #/problems/search/<q> from the top bar's search, #/problems/unit/<unitId>
 * from a unit's page): the problems of the current round (or all rounds), filtered and sorted in
 * SQL, fetched page by page as the user scrolls; 新建问题 with Ctrl+N; 打印 with Ctrl+P; a row opens
 * the problem's detail route.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArgOf } from '../../../../db/bridge/contract.js';
import type { ProblemListRow } from '../../../../db/queries/problem-list.js';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { useHiddenColumns } from '../../components/lists/ColumnChooser.js';
import { useOffices } from '../../components/lists/Pickers.js';
import { FilterSummary } from '../../components/lists/FilterSummary.js';
import { useWarnDays } from '../../components/lists/Lights.js';
import { ListHead } from '../../components/lists/ListHead.js';
import { ListTable, rowId } from '../../components/lists/ListTable.js';
import '../../components/lists/lists.css';
import { useKeysetPages } from '../../components/lists/useKeysetPages.js';
import { ExportDialog } from '../../components/lists/ExportDialog.js';
import { PrintDialog } from '../../components/print/PrintDialog.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { problemColumns, problemPrintColumns } from './Columns.js';
import { FilterPanel, filterArgs, filterSummary, useListFilter } from './ListFilter.js';
import { ListStatus } from './ListStatus.js';
import { NewProblemDrawer } from './NewProblemDrawer.js';
import { ListTitle } from './TaskList.js';

const LOCKED = ['seq', 'description'];
const openProblem = (r: ProblemListRow) => navigate('problem', r.id);

export function ProblemsScreen() {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const s = useSession();
  const route = useRoute();
  const warnDays = useWarnDays();
  const searchQ = route.section === 'problems' && route.id === 'search' ? route.sub : null;
  const unitQ = route.section === 'problems' && route.id === 'unit' ? route.sub : null;
  // The top bar's search looks through every round; a unit's page asks for that unit's problems.
  const lf = useListFilter('problems', {
    initial: searchQ ? { round: null, q: searchQ } : unitQ ? { unitId: unitQ, unitName: null } : undefined,
    sort: { field: 'deadline', order: 'asc' },
  });
  const { f, sort } = lf;
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [hidden, setHidden] = useHiddenColumns('problems');

  useEffect(() => {
    if (searchQ !== null) lf.replace({ round: null, q: searchQ });
  }, [searchQ]);
  // From a unit's page: that unit's problems in the current round, every other filter cleared.
  useEffect(() => {
    if (unitQ === null) return;
    lf.replace({ unitId: unitQ, unitName: null });
    let live = true;
    call('units:get', { id: unitQ }).then((u) => {
      if (live) lf.update((x) => (x.unitId === unitQ ? { ...x, unitName: u.name } : x));
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
  const args = useMemo(() => filterArgs(f, roundId), [roundId, f]);
  const argsKey = JSON.stringify(args);
  const key = JSON.stringify({ args, sort });
  const fetchPage = (cursor: string | null, limit: number) => call('problems:list', { ...args, sort: sort.field, order: sort.order, cursor, limit } as ArgOf<'problems:list'>);
  const list = useKeysetPages<ProblemListRow>({ key, cacheName: 'problems', fetchPage });
  const [tick, setTick] = useState(0);
  const count = useQuery(() => call('problems:count', args as ArgOf<'problems:count'>), [argsKey, tick]);

  const printColumns = useMemo(() => problemPrintColumns(t), [t]);
  // 来源单位 only where the ledger holds problems or tasks of more than one office.
  const mixed = useOffices().data?.mixed ?? false;
  const allColumns = useMemo(() => problemColumns(t, warnDays, s.today, mixed), [t, warnDays, s.today, mixed]);
  const columns = useMemo(() => allColumns.filter((c) => !hidden.includes(c.key)), [allColumns, hidden]);

  const summary = filterSummary(t, 'problems', f, roundId);
  const chosen = summary.filter((x) => x.key !== 'round');
  const filtered = chosen.length > 0;
  const newProblem = useCallback(() => setCreating(true), []);
  const empty = useMemo(() => (
    <EmptyState
      hint={filtered ? t('problems.emptyFiltered') : t('problems.empty')}
      action={!filtered && canWrite ? <Button type="primary" onClick={newProblem}>{t('problems.new')}</Button> : undefined}
    />
  ), [filtered, canWrite, t, newProblem]);
  /** What 打印 and 导出 take: the rows of the current filters and sort, in the printed form's columns. */
  const job = {
    defaultTitle: tc('print.problemsTitle', { office: s.office?.name ?? '' }), roundId,
    filters: chosen.map((x) => x.label), total: count.data?.total, columns: printColumns, fetchPage,
  };
  return (
    <div className="xz-list-page" data-testid="problems-list" data-stale={list.stale} aria-busy={list.stale}>
      <ListHead
        list="problems" title={<ListTitle>{searchQ && f.q === searchQ ? t('problems.search', { q: searchQ }) : t('problems.title')}</ListTitle>}
        searchPlaceholder={t('filter.searchProblems')} qText={lf.qText} onQText={lf.setQText} onSearch={(q) => lf.set({ q })}
        activeFilters={chosen.length} panelOpen={open} onTogglePanel={() => setOpen((o) => !o)}
        saveValue={lf.saveValue()} onApplySaved={lf.applySaved}
        columns={allColumns} hidden={hidden} onHidden={setHidden} locked={LOCKED} onPrint={() => setPrinting(true)} onExport={() => setExporting(true)}
        extra={canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-problem">
            {t('problems.new')}
          </Button>
        )}
      />
      {open && <FilterPanel kind="problems" f={f} roundId={roundId} onChange={lf.set} />}
      <FilterSummary count={count.error ? null : count.data?.total} items={summary} onRemove={lf.remove} onClear={lf.clear} status={<ListStatus list={list} />} />
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      <ListTable<ProblemListRow>
        list={list} columns={columns} flexKey="description" rowKey={rowId} testId="problem-table" widthsKey="problems"
        sort={sort} onSort={lf.setSort} onOpen={openProblem} empty={empty}
      />
      <PrintDialog
        open={printing} onClose={() => setPrinting(false)}
        job={job}
      />
      <ExportDialog open={exporting} onClose={() => setExporting(false)} job={job} />
      <NewProblemDrawer
        open={creating} onClose={() => setCreating(false)}
        onCreated={() => { setCreating(false); list.reload(); setTick((x) => x + 1); }}
      />
    </div>
  );
}
