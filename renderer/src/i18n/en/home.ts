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
  redFlags: 'Signs of fake rectification',
  redFlagsNone: 'No signs of fake rectification found.',
  dueTitle: 'Tasks due soon or overdue',
  dueNone: 'No task is due soon or overdue.',
  measures: 'Measures', department: 'Department', deadline: 'Deadline', light: 'Status',
};
export default en;
