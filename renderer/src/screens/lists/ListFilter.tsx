/**
 * The filters of 问题清单 and 任务清单 (and 责任清单, a task list pinned to one department or leader),
 * shared: their state (remembered while the app runs), the engine's argument, the summary line's
 * tags, saved filters, and the filter panel. A problem list filters by source, a task list by
 * term; everything else is common.
 */
import { Select } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SummaryItem } from '../../components/lists/FilterSummary.js';
import type { SortState } from '../../components/lists/ListTable.js';
import { CategoryPicker, DutyPicker, OriginPicker, RoundPicker, UnitPicker, useOffices } from '../../components/lists/Pickers.js';
import type { FilterValue } from '../../components/lists/SavedFilters.js';
import { ALL_ROUNDS, boolChoice, choiceBool, clean, remember, remembered } from './filters.js';
import { PROBLEM_SOURCES, PROBLEM_STATUSES, TASK_STATUSES, TASK_TERMS } from '../../../../db/domain/enums.js';

export type ListKind = 'problems' | 'tasks';

export interface ListFilter {
  /** undefined: follow the current round of the top bar; null: all rounds. */
  round?: string | null;
  unitId?: string | null;
  unitName?: string | null;
  categoryId?: string | null;
  categoryName?: string | null;
  status?: string | null;
  overdue?: boolean | null;
  isKey?: boolean | null;
  /** Problems only. */
  source?: string | null;
  /** Tasks only. */
  term?: string | null;
  responsibleDepartment?: string | null;
  responsibleLeader?: string | null;
  /** 来源单位 (the office that created the records) and its name for the summary line. */
  originOfficeId?: string | null;
  originName?: string | null;
  /** 只看有冲突的 (true) / 无冲突的 (false). */
  conflicted?: boolean | null;
  q?: string | null;
}

/** 责任清单: the group whose tasks are shown. */
export interface Pinned {
  by: 'department' | 'leader';
  key: string;
}

const STATUSES: Record<ListKind, readonly string[]> = { problems: PROBLEM_STATUSES.codes, tasks: TASK_STATUSES.codes };
export const SOURCES = PROBLEM_SOURCES.codes;
const TERMS = TASK_TERMS.codes;
const STATUS_NS: Record<ListKind, string> = { problems: 'problemStatus', tasks: 'taskStatus' };

/** The engine's filter argument (the pinned group wins over the panel's choice). */
export function filterArgs(f: ListFilter, roundId: string | null, pinned?: Pinned) {
  return clean({
    roundId, unitId: f.unitId, categoryId: f.categoryId, status: f.status, overdue: f.overdue, isKey: f.isKey, source: f.source, term: f.term,
    responsibleDepartment: pinned?.by === 'department' ? pinned.key : f.responsibleDepartment,
    responsibleLeader: pinned?.by === 'leader' ? pinned.key : f.responsibleLeader,
    originOfficeId: f.originOfficeId, conflicted: f.conflicted,
    q: f.q,
  });
}

/** The summary line's tags, in the panel's order. */
export function filterSummary(t: TFunction<'problems'>, kind: ListKind, f: ListFilter, roundId: string | null, pinned?: Pinned): SummaryItem[] {
  const pair = (key: string, k: string, v: string) => ({ key, label: t('filter.pair', { k: t(k), v }) });
  const out: SummaryItem[] = [];
  if (pinned) out.push({ ...pair('pinned', pinned.by === 'department' ? 'duty.department' : 'duty.leader', pinned.key), fixed: true });
  if (roundId === null) out.push({ key: 'round', label: t('filter.allRounds') });
  if (f.unitId) out.push(pair('unitId', 'filter.unit', f.unitName ?? ''));
  if (f.categoryId) out.push(pair('categoryId', 'filter.category', f.categoryName ?? ''));
  if (f.status) out.push(pair('status', 'filter.status', t(`${STATUS_NS[kind]}.${f.status}`)));
  if (f.term) out.push(pair('term', 'filter.term', t(`terms.${f.term}`)));
  if (f.overdue != null) out.push({ key: 'overdue', label: f.overdue ? t('filter.overdueYes') : t('filter.overdueNo') });
  if (f.isKey != null) out.push({ key: 'isKey', label: f.isKey ? t('filter.keyYes') : t('filter.keyNo') });
  if (f.source) out.push(pair('source', 'filter.source', t(`sources.${f.source}`)));
  if (!pinned && f.responsibleDepartment) out.push(pair('responsibleDepartment', 'filter.department', f.responsibleDepartment));
  if (!pinned && f.responsibleLeader) out.push(pair('responsibleLeader', 'filter.leader', f.responsibleLeader));
  if (f.originOfficeId) out.push(pair('originOfficeId', 'filter.origin', f.originName ?? ''));
  if (f.conflicted != null) out.push({ key: 'conflicted', label: f.conflicted ? t('common:conflict.onlyYes') : t('common:conflict.onlyNo') });
  if (f.q) out.push({ key: 'q', label: t('filter.q', { q: f.q }) });
  return out;
}

/**
 * A list's filter state: remembered under `name` while the app runs (a detail route and back finds
 * it as it was), the search box's text, the sort, and the moves of the summary line and of saved
 * filters. `onChange` runs on every change made through it (the task list clears its selection).
 */
export function useListFilter(name: string, o: { initial?: ListFilter; sort: SortState; onChange?(): void }) {
  const mem = remembered<{ f: ListFilter; sort: SortState }>(name);
  const [f, setF] = useState<ListFilter>(() => o.initial ?? mem?.f ?? {});
  const [sort, setSort] = useState<SortState>(mem?.sort ?? o.sort);
  const [qText, setQText] = useState(f.q ?? '');
  remember(name, { f, sort });

  const set = (patch: Partial<ListFilter>) => {
    setF((x) => ({ ...x, ...patch }));
    o.onChange?.();
  };
  const replace = (next: ListFilter) => {
    setF(next);
    setQText(next.q ?? '');
    o.onChange?.();
  };
  const remove = (k: string) => {
    if (k === 'round') set({ round: undefined });
    else if (k === 'unitId') set({ unitId: null, unitName: null });
    else if (k === 'categoryId') set({ categoryId: null, categoryName: null });
    else if (k === 'originOfficeId') set({ originOfficeId: null, originName: null });
    else if (k === 'q') { setQText(''); set({ q: null }); }
    else set({ [k]: null } as Partial<ListFilter>);
  };
  const saveValue = (extra?: FilterValue): FilterValue => ({
    ...(clean({ ...f, round: undefined }) as FilterValue),
    ...(f.round !== undefined ? { roundId: f.round ?? ALL_ROUNDS } : {}),
    sort: sort.field, order: sort.order, ...extra,
  });
  const applySaved = (x: FilterValue) => {
    const str = (k: string) => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : null);
    const flag = (k: string) => (typeof x[k] === 'boolean' ? (x[k] as boolean) : null);
    replace({
      round: x.roundId === undefined ? undefined : x.roundId === ALL_ROUNDS ? null : str('roundId'),
      unitId: str('unitId'), unitName: str('unitName'), categoryId: str('categoryId'), categoryName: str('categoryName'),
      status: str('status'), overdue: flag('overdue'), isKey: flag('isKey'), source: str('source'), term: str('term'),
      responsibleDepartment: str('responsibleDepartment'), responsibleLeader: str('responsibleLeader'), q: str('q'),
      originOfficeId: str('originOfficeId'), originName: str('originName'), conflicted: flag('conflicted'),
    });
    if (str('sort')) setSort({ field: str('sort')!, order: x.order === 'desc' ? 'desc' : 'asc' });
  };
  return { f, set, update: setF, replace, remove, clear: () => replace({}), sort, setSort, qText, setQText, saveValue, applySaved };
}

/** The filter panel under the tool row. */
export function FilterPanel({ kind, f, roundId, onChange, pinned }: {
  kind: ListKind;
  f: ListFilter;
  roundId: string | null;
  onChange(patch: Partial<ListFilter>): void;
  pinned?: Pinned;
}) {
  const { t } = useTranslation('problems');
  // With exchange partners the ledger can hold records of other offices, and conflicts.
  const offices = useOffices().data?.offices ?? [];
  const exchanged = offices.length > 1;
  const common = (k: string) => ({ prefix: t(k), 'aria-label': t(k), placeholder: t('filter.any') });
  const flag = (k: string, yes: string, no: string, value: boolean | null | undefined, field: 'overdue' | 'isKey' | 'conflicted') => (
    <Select
      {...common(k)} allowClear value={boolChoice(value)} onChange={(v?: string) => onChange({ [field]: choiceBool(v) })}
      options={[{ value: 'yes', label: t(yes) }, { value: 'no', label: t(no) }]}
    />
  );
  const choice = (k: string, value: string | null | undefined, field: 'status' | 'term' | 'source', codes: readonly string[], ns: string) => (
    <Select
      {...common(k)} allowClear value={value ?? undefined} onChange={(v?: string) => onChange({ [field]: v ?? null })}
      options={codes.map((x) => ({ value: x, label: t(`${ns}.${x}`) }))}
    />
  );
  return (
    <div className="xz-filter-panel" data-testid="filter-panel">
      <RoundPicker
        prefix={t('filter.round')} aria-label={t('filter.round')} allLabel={t('filter.allRounds')}
        value={roundId} onChange={(v) => onChange({ round: v, unitId: null, unitName: null })}
      />
      <UnitPicker
        {...common('filter.unit')} className="xz-wide" roundId={roundId} value={f.unitId} knownLabel={f.unitName ?? undefined}
        onChange={(v, label) => onChange({ unitId: v, unitName: label ?? null })}
      />
      <CategoryPicker
        {...common('filter.category')} className="xz-wide"
        value={f.categoryId} onChange={(v, label) => onChange({ categoryId: v, categoryName: label ?? null })}
      />
      {choice('filter.status', f.status, 'status', STATUSES[kind], STATUS_NS[kind])}
      {kind === 'tasks' && choice('filter.term', f.term, 'term', TERMS, 'terms')}
      {flag('filter.overdue', 'filter.overdueYes', 'filter.overdueNo', f.overdue, 'overdue')}
      {flag('filter.isKey', 'filter.keyYes', 'filter.keyNo', f.isKey, 'isKey')}
      {kind === 'problems' && choice('filter.source', f.source, 'source', SOURCES, 'sources')}
      {pinned?.by !== 'department' && (
        <DutyPicker
          by="department" {...common('filter.department')} roundId={roundId}
          value={f.responsibleDepartment} onChange={(v) => onChange({ responsibleDepartment: v })}
        />
      )}
      {pinned?.by !== 'leader' && (
        <DutyPicker
          by="leader" {...common('filter.leader')} roundId={roundId}
          value={f.responsibleLeader} onChange={(v) => onChange({ responsibleLeader: v })}
        />
      )}
      {(exchanged || f.originOfficeId) && (
        <OriginPicker
          {...common('filter.origin')} className="xz-wide" offices={offices} ownLabel={(name) => t('filter.ownOffice', { name })}
          value={f.originOfficeId} onChange={(v, label) => onChange({ originOfficeId: v, originName: label ?? null })}
        />
      )}
      {(exchanged || f.conflicted != null) && flag('common:conflict.only', 'common:conflict.onlyYes', 'common:conflict.onlyNo', f.conflicted, 'conflicted')}
    </div>
  );
}
