/**
 * Pieces shared by the rounds screens: vocabularies (the engine's codes from db/domain/; words come
 * from the catalogue),
 * the rows the engine returns, and the words of the clocks.
 */
import type { ResultOf } from '../../../../db/bridge/contract.js';
import * as V from '../../../../db/domain/enums.js';

export const LEVELS = V.LEVELS.codes;
export const FORMS = V.INSPECTION_FORMS.codes;
export const KINDS = V.ROUND_KINDS.codes;
export const SECTORS = V.SECTORS.codes;
export const FEEDBACK_KINDS = V.FEEDBACK_KINDS.codes;

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
