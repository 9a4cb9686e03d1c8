/**
 * The renderer may only `import type` from db/ (eslint layering), so the few rule tables it needs
 * to decide what to offer are repeated there (renderer/src/components/settings/vocab.ts and
 * components/supervision/clue-rules.ts); `satisfies` only proves each entry is a valid code. This
 * test proves each copy is the engine's table, whole: a change on one side alone fails here.
 */
import { describe, expect, it } from 'vitest';
import { RULE_FIELDS } from '../db/clocks/statutory.js';
import {
  ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS, CLUE_DISPOSITIONS, CLUE_OUTCOMES, ESCALATION_LEVELS, GRADES, RECEIVING_ORGANS,
  REPORT_KINDS, ROLES,
} from '../db/domain/enums.js';
import { CLUE_REACTIVATION_TARGETS, CLUE_TRANSITIONS } from '../db/services/clues.js';
import { REPORT_WRITER } from '../db/services/reports.js';

// Loaded at run time: the renderer is type-checked in its own project (DOM, no Node).
const load = (path: string) => import(/* @vite-ignore */ new URL(path, import.meta.url).href) as Promise<Record<string, unknown>>;

describe('rule tables the renderer repeats', () => {
  it('报告, 评估与问责 and 设置 offer exactly the engine\'s codes, writers and rule bounds', async () => {
    const ui = await load('../renderer/src/components/settings/vocab.ts');
    expect(ui.REPORT_KIND_CODES).toEqual(REPORT_KINDS.codes);
    expect(ui.GRADE_CODES).toEqual(GRADES.codes);
    expect(ui.LADDER).toEqual(ESCALATION_LEVELS.codes);
    expect(ui.REASON_CODES).toEqual(ACCOUNTABILITY_REASONS.codes);
    expect(ui.FORM_CODES).toEqual(ACCOUNTABILITY_FORMS.codes);
    expect(ui.ROLE_CODES).toEqual(ROLES.codes);
    expect(ui.REPORT_WRITER).toEqual(REPORT_WRITER);
    expect(ui.RULE_FIELDS).toEqual(Object.entries(RULE_FIELDS).map(([key, f]) => ({ key, min: f.min, max: f.max })));
  });

  it('问题线索 offer exactly the engine\'s dispositions, transitions, re-activation targets, outcomes and organs', async () => {
    const ui = await load('../renderer/src/components/supervision/clue-rules.ts');
    expect(ui.CLUE_WAYS).toEqual(CLUE_DISPOSITIONS.codes);
    expect(ui.CLUE_TRANSITIONS).toEqual(CLUE_TRANSITIONS);
    expect(ui.CLUE_REACTIVATION_TARGETS).toEqual(CLUE_REACTIVATION_TARGETS);
    expect(ui.CLUE_OUTCOMES).toEqual(CLUE_OUTCOMES.codes);
    expect(ui.RECEIVING_ORGANS).toEqual(RECEIVING_ORGANS.codes);
  });
});
