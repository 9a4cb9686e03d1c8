import type zh from '../zh-CN/common.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  appName: 'Inspection Rectification Ledger',
  marking: 'Internal — keep safe',
  nav: {
    home: 'Home', rounds: 'Rounds', problems: 'Problems', tasks: 'Tasks', duty: 'Responsibilities', clues: 'Clues',
    suggestions: 'Suggestions', supervision: 'Supervision', reports: 'Reports', ratings: 'Ratings', exchange: 'Exchange', excel: 'Excel', settings: 'Settings',
  },
  top: {
    round: 'Round', allRounds: 'All rounds', search: 'Search problems and tasks (Ctrl+F)', user: 'User', logout: 'Log out',
    switchUser: 'Switch user', ownPassword: 'Change my password', language: '中文', lock: 'Lock', lockHint: 'Lock the ledger (Ctrl+L)',
  },
  a11y: { nav: 'Main navigation', actions: 'Actions', expand: 'Expand' },
  roles: { entry: 'Clerk', reviewer: 'Reviewer', leader: 'Head', admin: 'Administrator', readonly: 'Read-only' },
  actions: {
    save: 'Save', cancel: 'Cancel', confirm: 'OK', create: 'New', edit: 'Edit', delete: 'Delete', search: 'Search', reset: 'Reset',
    export: 'Export', print: 'Print', refresh: 'Refresh', back: 'Back', close: 'Close', submit: 'Submit', more: 'More',
  },
  states: {
    loading: 'Loading…', empty: 'Nothing here yet', error: 'Something went wrong', retry: 'Retry', noRights: 'You do not have the right to use this.',
    unsaved: 'You have unsaved changes. Leave anyway?', saved: 'Saved', notYet: 'This arrives in a later version.',
  },
  forms: { reasonRequired: 'Please enter the {{label}}.' },
  errors: {
    VALIDATION: 'Some fields are not valid: see the ones marked in red.',
    NOT_FOUND: 'The record does not exist; it may have been deleted.',
    CONFLICT: 'The record is in a state that does not allow this.',
    ILLEGAL_TRANSITION: 'This step is not possible in the current state.',
    FORBIDDEN: 'You do not have the right to do this.',
    LOCKED: 'The record is locked (under review or closed out).',
    CORRUPT: 'The ledger failed an integrity check; nothing was done.',
    UNAVAILABLE: 'The ledger engine is not available.',
  },
  lights: { green: 'On track', yellow: 'Due soon', red: 'Overdue', done: 'Done', not_started: 'Not started' },
  table: { resize: 'Drag to resize the column; double-click to restore' },
  units: { days: '{{n}} d', rows: '{{n}} rows' },
  print: {
    dialogTitle: 'Print ledger', title: 'Title', titleRequired: 'Enter a title', go: 'Lay out and print', again: 'Print again',
    what: 'Printing: {{r}}, {{n}} rows, in the current order.', filters: 'Filters: {{f}}', layout: 'A4 landscape, header row on every page, security marking in the page header, page numbers in the footer, signature lines at the end.',
    tooMany: '{{n}} rows: more than one print job takes ({{max}}). Narrow the filters first (unit, status or department, for example).',
    progress: '{{n}} rows fetched', ready: 'Laid out ({{n}} rows); the system print dialog has opened. Print again or close.',
    round: 'Round: {{r}}', allRounds: 'All rounds', rows: '{{n}} rows', date: 'Printed on {{d}}', dateFormat: 'D MMMM YYYY',
    pageOf: 'Page {{n}} of {{m}}', filledBy: 'Filled in by:', reviewedBy: 'Reviewed by:', headOf: 'Head:',
    problemsTitle: '{{office}} inspection rectification ledger: problems', tasksTitle: '{{office}} inspection rectification ledger: tasks', dutyTitle: '{{office}} responsibilities ({{group}})',
  },
  savePdf: {
    button: 'Save as PDF', saved: 'Saved as PDF: {{path}}', cancelled: 'Saving cancelled.',
    useDialog: 'The print dialog is open: choose “Save as PDF” as the destination.',
  },
  listExport: {
    dialogTitle: 'Export to Excel', go: 'Create Excel file', what: 'Export: {{r}}, {{n}} rows, in the current order and columns.',
    tooMany: '{{n}} rows, above the limit of {{max}} per export. Narrow the filters first (unit, status or department).',
    done: 'Exported {{n}} rows.', download: 'Download', cancelled: 'Saving cancelled.', date: 'Exported on {{d}}',
  },
  figureExport: {
    button: 'Export', label: 'Export: {{name}}', png: 'Export image (PNG)', xlsx: 'Export table (Excel)',
    doneTitle: 'Exported', donePng: 'Exported the image "{{name}}".', doneXlsx: 'Exported the table "{{name}}", {{n}} rows.', download: 'Download',
    cancelled: 'Saving cancelled.', notDrawn: 'The chart is not drawn yet; try again in a moment.', round: 'Round: {{r}}', date: 'Exported on {{d}}',
    firstShown: 'The chart shows the first {{n}}; this table lists all {{m}}.', total: 'Total', count: 'Count', unitTimes: 'Unit ratings', personTimes: 'Persons',
    category: 'Problem category', closeRate: 'Close-out rate (%)', flag: 'Warning',
  },
  origin: {
    label: 'Origin office',
    any: 'Origin office (all)',
    own: '{{name}} (this office)',
    word: 'from {{name}}',
  },
  conflict: {
    tag: 'Conflict',
    tagTitle: 'An exchange conflict has not been resolved yet',
    title: '{{n}} change(s) to this record disagree with another office',
    text: 'Offices changed the following separately during data exchange: {{fields}}. The ledger shows the newer version for now; check it and choose the right version to clear the conflict flag.',
    field: '“{{field}}”',
    partField: '“{{field}}” of {{part}}',
    open: 'Resolve in Conflicts and proposals',
    noRight: 'Ask a colleague with the data exchange right to resolve it under Data exchange → Conflicts and proposals.',
    clue: 'Editing and saving the item resolves the conflict with the new content.',
    only: 'Conflicts',
    onlyYes: 'Only records with conflicts',
    onlyNo: 'Records without conflicts',
  },
  menu: {
    noExchange: '"{{c}}" imports and exports exchange packages between offices: an administrator must give you the data-exchange right.',
    import: 'Import', export: 'Export', backup: 'Backup', print: 'Print', lock: 'Lock',
  },
};
export default en;
