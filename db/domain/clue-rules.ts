/**
 * The clue disposition rules (问题线索处置), shared by the engine, which enforces them, and the
 * renderer, which offers only the moves they allow.
 */
import type { ClueDisposition, ClueOutcome } from './enums.js';
import { CLUE_OUTCOMES } from './enums.js';

/**
 * Disposition state machine over 四种处置方式 (谈话函询、初步核实、暂存待查、予以了结) and 立案审查调查.
 * 暂存待查 leaves only by re-activation when new facts come (reactivateClue); 予以了结 and 立案 are
 * terminal for dispositions (an outcome is then recorded with recordClueOutcome).
 */
export const CLUE_TRANSITIONS: Record<ClueDisposition, readonly ClueDisposition[]> = {
  received: ['talk_inquiry', 'preliminary_verification', 'shelved', 'closed_out', 'case_filed'],
  talk_inquiry: ['preliminary_verification', 'closed_out', 'case_filed', 'shelved'],
  preliminary_verification: ['case_filed', 'closed_out', 'shelved', 'talk_inquiry'],
  shelved: [],
  closed_out: [],
  case_filed: [],
};

/** Where a 暂存待查 clue may go when re-activated. */
export const CLUE_REACTIVATION_TARGETS: readonly ClueDisposition[] = ['talk_inquiry', 'preliminary_verification', 'case_filed'];

export function nextWays(d: ClueDisposition): readonly ClueDisposition[] {
  return CLUE_TRANSITIONS[d];
}

/** An outcome is recorded once the clue is 予以了结 (only 了结澄清) or 立案审查调查 (any). */
export function allowedOutcomes(d: ClueDisposition): readonly ClueOutcome[] {
  if (d === 'case_filed') return CLUE_OUTCOMES.codes;
  if (d === 'closed_out') return ['cleared'];
  return [];
}
