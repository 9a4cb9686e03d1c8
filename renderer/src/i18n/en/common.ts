import type zh from '../zh-CN/common.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  appName: 'Inspection Rectification Ledger',
  marking: 'Internal — keep safe',
  nav: {
    home: 'Home', rounds: 'Rounds', problems: 'Problems', tasks: 'Tasks', duty: 'Responsibilities', clues: 'Clues',
    suggestions: 'Suggestions', supervision: 'Supervision', reports: 'Reports', ratings: 'Ratings & accountability', exchange: 'Exchange', settings: 'Settings',
  },
  top: {
    round: 'Round', allRounds: 'All rounds', search: 'Search problems and tasks (Ctrl+F)', user: 'User', logout: 'Log out',
    switchUser: 'Switch user', language: '中文',
  },
  roles: { entry: 'Clerk', reviewer: 'Reviewer', leader: 'Head', admin: 'Administrator', readonly: 'Read-only' },
  actions: {
    save: 'Save', cancel: 'Cancel', confirm: 'OK', create: 'New', edit: 'Edit', delete: 'Delete', search: 'Search', reset: 'Reset',
    export: 'Export', print: 'Print', refresh: 'Refresh', back: 'Back', close: 'Close', submit: 'Submit', more: 'More',
  },
  states: {
    loading: 'Loading…', empty: 'Nothing here yet', error: 'Something went wrong', retry: 'Retry', noRights: 'You do not have the right to use this.',
    unsaved: 'You have unsaved changes. Leave anyway?', saved: 'Saved', notYet: 'This arrives in a later version.',
  },
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
  units: { days: '{{n}} d', rows: '{{n}} rows' },
};
export default en;
