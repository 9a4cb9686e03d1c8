/**
 * The clue disposition table, mirrored from db/services/clues.ts (CLUE_TRANSITIONS and
 * CLUE_REACTIVATION_TARGETS) only to decide which buttons and choices to offer: the engine
 * enforces the same table and refuses anything else with ILLEGAL_TRANSITION. The renderer may not
 * import engine code at run time, so the table is repeated here; `satisfies` keeps its keys and
 * values the engine's codes.
 */
import type { ClueDisposition, CLUE_OUTCOMES as ENGINE_OUTCOMES, RECEIVING_ORGANS as ENGINE_ORGANS } from '../../../../db/domain/enums.js';

export type { ClueDisposition };

export const CLUE_WAYS = ['received', 'talk_inquiry', 'preliminary_verification', 'shelved', 'closed_out', 'case_filed'] as const satisfies readonly ClueDisposition[];

export const CLUE_TRANSITIONS = {
  received: ['talk_inquiry', 'preliminary_verification', 'shelved', 'closed_out', 'case_filed'],
  talk_inquiry: ['preliminary_verification', 'closed_out', 'case_filed', 'shelved'],
  preliminary_verification: ['case_filed', 'closed_out', 'shelved', 'talk_inquiry'],
  shelved: [],
  closed_out: [],
  case_filed: [],
} as const satisfies Record<ClueDisposition, readonly ClueDisposition[]>;

/** 暂存待查 leaves only through 重新启用, towards one of these. */
export const CLUE_REACTIVATION_TARGETS = ['talk_inquiry', 'preliminary_verification', 'case_filed'] as const satisfies readonly ClueDisposition[];

export type ClueOutcome = (typeof ENGINE_OUTCOMES)['codes'][number];
export const CLUE_OUTCOMES = ['party_discipline', 'government_sanction', 'organisational', 'judicial_transfer', 'cleared'] as const satisfies readonly ClueOutcome[];

export const RECEIVING_ORGANS = ['ccdi', 'org_dept', 'local_discipline', 'other'] as const satisfies readonly (typeof ENGINE_ORGANS)['codes'][number][];

export function nextWays(d: ClueDisposition): readonly ClueDisposition[] {
  return CLUE_TRANSITIONS[d];
}

/** An outcome is recorded once the clue is 予以了结 (only 了结澄清) or 立案审查调查 (any). */
export function allowedOutcomes(d: ClueDisposition): readonly ClueOutcome[] {
  if (d === 'case_filed') return CLUE_OUTCOMES;
  if (d === 'closed_out') return ['cleared'];
  return [];
}

/** Colour of a disposition tag: red for a case, amber while under way, grey when shelved or closed. */
export const WAY_COLOURS: Record<ClueDisposition, string> = {
  received: 'blue',
  talk_inquiry: 'gold',
  preliminary_verification: 'orange',
  shelved: 'default',
  closed_out: 'green',
  case_filed: 'red',
};
