/**
 * 导出范围: the choice (自上次确认以来 / 全部 / 按轮次 / 按被巡视单位 / 按问题 / 按日期范围) and the
 * pickers of the chosen one (db/exchange/scope.ts). The pickers are fed by the ledger's own list
 * calls, searched on the engine as the user types (rounds:list; units:list by name; problems:list
 * by words of the description), never whole tables. Every picker has its label; the choice is a
 * radio group (arrow keys), the pickers are searchable selects and typed dates.
 */
import { Form, Radio, Select, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { RoundPicker } from '../../components/lists/Pickers.js';

export const SCOPE_MODES = ['since', 'full', 'round', 'units', 'problems', 'dates'] as const;
export type ScopeMode = (typeof SCOPE_MODES)[number];
/** As the engine's MAX_SCOPE_IDS: the ids travel in the package's plaintext header. */
const MAX_IDS = 200;

export interface ScopeValues {
  scope: ScopeMode;
  roundId?: string | null;
  unitIds?: string[];
  problemIds?: string[];
  from?: string | null;
  to?: string | null;
}

/** The export call's scope fields: only the chosen mode's. */
export function scopeArgs(v: ScopeValues) {
  return {
    scope: v.scope,
    roundId: v.scope === 'round' ? v.roundId ?? null : null,
    unitIds: v.scope === 'units' ? v.unitIds ?? [] : [],
    problemIds: v.scope === 'problems' ? v.problemIds ?? [] : [],
    from: v.scope === 'dates' ? v.from ?? null : null,
    to: v.scope === 'dates' ? v.to ?? null : null,
  };
}

interface Option { value: string; label: string }

/** Several records picked by what the user types; each search asks the engine for one page. */
function SearchSelect(p: { id?: string; value?: string[]; onChange?(v: string[]): void; search(q: string): Promise<Option[]>; placeholder: string; testId: string }) {
  const { t } = useTranslation('exchange');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const [labels, setLabels] = useState<Map<string, string>>(() => new Map());
  const seq = useRef(0);
  const search = useRef(p.search);
  search.current = p.search;
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      search.current(q.trim())
        .then((rows) => {
          if (mine !== seq.current) return;
          setFound(rows);
          setLabels((m) => new Map([...m, ...rows.map((r) => [r.value, r.label] as const)]));
        })
        .catch(() => mine === seq.current && setFound([]))
        .finally(() => mine === seq.current && setLoading(false));
    }, q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q]);
  const chosen = p.value ?? [];
  const options = [...chosen.map((id) => ({ value: id, label: labels.get(id) ?? id })), ...found.filter((o) => !chosen.includes(o.value))];
  return (
    <Select
      id={p.id} mode="multiple" value={chosen} options={options} data-testid={p.testId}
      // A choice clears what was typed, and the list follows: every record again, ready for the next.
      onChange={(v: string[]) => {
        setQ('');
        p.onChange?.(v);
      }}
      showSearch={{ filterOption: false, searchValue: q, onSearch: setQ }} loading={loading} allowClear placeholder={p.placeholder}
      notFoundContent={loading ? undefined : t('export.noMatch')} maxTagTextLength={30} style={{ width: '100%' }}
    />
  );
}

const searchUnits = (q: string) => call('units:list', { q: q || undefined, limit: 50 }).then((r) => r.items.map((u) => ({ value: u.id, label: u.name })));
const searchProblems = (q: string) =>
  call('problems:list', { q: q || undefined, limit: 20, sort: 'seq' })
    .then((r) => r.rows.map((x) => ({ value: x.id, label: `${x.unitName ? `${x.unitName} · ` : ''}${x.seq}. ${x.description}` })));

/** 范围 and, below it, the pickers its choice needs (inside the export form). */
export function ScopeFields({ mode }: { mode: ScopeMode }) {
  const { t } = useTranslation('exchange');
  const partial = mode !== 'since' && mode !== 'full';
  const many = (required: string) => [
    { required: true, type: 'array' as const, min: 1, message: required },
    { type: 'array' as const, max: MAX_IDS, message: t('export.tooMany', { n: MAX_IDS }) },
  ];
  return (
    <>
      <Form.Item name="scope" label={t('export.scope')} extra={<>{t(`export.${mode}Hint`)}{partial && <><br />{t('export.partialNote')}</>}</>}>
        <Radio.Group data-testid="export-scope" options={SCOPE_MODES.map((m) => ({ value: m, label: t(`export.${m}`) }))} />
      </Form.Item>
      {mode === 'round' && (
        <Form.Item name="roundId" label={t('export.roundLabel')} rules={[{ required: true, message: t('export.roundRequired') }]}>
          <RoundPicker placeholder={t('export.roundPlaceholder')} className="xz-exchange-scope-pick" />
        </Form.Item>
      )}
      {mode === 'units' && (
        <Form.Item name="unitIds" label={t('export.unitsLabel')} rules={many(t('export.unitsRequired'))}>
          <SearchSelect search={searchUnits} placeholder={t('export.unitsPlaceholder')} testId="export-units" />
        </Form.Item>
      )}
      {mode === 'problems' && (
        <Form.Item name="problemIds" label={t('export.problemsLabel')} rules={many(t('export.problemsRequired'))}>
          <SearchSelect search={searchProblems} placeholder={t('export.problemsPlaceholder')} testId="export-problems" />
        </Form.Item>
      )}
      {mode === 'dates' && (
        <Space wrap align="start" style={{ display: 'flex' }}>
          <Form.Item name="from" label={t('export.from')} rules={[{ required: true, message: t('export.fromRequired') }]}>
            <DateInput style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="to" label={t('export.to')} dependencies={['from']} rules={[
            { required: true, message: t('export.toRequired') },
            ({ getFieldValue }) => ({
              validator: (_: unknown, v: string | null) => (!v || !getFieldValue('from') || v >= (getFieldValue('from') as string)
                ? Promise.resolve() : Promise.reject(new Error(t('export.dateOrder')))),
            }),
          ]}>
            <DateInput style={{ width: 180 }} />
          </Form.Item>
        </Space>
      )}
    </>
  );
}
