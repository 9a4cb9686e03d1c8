import type zh from '../zh-CN/home.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  title: 'Home',
  noRound: 'No inspection round yet. Create one under “Rounds” and add the inspected units.',
  figures: { problems: 'Problems', tasks: 'Tasks', closed: 'Closed out', closeRate: 'Close-out rate', overdue: 'Overdue tasks', longTermOpen: 'Long-term open' },
  clocksTitle: 'Statutory clocks by unit',
  unit: 'Unit',
  tasksByLight: 'Tasks',
  byUnit: 'Close-out rate by unit',
  byCategory: 'Close-out rate by category',
  byOrigin: 'Close-out rate by origin office',
  origin: 'Origin office',
  allOrigins: 'All origin offices',
  closeRateAxis: 'Close-out rate (%)',
  flags: {
    closed_without_evidence: 'Closed out without evidence', evidence_reused: 'The same evidence used for unrelated tasks',
    late_but_on_time: 'Finished late but reported on time', evidence_after_deadline: 'Reported on time, evidence dated after the deadline',
    mass_closure: 'Closures bunched before a report deadline', rebound: 'Problem came back (found again by a later inspection)',
    repeated_returns: 'Close-out returned several times',
  },
  todo: {
    title: 'To do: overdue and due-soon tasks', review: '{{n}} close-outs to review', none: 'No task overdue or due within {{n}} days.', more: 'See every overdue task', titleCount: 'To do: overdue and due-soon tasks ({{n}})',
  },
  recent: {
    title: 'Recent activity', none: 'The ledger has not changed yet.', system: 'System',
    actions: {
      create: 'New ', update: 'Edited ', delete: 'Deleted ', restore: 'Restored ', start: 'Started ', submit: 'Close-out submitted for ', accept: 'Close-out accepted for ', return: 'Close-out returned for ',
      extend: 'Extended ', close: 'Closed ', reopen: 'Reopened ', second_round: 'Second rectification: ', supersede: 'Withdrawn ', other: 'Changed ',
    },
    entities: {
      problems: 'problem', tasks: 'task', progress_entries: 'progress entry', evidence: 'evidence', closeouts: 'close-out', extension_requests: 'extension request',
      feedbacks: 'feedback', reports: 'report', rounds: 'round', units: 'unit', inspections: 'unit', evaluations: 'evaluation',
      accountability: 'accountability', suggestions: 'suggestion', supervision_activities: 'supervision activity', petitions: 'petition',
    },
  },
  redFlags: 'Signs of fake rectification',
  redFlagsNone: 'No signs of fake rectification found.',
  dueTitle: 'Tasks due soon or overdue',
  dueNone: 'No task is due soon or overdue.',
  measures: 'Measures', department: 'Department', deadline: 'Deadline', light: 'Status',
};
export default en;
