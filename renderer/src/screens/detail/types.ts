/** Engine result shapes used by the detail views (types only: the renderer never imports db/ code). */
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { TASK_TERMS as TERMS } from '../../../../db/domain/enums.js';

export type TaskBundle = Awaited<ResultOf<'tasks:get'>>;
export type Task = TaskBundle['task'];
export type Stage = TaskBundle['stages'][number];
export type Progress = TaskBundle['progress'][number];
export type Evidence = TaskBundle['evidence'][number];
export type Extension = TaskBundle['extensions'][number];
export type Closeout = TaskBundle['closeouts'][number];
export type ProblemBundle = Awaited<ResultOf<'problems:get'>>;
export type ProblemTask = ProblemBundle['tasks'][number];
export type TaskClock = Awaited<ResultOf<'clocks:task'>>;
export type HistoryEntry = Awaited<ResultOf<'audit:history'>>[number];

export const TASK_TERMS = TERMS.codes;
export const PROBLEM_SOURCES = [
  'inspection_feedback', 'personnel_check', 'transferred_suggestion', 'petition', 'lookback', 'daily_supervision',
] as const;

/** Colour of a task's status tag. */
export const STATUS_COLOURS: Record<string, string> = {
  draft: 'default', in_progress: 'processing', pending_review: 'warning', closed: 'success',
};
