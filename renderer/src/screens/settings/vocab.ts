/**
 * Closed vocabularies the screens of 报告 / 评估与问责 / 设置 offer. The renderer may not import
 * runtime code from db/, so the code lists are repeated here and checked against the engine's
 * types (`satisfies`): a code the engine drops fails to compile. Labels live in the catalogue.
 */
import type {
  ESCALATION_LEVELS, ACCOUNTABILITY_FORMS, ACCOUNTABILITY_REASONS, GRADES, REPORT_KINDS, ROLES,
} from '../../../../db/domain/enums.js';
import type { ClockRules } from '../../../../db/clocks/rules.js';
import type { ClockKind } from '../../../../db/clocks/statutory.js';

type Codes<V extends { codes: readonly string[] }> = V['codes'][number];

export type ReportKind = Codes<typeof REPORT_KINDS>;
export const REPORT_KIND_CODES = [
  'plan', 'dlm', 'progress', 'review_opinion', 'disclosure', 'supervision_discipline', 'supervision_organisation', 'follow_up',
] as const satisfies readonly ReportKind[];

/** Who may write which report (mirrors db/services/reports.ts REPORT_WRITER; the engine decides). */
export const REPORT_WRITER: Record<ReportKind, 'ledger.write' | 'supervision.write'> = {
  plan: 'ledger.write',
  dlm: 'ledger.write',
  progress: 'ledger.write',
  disclosure: 'ledger.write',
  follow_up: 'ledger.write',
  review_opinion: 'supervision.write',
  supervision_discipline: 'supervision.write',
  supervision_organisation: 'supervision.write',
};

/** The statutory clock a report of each kind satisfies (a 审核意见 starts the 公开 clock instead). */
export const CLOCK_OF_REPORT: Partial<Record<ReportKind, ClockKind>> = {
  progress: 'progress_report',
  dlm: 'dlm',
  disclosure: 'disclosure',
  supervision_discipline: 'supervision_discipline',
  supervision_organisation: 'supervision_organisation',
};

export type Grade = Codes<typeof GRADES>;
export const GRADE_CODES = ['good', 'fairly_good', 'average', 'poor'] as const satisfies readonly Grade[];

export type EscalationLevel = Codes<typeof ESCALATION_LEVELS>;
export const LADDER = ['notice', 'reminder', 'warning', 'accountability'] as const satisfies readonly EscalationLevel[];

export type AccountabilityReason = Codes<typeof ACCOUNTABILITY_REASONS>;
export const REASON_CODES = ['perfunctory', 'fake', 'ineffective', 'other'] as const satisfies readonly AccountabilityReason[];

export type AccountabilityForm = Codes<typeof ACCOUNTABILITY_FORMS>;
export const FORM_CODES = [
  'talk_reminder', 'admonishment', 'circular', 'organisational', 'party_discipline', 'government_sanction',
] as const satisfies readonly AccountabilityForm[];

export type Role = Codes<typeof ROLES>;
export const ROLE_CODES = ['entry', 'reviewer', 'leader', 'admin', 'readonly'] as const satisfies readonly Role[];

/** Every field of a clock rule set, with the bounds the engine checks (db/clocks/statutory.ts RULE_FIELDS). */
export const RULE_FIELDS: { key: keyof ClockRules; min: number; max: number }[] = [
  { key: 'concentratedMonths', min: 1, max: 24 },
  { key: 'progressReportMonths', min: 1, max: 24 },
  { key: 'disclosureMonths', min: 1, max: 12 },
  { key: 'supervisionReportMonths', min: 1, max: 24 },
  { key: 'clueFeedbackMonths', min: 1, max: 24 },
  { key: 'inquiryReplyWorkingDays', min: 1, max: 90 },
  { key: 'warnDays', min: 0, max: 90 },
];
