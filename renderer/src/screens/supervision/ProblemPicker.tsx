import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';

export interface PickedProblem {
  id: string;
  seq: number;
  description: string;
}

const label = (p: PickedProblem) => `${p.seq}. ${p.description}`;

/**
 * Pick problems of the round (and unit, when one is chosen) by typing words of their description:
 * each search asks the engine's problem list (FTS/LIKE in SQL) for one page, never the whole list.
 */
export function ProblemPicker(p: {
  id?: string;
  value?: string[];
  onChange?(ids: string[]): void;
  roundId: string | null;
  unitId?: string | null;
  /** Labels of problems already linked (from the record being edited). */
  known?: PickedProblem[];
}) {
  const { t } = useTranslation('supervision');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PickedProblem[]>([]);
  const [loading, setLoading] = useState(false);
  const [names, setNames] = useState<Map<string, PickedProblem>>(() => new Map((p.known ?? []).map((x) => [x.id, x])));
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      call('problems:list', { roundId: p.roundId ?? undefined, unitId: p.unitId ?? undefined, q: q.trim() || undefined, limit: 20, sort: 'seq' })
        .then((r) => {
          if (mine !== seq.current) return;
          const rows = r.rows.map((x) => ({ id: x.id, seq: x.seq, description: x.description }));
          setFound(rows);
          setNames((m) => new Map([...m, ...rows.map((x) => [x.id, x] as const)]));
        })
        .catch(() => mine === seq.current && setFound([]))
        .finally(() => mine === seq.current && setLoading(false));
    }, 250);
    return () => clearTimeout(timer);
  }, [q, p.roundId, p.unitId]);

  const selected = (p.value ?? []).map((id) => names.get(id) ?? { id, seq: 0, description: id });
  const options = [...selected, ...found.filter((f) => !(p.value ?? []).includes(f.id))]
    .map((x) => ({ value: x.id, label: label(x), title: x.description }));

  return (
    <Select
      id={p.id} mode="multiple" value={p.value ?? []} onChange={(v: string[]) => p.onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQ }} loading={loading} options={options} allowClear
      placeholder={t('activities.problemSearch')} notFoundContent={loading ? undefined : t('activities.noProblems')}
      optionLabelProp="label" maxTagTextLength={24} style={{ width: '100%' }}
    />
  );
}
