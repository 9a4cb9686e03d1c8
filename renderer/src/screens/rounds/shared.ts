/**
 * Pieces shared by the rounds screens: vocabularies (codes only; words come from the catalogue),
 * the rows the engine returns, and the words of the clocks.
 */
import type { ResultOf } from '../../../../db/bridge/contract.js';

export const LEVELS = ['central', 'province', 'city', 'county'] as const;
export const FORMS = ['xunshi', 'xuncha'] as const;
export const KINDS = ['regular', 'special', 'mobile', 'lookback'] as const;
export const SECTORS = ['central_soe', 'central_finance', 'central_organ', 'province', 'university', 'city_county', 'village', 'other'] as const;
export const FEEDBACK_KINDS = ['collective', 'one_to_one'] as const;

export type RoundRow = Awaited<ResultOf<'rounds:list'>>[number];
export type TeamRow = Awaited<ResultOf<'teams:list'>>[number];
export type InspectionRow = Awaited<ResultOf<'inspections:list'>>[number];
export type UnitClocks = Awaited<ResultOf<'clocks:round'>>['units'][number];
export type ClockRow = Awaited<ResultOf<'clocks:inspection'>>[number];

/** Dates are shown as stored: 2024-03-29; a missing one as a dash. */
export const day = (d: string | null | undefined) => d ?? '—';

/**
 * The key of a clock's word in the catalogue (the engine's word is zh-CN only): done clocks are
 * 按期/逾期完成, except the concentrated period, which simply ends (已期满).
 */
export function wordKey(c: Pick<ClockRow, 'kind' | 'light' | 'late'>): string {
  if (c.light !== 'done') return c.light;
  if (c.kind === 'concentrated') return 'period_over';
  return c.late ? 'done_late' : 'done_on_time';
}
