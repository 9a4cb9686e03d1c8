import type zh from '../zh-CN/exchange-vocab.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  tables: {
    clock_rule_sets: 'Deadline rules', rounds: 'Inspection rounds', teams: 'Inspection teams', units: 'Inspected units', inspections: 'Inspections',
    unit_leaders: 'Unit leaders', handovers: 'Handovers', feedbacks: 'Feedback', problem_categories: 'Problem categories',
    problems: 'Problems', tasks: 'Tasks', task_stages: 'Task stages', extension_requests: 'Extension requests', progress_entries: 'Progress',
    evidence: 'Evidence', closeouts: 'Close-outs', clues: 'Clues', clue_dispositions: 'Clue dispositions', suggestions: 'Suggestions',
    petitions: 'Petitions', supervision_activities: 'Supervision activities', activity_problems: 'Activity problems', supervision_programmes: 'Supervision programmes',
    programme_stages: 'Programme stages', programme_measures: 'Programme measures', reports: 'Reports', evaluations: 'Evaluations',
    escalation_notices: 'Escalation notices', accountability: 'Accountability', accountability_links: 'Accountability links',
  },
  fields: {
    deleted: 'Deletion',
    accountabilityId: 'Accountability record', active: 'Active', activityDate: 'Date', activityId: 'Supervision activity', basis: 'Basis', body: 'Text',
    categoryId: 'Category', clueId: 'Clue', code: 'Code', comment: 'Comment', completedOn: 'Completed on', concludedOn: 'Concluded on',
    content: 'Content', deadline: 'Deadline', decidedAt: 'Decided at', decidedBy: 'Decided by', decidedOn: 'Decided on', decision: 'Decision',
    decisionComment: 'Decision comment', department: 'Department', description: 'Description', docNumber: 'Document number', doneOn: 'Done on', dueDate: 'Due date',
    endOn: 'Ends on', enteredOn: 'Entered on', entryDate: 'Date', evaluatedOn: 'Evaluated on', feedbackDate: 'Feedback date',
    feedbackId: 'Feedback', feedbackOn: 'Feedback on', fileName: 'File name', findings: 'Findings', form: 'Form', formedOn: 'Made on',
    fromDate: 'From', fromLeaderId: 'Previous leader', fromWay: 'Previous way', goal: 'Goal', grade: 'Grade', handedOn: 'Handed on',
    handedTo: 'Handed to', handoverDate: 'Handover date', inspectionId: 'Inspection', isKey: 'Key problem', isLookback: 'Look-back',
    isReactivation: 'Reactivation', kind: 'Kind', leadLeader: 'Lead leader', leaderName: 'Team leader', letterSentOn: 'Letter sent on', level: 'Level',
    materialRevision: 'Material revision', measures: 'Measures', mergedIntoId: 'Merged into', mimeType: 'File type', mobilisedOn: 'Mobilised on',
    moneyRecoveredFen: 'Money recovered', name: 'Name', notForDisclosure: 'Not for disclosure', notForDisclosureReason: 'Reason for non-disclosure', note: 'Note',
    notes: 'Notes', number: 'Number', openTaskCount: 'Open tasks', outcome: 'Outcome', overhaulNote: 'Overhaul note', owner: 'Owner',
    ownerId: 'Owner record', ownerType: 'Belongs to', parentId: 'Parent category', parentUnitId: 'Parent unit', participants: 'Participants',
    personName: 'Name', post: 'Post', previousDeadline: 'Previous deadline', problemId: 'Problem', programmeId: 'Programme', reason: 'Reason',
    reboundOfId: 'Rebound of', receivedOn: 'Received on', receivingOrgan: 'Receiving organ', remark: 'Remark', repliedOn: 'Replied on', reply: 'Reply',
    reportDate: 'Report date', reportedOnTime: 'On time', requestedBy: 'Requested by', requestedDeadline: 'Requested deadline', responsibleDepartment: 'Responsible department',
    responsibleLeader: 'Responsible leader', responsiblePerson: 'Responsible person', result: 'Result', reviewerId: 'Reviewer', roundId: 'Round',
    ruleSetId: 'Rule set', ruleVersion: 'Rule version', rules: 'Rules', score: 'Score', sector: 'Sector', seq: 'Number', sha256: 'File checksum',
    snapshot: 'Snapshot', snapshotHash: 'Snapshot checksum', sortOrder: 'Order', source: 'Source', stageId: 'Stage', startOn: 'Starts on',
    status: 'Status', subjectName: 'Subject', subjectPost: 'Subject\'s post', submittedAt: 'Submitted at', submittedBy: 'Submitted by', summary: 'Summary',
    supersededAt: 'Superseded at', supersededReason: 'Superseded because', targetId: 'Target', targetType: 'Target type', taskId: 'Task', teamId: 'Team',
    term: 'Term', title: 'Title', toDate: 'To', toLeaderId: 'New leader', underOverhaul: 'Under overhaul', unitId: 'Unit',
    way: 'Way',
  },
};

export default en;
