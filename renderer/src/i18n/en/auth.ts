import type zh from '../zh-CN/auth.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  welcome: 'Welcome to the Inspection Rectification Ledger',
  firstRunIntro: 'There is no ledger on this computer yet. Set up your office\'s ledger, or open the demo ledger first.',
  setupTitle: 'Set up this office\'s ledger',
  demoTitle: 'Open the demo ledger',
  demoHint: 'The demo ledger uses invented units and people. Demo password: {{password}}',
  officeName: 'Office name', officeKind: 'Office kind', level: 'Level',
  adminUsername: 'Administrator user name', adminDisplayName: 'Administrator name', adminPassword: 'Administrator password', adminPassword2: 'Repeat the password',
  passwordMismatch: 'The two passwords differ.',
  setupDone: 'The ledger is set up. Log in as the administrator.',
  loginTitle: 'Log in',
  username: 'User name', password: 'Password', login: 'Log in',
  loggedInAs: 'Logged in: {{name}} ({{role}})',
  officeKinds: {
    inspected_unit: 'Inspected unit', discipline: 'Discipline inspection', organisation: 'Organisation dept.', inspection_office: 'Inspection office', functional_dept: 'Functional dept.',
  },
  levels: { central: 'Central', province: 'Province', city: 'City', county: 'County' },
  required: 'Please fill in {{field}}.',
};
export default en;
