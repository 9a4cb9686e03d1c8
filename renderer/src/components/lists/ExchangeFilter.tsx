/**
 * 来源单位 and 有冲突 in the toolbar of the supervision-side lists (aggregation upward, EXCHANGE.md):
 * the two filters every such list's engine call takes (db/services/supervision-common.ts
 * `listFields`), and a 来源单位 column. Shown once the ledger knows another office (an exchange
 * partner), or while a filter is set; a ledger that never exchanged keeps its plain toolbar.
 */
import { Select } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { OriginPicker, useOffices } from './Pickers.js';

export interface ExchangeFilterValue {
  originOfficeId: string | null;
  conflicted: boolean | null;
}

export interface ExchangeFilter {
  /** What the list call takes (absent: no filter). */
  args: { originOfficeId?: string; conflicted?: boolean };
  /** Whether a filter is set (an empty list is then "nothing matches", not "nothing yet"). */
  active: boolean;
  /**
   * The list's filter summary: the list's own filters set (in words; empty ones left out), then
   * these two, joined; `none` when nothing is set.
   */
  summary(own: readonly (string | null | false | undefined)[], none: string): string;
  /** The two selects, for the toolbar (null while hidden). */
  controls: ReactNode;
  /** The 来源单位 column once the ledger knows another office (else none), to spread into a table's columns. */
  columns<R extends { originOfficeId: string }>(): ColumnType<R>[];
}

/** `onChange`: called when a filter changes (a list goes back to its first page). */
export function useExchangeFilter(onChange?: () => void): ExchangeFilter {
  const { t } = useTranslation();
  const offices = useOffices().data?.offices ?? [];
  const [f, setF] = useState<ExchangeFilterValue & { originName: string | null }>({ originOfficeId: null, originName: null, conflicted: null });
  const set = (patch: Partial<typeof f>) => {
    setF((v) => ({ ...v, ...patch }));
    onChange?.();
  };
  const partners = offices.length > 1;
  const active = f.originOfficeId !== null || f.conflicted !== null;
  const conflictChoice = f.conflicted === null ? undefined : f.conflicted ? 'yes' : 'no';
  const controls = partners || active ? (
    <>
      <OriginPicker
        size="small" className="xz-w-200" offices={offices} ownLabel={(name) => t('origin.own', { name })}
        placeholder={t('origin.any')} aria-label={t('origin.label')} value={f.originOfficeId}
        onChange={(v, label) => set({ originOfficeId: v, originName: label ?? null })}
      />
      <Select
        size="small" style={{ width: 140 }} allowClear placeholder={t('conflict.only')} aria-label={t('conflict.only')}
        value={conflictChoice} onChange={(v?: string) => set({ conflicted: v === undefined ? null : v === 'yes' })}
        options={[{ value: 'yes', label: t('conflict.onlyYes') }, { value: 'no', label: t('conflict.onlyNo') }]}
      />
    </>
  ) : null;
  const nameOf = (id: string) => offices.find((o) => o.id === id)?.name ?? `…${id.slice(-8)}`;
  return {
    args: { ...(f.originOfficeId ? { originOfficeId: f.originOfficeId } : {}), ...(f.conflicted !== null ? { conflicted: f.conflicted } : {}) },
    active,
    summary: (own, none) => [
      ...own,
      f.originOfficeId && t('origin.word', { name: f.originName ?? '' }),
      f.conflicted !== null && t(f.conflicted ? 'conflict.onlyYes' : 'conflict.onlyNo'),
    ].filter(Boolean).join('、') || none,
    controls,
    columns: <R extends { originOfficeId: string }>(): ColumnType<R>[] => (partners
      ? [{ title: t('origin.label'), key: 'origin', width: 140, ellipsis: { showTitle: true }, render: (_v: unknown, r: R) => <span data-testid="cell-origin">{nameOf(r.originOfficeId)}</span> }]
      : []),
  };
}
