/** Statutory printed ledgers (English). */
import type { Catalogue } from '../types.js';
import type zh from '../zh-CN/ledgers.js';

export default {
  nav: 'Statutory ledgers',
  title: 'Statutory ledgers',
  intro: 'Print the rectification ledger, the supervision ledger, the unit summary sheet and the clue disposition ledger in the statutory layout: header row on every page, marking and "page N of M" in the margins, signature lines at the end. The system print dialog also offers Save as PDF.',
  form: {
    kind: 'Ledger', round: 'Round', allRounds: 'All rounds', unit: 'Unit', allUnits: 'All units',
    paper: 'Paper', marking: 'Marking', title: 'Title',
    preview: 'Preview', print: 'Print', printClues: 'Confirm and print',
  },
  kinds: {
    rectification: 'Rectification ledger', supervision: 'Supervision ledger', summary: 'Unit summary sheet', clues: 'Clue disposition ledger',
  },
  markings: { internal: 'Internal, keep safe', secret: 'Secret', confidential: 'Confidential' },
  clueMarking: 'Confidential, do not copy or pass on',
  titles: {
    rectification: '{{who}} rectification ledger', supervision: '{{who}} supervision ledger', summary: '{{who}} unit summary sheet', clues: '{{who}} clue disposition ledger',
  },
  meta: { round: 'Round: {{r}}', unit: 'Unit: {{u}}', allRounds: 'all rounds', allUnits: 'all units', date: 'Date: {{d}}', rows: '{{n}} rows' },
  cont: '(cont.)',
  contShort: 'cont.',
  total: 'Total',
  columns: {
    seq: 'No.', category: 'Category', description: 'Problem', measures: 'Measures', leader: 'Leader', department: 'Department',
    person: 'Person', deadline: 'Deadline', progress: 'Progress', completion: 'Completion', evidence: 'Evidence', closeout: 'Close-out', remark: 'Remarks',
    activityDate: 'Date', activityKind: 'Kind', activityTitle: 'Activity', unitName: 'Unit', participants: 'Participants',
    findings: 'Findings', linked: 'Problems',
    problems: 'Problems', tasks: 'Tasks', completed: 'Completed', closed: 'Closed out', closeRate: 'Close-out rate', overdue: 'Overdue', longTermOpen: 'Long-term open',
    subjectName: 'Subject', subjectPost: 'Post', summary: 'Summary', receivedOn: 'Received', receivingOrgan: 'Receiving organ',
    disposition: 'Disposition', steps: 'Steps', outcome: 'Outcome', money: 'Recovered (yuan)', concludedOn: 'Concluded',
  },
  preview: {
    label: 'Print preview', page: 'Page {{n}}', pages: '{{m}} pages ({{paper}} landscape), {{rows}} rows', laying: 'Laying out…',
    empty: 'Choose the ledger, round and unit, then Preview to see the laid-out pages, then Print.',
    nothing: 'Nothing to print in this scope.', stale: 'The choices changed: preview again.',
  },
  clueBanner: { title: 'Sensitive: authorised staff only', hint: 'The clue ledger prints only after a confirmation, and every printing is audited; keep copies as confidential, never copy or pass them on.' },
  clueConfirm: {
    title: 'Print the clue disposition ledger',
    body: 'Clues are sensitive and for authorised staff only. This printing is recorded in the audit trail in your name (time, scope, every clue), and the copy is marked "{{m}}". Print?',
    ok: 'Confirm and print', refused: 'You may not see clues, so you cannot print the clue disposition ledger.',
    ctrlP: 'The clue disposition ledger prints only through "Confirm and print".',
    audited: 'Recorded in the audit trail: clue disposition ledger printed, {{n}} clues.',
  },
  printed: 'The system print dialog is open (choose a printer or Save as PDF).',
} satisfies Catalogue<typeof zh>;
