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
  closeRateAxis: 'Close-out rate (%)',
  flags: {
    closed_without_evidence: 'Closed out without evidence', evidence_reused: 'The same evidence used for unrelated tasks',
    late_but_on_time: 'Finished late but reported on time', evidence_after_deadline: 'Reported on time, evidence dated after the deadline',
    mass_closure: 'Closures bunched before a report deadline', rebound: 'Problem came back (found again by a later inspection)',
    repeated_returns: 'Close-out returned several times',
  },
  redFlags: 'Signs of fake rectification',
  redFlagsNone: 'No signs of fake rectification found.',
  dueTitle: 'Tasks due soon or overdue',
  dueNone: 'No task is due soon or overdue.',
  measures: 'Measures', department: 'Department', deadline: 'Deadline', light: 'Status',
};
export default en;
