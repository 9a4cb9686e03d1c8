import type { ServiceContext } from '../../core/context.js';
import { SECTORS } from '../../domain/enums.js';

/**
 * How figures are grouped (by round, unit, sector, top-level category, department or 来源单位:
 * the office that created the records), what each group is called and in which order groups are
 * shown. The counting rules are in ../aggregates.ts.
 */

export const SUMMARY_GROUPS = ['round', 'unit', 'sector', 'category', 'department', 'origin'] as const;
export type SummaryGroupBy = (typeof SUMMARY_GROUPS)[number];

/** Groupings of records that carry round_id/unit_id themselves (clues, 问责, 建议, 评估). */
export const BREAKDOWN_GROUPS = ['round', 'unit', 'sector', 'origin'] as const;
export type BreakdownGroupBy = (typeof BREAKDOWN_GROUPS)[number];
export const SUGGESTION_GROUPS = ['round', 'unit', 'sector', 'department', 'origin'] as const;
export type SuggestionGroupBy = (typeof SUGGESTION_GROUPS)[number];

export const GROUP_LABELS: Record<SummaryGroupBy, string> = {
  round: '巡视轮次', unit: '被巡视单位', sector: '板块', category: '问题类别', department: '责任部门', origin: '来源单位',
};
/** Shown for records that have no value for the grouping (e.g. a clue with no round). */
const NONE_LABELS: Record<SummaryGroupBy, string> = {
  round: '未关联巡视轮次', unit: '未关联单位', sector: '未分板块', category: '未分类', department: '未填写责任部门', origin: '未知来源单位',
};

export type Key = string | null;

/**
 * Every category mapped to the root of its tree. Walks down from the roots, so a cycle or a
 * dangling parent in bad data cannot loop (such categories are simply absent and count as
 * themselves).
 */
export const CATEGORY_ROOTS = `cat_root(id, root_id) AS (
  SELECT id, id FROM problem_categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, r.root_id FROM problem_categories c JOIN cat_root r ON c.parent_id = r.id
)`;

// ---------------------------------------------------------------------------------------------
// Labels and order of group keys

interface Label {
  label: string;
  /** Sort key; groups are shown in this order, "none" last. */
  order: string | number;
}

function labelsFor(ctx: ServiceContext, groupBy: SummaryGroupBy, keys: Key[]): Map<Key, Label> {
  const out = new Map<Key, Label>();
  const ids = keys.filter((k): k is string => k !== null);
  const json = JSON.stringify(ids);
  if (groupBy === 'round') {
    // Rounds in time order: feedback first, the other dates for rounds not yet fed back.
    const rows = ctx.ledger.prepare(
      `SELECT id, name, coalesce(feedback_on, entered_on, mobilised_on, substr(created_at, 1, 10)) AS ord
       FROM rounds WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(json) as { id: string; name: string; ord: string }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: `${r.ord} ${r.id}` });
  } else if (groupBy === 'unit') {
    const rows = ctx.ledger.prepare('SELECT id, name FROM units WHERE id IN (SELECT value FROM json_each(?))')
      .all(json) as { id: string; name: string }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: r.name });
  } else if (groupBy === 'origin') {
    // This office first, then its partners by name; an office this ledger does not know keeps its id.
    const own = ctx.ledger.state.officeId;
    const rows = ctx.ledger.prepare('SELECT id, name FROM offices WHERE id IN (SELECT value FROM json_each(?))')
      .all(json) as { id: string; name: string }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: `${r.id === own ? 0 : 1}${r.name}` });
  } else if (groupBy === 'category') {
    const rows = ctx.ledger.prepare(
      'SELECT id, name, sort_order FROM problem_categories WHERE id IN (SELECT value FROM json_each(?))',
    ).all(json) as { id: string; name: string; sort_order: number }[];
    for (const r of rows) out.set(r.id, { label: r.name, order: r.sort_order });
  } else if (groupBy === 'sector') {
    for (const k of ids) {
      const idx = (SECTORS.codes as readonly string[]).indexOf(k);
      out.set(k, { label: SECTORS.labels[k as keyof typeof SECTORS.labels] ?? k, order: idx < 0 ? 999 : idx });
    }
  } else {
    for (const k of ids) out.set(k, { label: k, order: k });
  }
  for (const k of keys) {
    if (!out.has(k)) out.set(k, { label: k === null ? NONE_LABELS[groupBy] : k, order: k ?? '' });
  }
  return out;
}

const collator = new Intl.Collator('zh-CN');

function orderRows<R extends { key: Key }>(rows: R[], labels: Map<Key, Label>): R[] {
  return rows.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
    const x = labels.get(a.key)!.order;
    const y = labels.get(b.key)!.order;
    if (typeof x === 'number' && typeof y === 'number') return x - y || collator.compare(a.key, b.key);
    return collator.compare(String(x), String(y)) || collator.compare(a.key, b.key);
  });
}

export function labelled<R extends { key: Key }>(ctx: ServiceContext, groupBy: SummaryGroupBy, rows: Omit<R, 'label'>[]): R[] {
  const labels = labelsFor(ctx, groupBy, rows.map((r) => r.key));
  const withLabels = rows.map((r) => ({ ...r, label: labels.get(r.key)!.label }) as unknown as R);
  return orderRows(withLabels, labels);
}

export const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
