/**
 * Pickers for list filters and forms. Units and responsible names are searched on the engine
 * (an aggregating office holds tens of thousands of units), never loaded whole.
 */
import { AutoComplete, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { call } from '../../api/client.js';
import { useQuery } from '../hooks.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import './lists.css';

type CategoryNode = Awaited<ResultOf<'categories:list'>>[number];
export type OfficeOptions = Awaited<ResultOf<'offices:list'>>;

interface PickerProps {
  value?: string | null | undefined;
  /** The new value and its label (for the filter summary). Optional inside a Form.Item, which injects both. */
  onChange?(v: string | null, label?: string): void;
  placeholder?: string;
  prefix?: ReactNode;
  className?: string;
  allowClear?: boolean;
  id?: string;
  status?: '' | 'error';
  'aria-label'?: string;
  size?: 'small' | 'middle';
}

/** Rounds, newest first as the engine lists them. */
export function RoundPicker(p: PickerProps & { allLabel?: string }) {
  const rounds = useQuery(() => call('rounds:list', {}), []);
  const ALL = '__all';
  const options = [
    ...(p.allLabel ? [{ value: ALL, label: p.allLabel }] : []),
    ...(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name })),
  ];
  return (
    <Select
      id={p.id} className={p.className} prefix={p.prefix} placeholder={p.placeholder} aria-label={p['aria-label']}
      allowClear={p.allowClear} loading={rounds.loading} status={p.status}
      value={p.value ?? (p.allLabel ? ALL : undefined)} options={options}
      onChange={(v: string | undefined) => p.onChange?.(!v || v === ALL ? null : v, options.find((o) => o.value === v)?.label)}
      popupMatchSelectWidth={false}
    />
  );
}

/**
 * 来源单位: this office and its exchange partners, and whether the ledger holds records of more
 * than one of them (then the lists show a 来源单位 column).
 */
export function useOffices() {
  return useQuery(() => call('offices:list'), []);
}

/** 来源单位 filter: this office (named as such) first, then its partners. */
export function OriginPicker(p: PickerProps & { offices: OfficeOptions['offices']; ownLabel(name: string): string }) {
  const options = p.offices.map((o) => ({ value: o.id, label: o.own ? p.ownLabel(o.name) : o.name }));
  return (
    <Select
      id={p.id} className={p.className} prefix={p.prefix} placeholder={p.placeholder} aria-label={p['aria-label']} size={p.size}
      allowClear={p.allowClear ?? true} value={p.value ?? undefined} options={options}
      onChange={(v: string | undefined) => p.onChange?.(v ?? null, options.find((o) => o.value === v)?.label)}
      popupMatchSelectWidth={false}
    />
  );
}

/** Debounced server-side search: the options for what the user typed so far. */
function useSearched<T>(fetch: (q: string) => Promise<T[]>, deps: readonly unknown[]) {
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      fetchRef.current(q).then(
        (r) => mine === seq.current && (setRows(r), setLoading(false)),
        () => mine === seq.current && (setRows([]), setLoading(false)),
      );
    }, q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q, ...deps]); // deps are the caller's: a new scope searches again
  return { rows, loading, setQ };
}

/** 被巡视单位: searched by name (optionally within a round). */
export function UnitPicker(p: PickerProps & { roundId?: string | null; knownLabel?: string }) {
  const s = useSearched((q) => call('units:list', { roundId: p.roundId ?? undefined, q: q || undefined, limit: 50 }).then((r) => r.items), [p.roundId]);
  const options = useMemo(() => {
    const o = s.rows.map((u) => ({ value: u.id, label: u.name }));
    if (p.value && !o.some((x) => x.value === p.value)) o.unshift({ value: p.value, label: p.knownLabel ?? p.value });
    return o;
  }, [s.rows, p.value, p.knownLabel]);
  return (
    <Select
      id={p.id} className={p.className} prefix={p.prefix} placeholder={p.placeholder} aria-label={p['aria-label']}
      allowClear={p.allowClear ?? true} showSearch={{ filterOption: false, onSearch: s.setQ }} loading={s.loading} status={p.status}
      value={p.value ?? undefined} options={options} onChange={(v: string | undefined) => p.onChange?.(v ?? null, options.find((o) => o.value === v)?.label)}
      popupMatchSelectWidth={false}
    />
  );
}

interface TreeNode { value: string; title: string; children: TreeNode[] }

function toTree(nodes: CategoryNode[], activeOnly: boolean): TreeNode[] {
  return nodes.filter((n) => !activeOnly || n.active).map((n) => ({ value: n.id, title: n.name, children: toTree(n.children, activeOnly) }));
}

/** 问题类别: the configurable two-level tree. */
export function CategoryPicker(p: PickerProps & { activeOnly?: boolean }) {
  const cats = useQuery(() => call('categories:list', { activeOnly: !!p.activeOnly }), [p.activeOnly]);
  const tree = useMemo(() => toTree(cats.data ?? [], !!p.activeOnly), [cats.data, p.activeOnly]);
  return (
    <TreeSelect
      id={p.id} className={p.className} prefix={p.prefix} placeholder={p.placeholder} aria-label={p['aria-label']}
      allowClear={p.allowClear ?? true} treeDefaultExpandAll loading={cats.loading} status={p.status}
      showSearch={{ treeNodeFilterProp: 'title' }}
      value={p.value ?? undefined} treeData={tree} onChange={(v: string | undefined, labels: unknown) => p.onChange?.(v ?? null, Array.isArray(labels) ? String(labels[0] ?? '') : undefined)}
      popupMatchSelectWidth={false}
    />
  );
}

/** Names of responsible departments or leaders in use (the task filters match them exactly). */
export function DutyPicker(p: PickerProps & { by: 'department' | 'leader'; roundId?: string | null }) {
  const s = useSearched(
    (q) => call('tasks:dutyGroups', { by: p.by, roundId: p.roundId ?? undefined, q: q || undefined, limit: 50 }).then((r) => r.rows),
    [p.by, p.roundId],
  );
  const options = useMemo(() => {
    const o = s.rows.filter((g) => g.key !== null).map((g) => ({ value: g.key as string, label: g.key as string }));
    if (p.value && !o.some((x) => x.value === p.value)) o.unshift({ value: p.value, label: p.value });
    return o;
  }, [s.rows, p.value]);
  return (
    <Select
      id={p.id} className={p.className} prefix={p.prefix} placeholder={p.placeholder} aria-label={p['aria-label']}
      allowClear={p.allowClear ?? true} showSearch={{ filterOption: false, onSearch: s.setQ }} loading={s.loading}
      value={p.value ?? undefined} options={options} onChange={(v: string | undefined) => p.onChange?.(v ?? null, v ?? undefined)}
      popupMatchSelectWidth={false}
    />
  );
}

/** A responsible name typed freely, with the names already in use offered as the user types. */
export function DutyNameInput({ by, value, onChange, id, placeholder }: {
  by: 'department' | 'leader'; value?: string; onChange?(v: string): void; id?: string; placeholder?: string;
}) {
  const s = useSearched(
    (q) => call('tasks:dutyGroups', { by, q: q || undefined, limit: 30 }).then((r) => r.rows),
    [by],
  );
  const options = s.rows.filter((g) => g.key !== null).map((g) => ({ value: g.key as string }));
  return (
    <AutoComplete
      id={id} value={value} placeholder={placeholder} options={options} maxLength={100}
      showSearch={{ onSearch: s.setQ }} onChange={(v: string) => onChange?.(v)}
    />
  );
}
