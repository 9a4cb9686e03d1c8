import type { LightState } from './lights.js';

/**
 * The vocabulary of the statutory clocks (DOMAIN.md "Statutory clocks"): their kinds, zh-CN names
 * and the shape of one clock as the UI shows it. Pure: no SQL, no Node.
 */

export const CLOCK_KINDS = [
  'concentrated', 'progress_report', 'dlm', 'disclosure', 'supervision_discipline', 'supervision_organisation',
  'task', 'clue_feedback', 'inquiry_reply',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** The clocks of a round's inspected unit (the rest belong to a task or a clue). */
export const ROUND_CLOCK_KINDS = CLOCK_KINDS.slice(0, 6) as readonly ClockKind[];

export const CLOCK_LABELS: Record<ClockKind, string> = {
  concentrated: '集中整改期',
  progress_report: '集中整改进展情况报告',
  dlm: '专题民主生活会',
  disclosure: '整改情况公开',
  supervision_discipline: '纪检监察机关整改监督情况报告',
  supervision_organisation: '组织部门整改监督情况报告',
  task: '整改时限',
  clue_feedback: '线索处置情况反馈',
  inquiry_reply: '函询回复',
};

export interface ClockView extends LightState {
  kind: ClockKind;
  /** zh-CN name of the clock. */
  label: string;
  /** The rule in words, e.g. “反馈后3个月内”. */
  rule: string;
  /** The day the start event happened (null: not yet). */
  startsOn: string | null;
  /** The record the clock belongs to (task, clue, disposition) when not the inspection itself. */
  refId?: string;
  /** A task's first deadline when an approved extension moved it (both are shown). */
  originalDueOn?: string;
}
