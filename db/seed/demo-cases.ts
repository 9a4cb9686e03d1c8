import { addDays } from '../domain/months.js';
import type { CLUE_OUTCOMES } from '../domain/enums.js';
import {
  createClue, disposeClue, reactivateClue, recordClueOutcome, recordInquiryReply,
} from '../services/clues.js';
import { createPetition, updatePetition } from '../services/petitions.js';
import { createSuggestion, recordSuggestionReply } from '../services/suggestions.js';
import {
  CLUE_POSTS, CLUE_SUMMARIES, FUNCTIONAL_DEPARTMENTS, PETITION_RESULTS, PETITION_SUMMARIES, SUGGESTION_CONTENTS,
  SUGGESTION_REPLIES,
} from './demo-wording.js';
import { dayBetween, type World } from './demo-world.js';
import { personName } from './vocabulary.js';

/**
 * What the inspection handed over besides the feedback: 问题线索 (disposed of in the four standard
 * ways or by case filing, one 暂存待查 clue re-activated), 移交建议 to functional departments, and
 * 信访事项. Clues are handled only by users who hold the clue permission.
 */

type Outcome = (typeof CLUE_OUTCOMES.codes)[number];

/** How a clue's disposition unfolds. The first six cover every way at any ledger size. */
type Path = 'reactivated' | 'inquiry' | 'case_judicial' | 'closed' | 'shelved' | 'verify_close' | 'case_party' | 'case_gov' | 'case_org' | 'received';
const FIRST_PATHS: readonly Path[] = ['reactivated', 'inquiry', 'case_judicial', 'closed', 'shelved', 'verify_close'];
const MORE_PATHS: readonly Path[] = ['inquiry', 'case_party', 'case_gov', 'closed', 'shelved', 'verify_close', 'case_org'];

const NOTES = {
  talk_inquiry: '经研究，采取谈话函询方式处置，向其发函要求作出书面说明。',
  preliminary_verification: '经研究，对反映的问题进行初步核实。',
  case_filed: '经初步核实，反映的主要问题属实，予以立案审查调查。',
  closed_out: '经核查，反映的问题不属实或情节轻微，予以了结澄清。',
  shelved: '反映的问题较为笼统，暂不具备核查条件，暂存待查。',
  afterReply: '函询回复说明清楚，予以了结。',
  reactivation: '收到新的信访举报，反映问题具体、可查性强，重新启用。',
} as const;

export function planCases(w: World, problems: number): void {
  planClues(w, Math.min(60, Math.max(6, Math.round(problems / 45))));
  planSuggestions(w, Math.min(30, Math.max(4, Math.round(problems / 80))));
  planPetitions(w, Math.min(12, Math.max(4, Math.round(problems / 150))));
}

function planClues(w: World, count: number): void {
  const { rng, round, users } = w;
  for (let k = 0; k < count; k++) {
    const path: Path = k < FIRST_PATHS.length ? FIRST_PATHS[k]! : k === 8 ? 'received' : rng.pick(MORE_PATHS);
    const received = dayBetween(rng, addDays(round.enteredOn, 14), addDays(round.feedbackOn, 7));
    const who = k % 3 === 2 ? users.fuze1 : users.shenhe1;
    w.on(received, () => {
      const unit = rng.pick(w.units);
      const clue = w.call(who, createClue, {
        roundId: round.id, unitId: unit.id, subjectName: personName(rng.next), subjectPost: `${unit.name}${rng.pick(CLUE_POSTS)}`,
        summary: rng.pick(CLUE_SUMMARIES), receivedOn: w.tl.day, receivingOrgan: rng.chance(0.8) ? 'local_discipline' : 'other',
      });
      if (path === 'received') return;
      const steps = stepsOf(path);
      const next = (i: number) => {
        w.on(addDays(w.tl.day, i === 0 ? rng.int(15, 40) : rng.int(20, 50)), () => {
          const way = steps[i]!;
          if (way === 'reply') {
            const letter = w.all<{ id: string }>("SELECT id FROM clue_dispositions WHERE clue_id = ? AND way = 'talk_inquiry' ORDER BY id DESC LIMIT 1", clue.id)[0]!;
            w.call(who, recordInquiryReply, { dispositionId: letter.id, repliedOn: w.tl.day });
          } else if (way === 'reactivate') {
            w.call(who, reactivateClue, { clueId: clue.id, way: 'preliminary_verification', decidedOn: w.tl.day, reason: NOTES.reactivation });
          } else if (way === 'outcome') {
            const outcome = outcomeOf(path);
            const money = outcome === 'cleared' || outcome === 'organisational' ? 0 : rng.int(5, 600) * 100_000;
            w.call(who, recordClueOutcome, { clueId: clue.id, outcome, concludedOn: w.tl.day, moneyRecoveredFen: money });
          } else {
            const letterSentOn = way === 'talk_inquiry' ? addDays(w.tl.day, rng.int(0, 3)) : null;
            const note = way === 'closed_out' && steps[i - 1] === 'reply' ? NOTES.afterReply : NOTES[way];
            w.call(who, disposeClue, { clueId: clue.id, way, decidedOn: w.tl.day, note, letterSentOn });
          }
          if (i + 1 < steps.length) next(i + 1);
        });
      };
      next(0);
    });
  }
}

type Step = 'talk_inquiry' | 'preliminary_verification' | 'case_filed' | 'closed_out' | 'shelved' | 'reply' | 'reactivate' | 'outcome';

function stepsOf(path: Path): Step[] {
  switch (path) {
    case 'reactivated': return ['shelved', 'reactivate', 'case_filed', 'outcome'];
    case 'inquiry': return ['talk_inquiry', 'reply', 'closed_out', 'outcome'];
    case 'case_judicial': case 'case_party': return ['preliminary_verification', 'case_filed', 'outcome'];
    case 'case_gov': case 'case_org': return ['case_filed', 'outcome'];
    case 'closed': return ['closed_out', 'outcome'];
    case 'shelved': return ['shelved'];
    case 'verify_close': return ['preliminary_verification', 'closed_out', 'outcome'];
    default: return [];
  }
}

function outcomeOf(path: Path): Outcome {
  switch (path) {
    case 'case_judicial': return 'judicial_transfer';
    case 'reactivated': case 'case_party': return 'party_discipline';
    case 'case_gov': return 'government_sanction';
    case 'case_org': return 'organisational';
    default: return 'cleared';
  }
}

/** 移交建议 to functional departments; most are answered, some adopted. */
function planSuggestions(w: World, count: number): void {
  const { rng, round, users } = w;
  for (let k = 0; k < count; k++) {
    w.on(addDays(round.feedbackOn, rng.int(10, 45)), () => {
      const s = w.call(users.shenhe2, createSuggestion, {
        roundId: round.id, department: FUNCTIONAL_DEPARTMENTS[k % FUNCTIONAL_DEPARTMENTS.length], content: rng.pick(SUGGESTION_CONTENTS),
        issuedOn: w.tl.day,
      });
      if (!rng.chance(0.65)) return;
      w.on(addDays(w.tl.day, rng.int(20, 70)), () => w.call(users.shenhe2, recordSuggestionReply, {
        id: s.id, reply: rng.pick(SUGGESTION_REPLIES), repliedOn: w.tl.day, adopted: rng.chance(0.4),
      }));
    });
  }
}

/** 信访事项 received while the teams were on site, handed over, and (mostly) concluded. */
function planPetitions(w: World, count: number): void {
  const { rng, round, users } = w;
  for (let k = 0; k < count; k++) {
    w.on(dayBetween(rng, round.enteredOn, addDays(round.feedbackOn, -5)), () => {
      const unit = rng.pick(w.units);
      const p = w.call(users.shenhe2, createPetition, { roundId: round.id, unitId: unit.id, receivedOn: w.tl.day, summary: rng.pick(PETITION_SUMMARIES) });
      if (!rng.chance(0.85)) return;
      w.on(addDays(w.tl.day, rng.int(3, 12)), () => {
        w.call(users.shenhe2, updatePetition, { id: p.id, handedTo: rng.chance(0.5) ? unit.name : '某省纪委监委信访室', handedOn: w.tl.day });
        if (!rng.chance(0.7)) return;
        w.on(addDays(w.tl.day, rng.int(20, 60)), () => w.call(users.shenhe2, updatePetition, { id: p.id, result: rng.pick(PETITION_RESULTS) }));
      });
    });
  }
}
