/**
 * The code lists the screens of 报告 / 评估与问责 / 设置 offer, read from the shared pure layer
 * (db/domain/): the same tables the engine checks, not copies. Labels live in the catalogue.
 */
import {
  ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS, ESCALATION_LEVELS, GRADES, REPORT_KINDS, ROLES,
} from '../../../../db/domain/enums.js';
import { RULE_FIELDS as ENGINE_RULE_FIELDS, RULE_KEYS, type ClockRules } from '../../../../db/domain/clock-rules.js';
import type { ClockKind } from '../../../../db/clocks/statutory.js';

export { REPORT_WRITER } from '../../../../db/domain/report-rules.js';
export type { AccountabilityForm, AccountabilityReason, EscalationLevel, Grade, ReportKind, Role } from '../../../../db/domain/enums.js';

export const REPORT_KIND_CODES = REPORT_KINDS.codes;
export const GRADE_CODES = GRADES.codes;
export const LADDER = ESCALATION_LEVELS.codes;
export const REASON_CODES = ACCOUNTABILITY_REASONS.codes;
export const FORM_CODES = ACCOUNTABILITY_FORMS.codes;
export const ROLE_CODES = ROLES.codes;

/** The statutory clock a report of each kind satisfies (a 审核意见 starts the 公开 clock instead). */
export const CLOCK_OF_REPORT: Partial<Record<(typeof REPORT_KINDS.codes)[number], ClockKind>> = {
  progress: 'progress_report',
  dlm: 'dlm',
  disclosure: 'disclosure',
  supervision_discipline: 'supervision_discipline',
  supervision_organisation: 'supervision_organisation',
};

/** Every field of a clock rule set, with the bounds the engine checks. */
export const RULE_FIELDS: { key: keyof ClockRules; min: number; max: number }[] = RULE_KEYS.map((key) => ({
  key, min: ENGINE_RULE_FIELDS[key].min, max: ENGINE_RULE_FIELDS[key].max,
}));
