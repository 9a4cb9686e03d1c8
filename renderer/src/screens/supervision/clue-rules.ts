/**
 * The clue disposition table comes from the shared pure layer (db/domain/clue-rules.ts): the
 * screens offer exactly the moves the engine allows. Only the tag colours are the renderer's own.
 */
import { CLUE_DISPOSITIONS, CLUE_OUTCOMES as OUTCOMES, RECEIVING_ORGANS as ORGANS, type ClueDisposition } from '../../../../db/domain/enums.js';

export { allowedOutcomes, CLUE_REACTIVATION_TARGETS, CLUE_TRANSITIONS, nextWays } from '../../../../db/domain/clue-rules.js';
export type { ClueDisposition, ClueOutcome } from '../../../../db/domain/enums.js';

export const CLUE_WAYS = CLUE_DISPOSITIONS.codes;
export const CLUE_OUTCOMES = OUTCOMES.codes;
export const RECEIVING_ORGANS = ORGANS.codes;

/** Colour of a disposition tag: red for a case, amber while under way, grey when shelved or closed. */
export const WAY_COLOURS: Record<ClueDisposition, string> = {
  received: 'blue',
  talk_inquiry: 'gold',
  preliminary_verification: 'orange',
  shelved: 'default',
  closed_out: 'green',
  case_filed: 'red',
};
