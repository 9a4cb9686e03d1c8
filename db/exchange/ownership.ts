/**
 * Who owns each field, who may create and delete records, and who may receive them: the authority
 * and data-minimisation table of the exchange (EXCHANGE.md invariant 4), as data.
 *
 * - A change to a field from an office whose kind owns it applies (by the deterministic rule of
 *   db/exchange/clocks.ts); a change from any other kind is kept as a proposal (提议修改) that an
 *   owner can accept, never applied silently.
 * - `create`: the kinds that may create records of the table. A creation carries a first value for
 *   every field, but for a field the creator does not own only the initial state counts (a close-out
 *   is created 待审核, a 延期申请 待审批); a record created by another kind is a proposal as a whole.
 * - `remove`: the kinds that may tombstone a record, or restore it (EXCHANGE.md 6).
 * - `derived` fields never travel: the receiver recomputes them from the records they roll up.
 * - `recipients`: the kinds a sender may send the table to; a `sensitive` table (问题线索) goes only
 *   when the sender includes clues and only to CLUE_HOLDERS.
 * Reports and evidence decide per row (report kind, the record the evidence cites): pass the row.
 * Without it the answer is what holds for every row (fail-closed), since this table guards authority.
 * docs/exchange-ownership.md is generated from this file (scripts/gen-ownership-doc.ts).
 */
import type * as schema from '../schema/index.js';
import { SYNC_KEYS, type SyncKey } from '../schema/common.js';
import { EVIDENCE_OWNERS, OFFICE_KINDS, REPORT_KINDS, type EvidenceOwner, type OfficeKind, type ReportKind } from '../domain/enums.js';

// ---------------------------------------------------------------------------------------------
// Types read off the schema, so a misspelt table or field fails to compile.

type Schema = typeof schema;
type TablesByName = {
  [K in keyof Schema as Schema[K] extends { _: { name: infer N extends string; columns: object } } ? N : never]: Schema[K];
};
type TableName = keyof TablesByName & string;
type ColumnOf<N extends TableName> = keyof TablesByName[N]['_']['columns'] & string;
/** Tables built with syncColumns() (db/schema/common.ts). */
export type SyncTableName = { [N in TableName]: SyncKey extends ColumnOf<N> ? N : never }[TableName];
/** Columns of a replicated table that are not sync bookkeeping. */
type FieldOf<N extends SyncTableName> = Exclude<ColumnOf<N>, SyncKey>;

type Kinds = readonly OfficeKind[];

/** Who may do what with a set of rows. */
export interface Policy {
  owners: Kinds;
  create: Kinds;
  remove: Kinds;
  recipients: Kinds;
  sensitive?: boolean;
}
interface Case extends Policy { why: string }
/** Rows whose policy depends on one of their columns; a case may follow the record the row cites. */
interface ByRow<F extends string> {
  column: F;
  labels: Readonly<Record<string, string>>;
  cases: Readonly<Record<string, Case | { follows: SyncTableName }>>;
}
interface Group<F extends string> { fields: readonly F[]; why: string }
interface Exchanged<F extends string> {
  exchanged: true;
  label: string;
  /** The fields the table's default owner (`owners`, or the row's case) owns, and why. */
  fields: readonly F[];
  why: string;
  /** Fields owned by other kinds than the default. */
  overrides?: readonly (Group<F> & { owners: Kinds })[];
  derived?: readonly Group<F>[];
}
/** One table's entry, over the names of its fields F. */
type SpecOver<F extends string> =
  | (Exchanged<F> & (Policy | { byRow: ByRow<F> }))
  | { exchanged: false; label: string; why: string };
type Spec<N extends SyncTableName> = SpecOver<FieldOf<N>>;

// ---------------------------------------------------------------------------------------------
// Kinds (DOMAIN.md "Who uses it")

const UNIT: Kinds = ['inspected_unit'];
const DISCIPLINE: Kinds = ['discipline'];
const INSPECTION: Kinds = ['inspection_office'];
/** Both carry 整改监督责任: the discipline organ, and the organisation department for the cadre part. */
const SUPERVISING: Kinds = ['discipline', 'organisation'];
const EVERYONE: Kinds = OFFICE_KINDS.codes;
/** Offices that follow a unit's rectification: everyone but the functional departments. */
const FOLLOWERS: Kinds = ['inspected_unit', 'discipline', 'organisation', 'inspection_office'];
/** The supervising side; also the only kinds that may hold 问题线索 (never a unit or a department). */
export const CLUE_HOLDERS: Kinds = ['discipline', 'organisation', 'inspection_office'];
const OVERSIGHT = CLUE_HOLDERS;

/** A report kind written, kept and deleted by `owners`, read by everyone following the unit. */
const follower = (owners: Kinds, why: string): Case => ({ owners, create: owners, remove: owners, recipients: FOLLOWERS, why });

/** 报告 by kind: the unit owns its own reports, the supervising offices theirs (db/domain/report-rules.ts). */
const REPORT_CASES: Record<ReportKind, Case> = {
  plan: follower(UNIT, 'The unit\'s own report.'),
  dlm: follower(UNIT, 'The unit\'s own report.'),
  progress: follower(UNIT, 'The unit\'s own report.'),
  disclosure: follower(UNIT, 'The unit\'s own report.'),
  follow_up: follower(UNIT, 'The unit\'s own report.'),
  review_opinion: follower(
    ['discipline', 'organisation', 'inspection_office'],
    'The discipline organ leads the review and 综合组织部门、巡视机构的审核意见 (seeds: the 2022 opinion): each writes one.',
  ),
  supervision_discipline: { ...follower(DISCIPLINE, '整改监督情况, sent through the 巡视办; not to the unit.'), recipients: OVERSIGHT },
  supervision_organisation: { ...follower(['organisation'], '整改监督情况 of the organisation department; not to the unit.'), recipients: OVERSIGHT },
};

/** 佐证材料 follow the record they cite: its owners attach them, its recipients receive them. */
const EVIDENCE_CASES: Record<EvidenceOwner, Case | { follows: SyncTableName }> = {
  task: { follows: 'tasks' },
  progress: { follows: 'progress_entries' },
  problem: { follows: 'problems' },
  report: { follows: 'reports' },
  activity: { follows: 'supervision_activities' },
  clue: {
    owners: CLUE_HOLDERS, create: CLUE_HOLDERS, remove: CLUE_HOLDERS, recipients: CLUE_HOLDERS, sensitive: true,
    why: 'As sensitive as the clue; the transfer file comes from the inspection, the disposition records from the receiving organ.',
  },
};

// ---------------------------------------------------------------------------------------------
// The table

const local = (label: string, why: string) => ({ exchanged: false as const, label, why });

export const OWNERSHIP: { readonly [N in SyncTableName]: Spec<N> } = {
  // Local: about this office, its users and its machine.
  offices: local('单位', 'A ledger names its own office at set-up and learns partners from their office cards (公钥卡), never from packages.'),
  users: local('用户', 'Accounts, password hashes and rights of this office; a change names its author by id.'),
  clue_grants: local('问题线索查看权限', 'The two-person clue right (need-to-know) concerns this office\'s own users.'),
  office_keys: local('交换密钥', 'Key pairs (private halves included) and partner trust come from cards and fingerprints.'),
  saved_filters: local('保存的筛选条件', 'One user\'s list filters: a convenience of this screen.'),
  round_archives: local('轮次归档', 'Archive files on this workstation and the purges made from them.'),
  calendar_days: local('节假日安排', 'Every ledger ships the official calendar (调休) and corrects its own copy; a unique day per row would collide between offices.'),

  // Rounds, teams, units and feedback: sent down by the inspection office.
  clock_rule_sets: {
    exchanged: true, label: '时限规则', fields: ['code', 'name', 'ruleVersion', 'basis', 'rules'],
    why: 'A round picks its versioned rule set (DOMAIN.md: data chosen per round), so it travels with the round.',
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: EVERYONE,
  },
  rounds: {
    exchanged: true, label: '巡视轮次',
    fields: ['name', 'level', 'form', 'kind', 'mobilisedOn', 'enteredOn', 'feedbackOn', 'ruleSetId'],
    why: 'The inspection office organises rounds (统筹协调); every office, departments included, files its work under them.',
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: EVERYONE,
  },
  teams: {
    exchanged: true, label: '巡视组', fields: ['roundId', 'number', 'name', 'leaderName'],
    why: 'Teams are the inspection office\'s.', owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: FOLLOWERS,
  },
  units: {
    exchanged: true, label: '被巡视单位', fields: ['name', 'sector', 'parentUnitId'],
    why: 'The inspection office keeps the list of units it inspects (and aggregates by sector).',
    overrides: [{
      fields: ['underOverhaul', 'overhaulNote'], owners: ['inspection_office', 'organisation'],
      why: '整顿 follows the inspection\'s findings; the organisation department leads the 整顿 of weak party organisations.',
    }],
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: EVERYONE,
  },
  inspections: {
    exchanged: true, label: '巡视对象', fields: ['roundId', 'teamId', 'unitId'],
    why: 'Which team inspected which unit in which round is the inspection office\'s.',
    derived: [{ fields: ['secondRoundFrom'], why: 'The earliest 差 evaluation of the unit (evaluations) that opened 二次整改.' }],
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: FOLLOWERS,
  },
  unit_leaders: {
    exchanged: true, label: '单位主要负责人', fields: ['unitId', 'name', 'post', 'fromDate', 'toDate'],
    why: 'The unit records its leader changes (整改责任交接 follows them); the inspection office may record the leader it met.',
    owners: UNIT, create: ['inspected_unit', 'inspection_office'], remove: UNIT, recipients: FOLLOWERS,
  },
  handovers: {
    exchanged: true, label: '整改责任交接',
    fields: ['unitId', 'fromLeaderId', 'toLeaderId', 'handoverDate', 'openTaskCount', 'notes'],
    why: 'The unit hands over its own rectification; openTaskCount is what was handed over that day, not a roll-up.',
    owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  feedbacks: {
    exchanged: true, label: '反馈意见', fields: ['inspectionId', 'kind', 'feedbackDate', 'docNumber', 'body'],
    why: 'The team\'s 反馈意见, sent down by the inspection office; its date starts every statutory clock.',
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: FOLLOWERS,
  },
  problem_categories: {
    exchanged: true, label: '问题类别', fields: ['name', 'parentId', 'sortOrder', 'active'],
    why: 'One tree for 汇总分析 by category across units; a unit may add a category its problems need, the inspection office curates.',
    owners: INSPECTION, create: ['inspection_office', 'inspected_unit'], remove: INSPECTION, recipients: FOLLOWERS,
  },

  // The unit's ledger: sent up to the supervising offices.
  problems: {
    exchanged: true, label: '问题',
    fields: [
      'roundId', 'unitId', 'inspectionId', 'feedbackId', 'seq', 'categoryId', 'description', 'isKey', 'leadLeader', 'source',
      'notForDisclosure', 'notForDisclosureReason', 'remark',
    ],
    why: '整改主体责任: the unit keeps its problem list (问题清单), its key problems and what it may not disclose.',
    overrides: [{
      fields: ['reboundOfId'], owners: ['inspected_unit', 'inspection_office'],
      why: 'A rebound (问题反弹) is linked by the unit entering the new list or found by the inspection office in a 回头看.',
    }],
    derived: [{ fields: ['status', 'deadline', 'taskCount', 'closedTaskCount'], why: 'Roll-ups of its tasks (refreshProblemRollup).' }],
    owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  tasks: {
    exchanged: true, label: '整改任务',
    fields: [
      'problemId', 'seq', 'measures', 'responsibleLeader', 'responsibleDepartment', 'responsiblePerson', 'term', 'deadline',
      'completedOn', 'reportedOnTime', 'notForDisclosure', 'notForDisclosureReason', 'remark', 'mergedIntoId',
    ],
    why: 'The unit owns measures, responsibility, deadlines and completion (任务清单、责任清单).',
    derived: [
      { fields: ['unitId', 'roundId'], why: 'Copied from the problem.' },
      { fields: ['currentDeadline'], why: 'The deadline, or the latest 已同意 延期申请 (whose decision is the discipline office\'s).' },
      {
        fields: ['status', 'submittedBy', 'submittedAt', 'closedAt', 'returnCount'],
        why: 'Follow the close-outs (销号 decisions are the discipline office\'s) and the unit\'s progress, so a decision never races an edit.',
      },
      { fields: ['secondRound'], why: 'A 差 evaluation of the task opened 二次整改.' },
      { fields: ['materialRevision'], why: 'Counts the material changes received, so two offices never race on a counter.' },
    ],
    owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  task_stages: {
    exchanged: true, label: '阶段目标', fields: ['taskId', 'seq', 'goal', 'dueDate', 'doneOn'],
    why: '分阶段目标 of a long-term task are part of the unit\'s measures.', owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  extension_requests: {
    exchanged: true, label: '延期申请', fields: ['taskId', 'previousDeadline', 'requestedDeadline', 'reason', 'requestedBy'],
    why: 'The unit asks, with a reason, and may withdraw its request.',
    overrides: [{
      fields: ['status', 'decidedBy', 'decidedAt', 'decisionComment'], owners: DISCIPLINE,
      why: 'The supervising office approves or refuses (延期审批).',
    }],
    owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  progress_entries: {
    exchanged: true, label: '整改进展', fields: ['taskId', 'entryDate', 'content'],
    why: 'The unit reports its own progress.', owners: UNIT, create: UNIT, remove: UNIT, recipients: FOLLOWERS,
  },
  evidence: {
    exchanged: true, label: '佐证材料',
    fields: ['ownerType', 'ownerId', 'sha256', 'fileName', 'mimeType', 'formedOn', 'description'],
    why: 'Evidence follows the record it cites; clue evidence is as sensitive as the clue.',
    derived: [{ fields: ['size'], why: 'The byte count of the file the receiver checked against its SHA-256 (EXCHANGE.md 9).' }],
    byRow: { column: 'ownerType', labels: EVIDENCE_OWNERS.labels, cases: EVIDENCE_CASES },
  },
  closeouts: {
    exchanged: true, label: '销号申请', fields: ['taskId', 'materialRevision', 'submittedBy', 'submittedAt'],
    why: 'The unit submits a finished task (申请销号) with a note.',
    overrides: [
      {
        fields: ['decision', 'reviewerId', 'decidedAt', 'comment', 'snapshot', 'snapshotHash'], owners: DISCIPLINE,
        why: '销号 or 退回 is the supervising office\'s review; acceptance freezes what was approved.',
      },
      {
        fields: ['supersededAt', 'supersededReason'], owners: ['inspected_unit', 'discipline'],
        why: 'An approval ends by the unit\'s later material change or by a 差 rating opening 二次整改.',
      },
    ],
    // Never deleted: a close-out is superseded, so what was approved stays on record.
    owners: UNIT, create: UNIT, remove: [], recipients: FOLLOWERS,
  },

  // 问题线索: only between the offices that may hold them, only when the sender includes them.
  clues: {
    exchanged: true, label: '问题线索', fields: ['roundId', 'unitId', 'subjectName', 'subjectPost', 'summary', 'receivingOrgan'],
    why: 'The inspection transfers the clue (移交) and says to which organ.',
    overrides: [{
      fields: ['receivedOn', 'outcome', 'moneyRecoveredFen', 'concludedOn'], owners: SUPERVISING,
      why: 'The receiving organ (纪委监委 or 组织部) records receipt and disposes (线索处置).',
    }],
    derived: [{ fields: ['disposition'], why: 'The way of the latest disposition step (clue_dispositions).' }],
    owners: INSPECTION, create: CLUE_HOLDERS, remove: CLUE_HOLDERS, recipients: CLUE_HOLDERS, sensitive: true,
  },
  clue_dispositions: {
    exchanged: true, label: '线索处置',
    fields: ['clueId', 'fromWay', 'way', 'decidedOn', 'note', 'letterSentOn', 'repliedOn', 'isReactivation'],
    why: '四种处置方式 are the receiving organ\'s; it reports them back to the inspection office (线索处置情况反馈).',
    owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: CLUE_HOLDERS, sensitive: true,
  },

  // The supervising side's own work.
  suggestions: {
    exchanged: true, label: '移交建议', fields: ['roundId', 'unitId', 'department', 'content', 'issuedOn'],
    why: 'The inspection office transfers suggestions to functional departments.',
    overrides: [{ fields: ['reply', 'repliedOn', 'status'], owners: ['functional_dept'], why: 'The department replies and says whether it adopted it.' }],
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: ['inspection_office', 'functional_dept'],
  },
  petitions: {
    exchanged: true, label: '信访件', fields: ['roundId', 'unitId', 'receivedOn', 'summary', 'handedTo', 'handedOn'],
    why: 'Received during the inspection and handed over; they may name petitioners and accuse cadres, so never to the unit '
      + '(what it must fix reaches it as a problem of source 信访).',
    overrides: [{ fields: ['result'], owners: OVERSIGHT, why: 'The organ it was handed to, or the inspection office tracking it, records the result.' }],
    derived: [{ fields: ['status'], why: 'Follows the hand-over and the result.' }],
    owners: INSPECTION, create: INSPECTION, remove: INSPECTION, recipients: OVERSIGHT,
  },
  supervision_activities: {
    exchanged: true, label: '监督举措', fields: ['roundId', 'unitId', 'kind', 'activityDate', 'title', 'participants', 'findings'],
    why: 'Each supervising office records its own 监督举措; the unit gets what it must act on as opinions, notices and ratings.',
    owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  activity_problems: {
    exchanged: true, label: '监督举措所涉问题', fields: ['activityId', 'problemId'],
    why: 'Part of the activity.', owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  supervision_programmes: {
    exchanged: true, label: '监督方案', fields: ['roundId', 'unitId', 'name', 'startOn', 'endOn'],
    why: 'The supervising office\'s staged programme.', owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  programme_stages: {
    exchanged: true, label: '监督方案阶段', fields: ['programmeId', 'seq', 'name', 'startOn', 'endOn'],
    why: 'Part of the programme.', owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  programme_measures: {
    exchanged: true, label: '监督方案措施', fields: ['programmeId', 'stageId', 'seq', 'content', 'owner', 'doneOn'],
    why: 'Part of the programme.', owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  reports: {
    exchanged: true, label: '报告', fields: ['inspectionId', 'kind', 'title', 'docNumber', 'reportDate', 'body'],
    why: 'Each report belongs to whoever writes its kind.',
    overrides: [{ fields: ['receivedOn'], owners: UNIT, why: 'The day the unit received the 审核意见 starts its own 整改情况公开 clock.' }],
    byRow: { column: 'kind', labels: REPORT_KINDS.labels, cases: REPORT_CASES },
  },
  evaluations: {
    exchanged: true, label: '整改评估',
    fields: ['inspectionId', 'targetType', 'targetId', 'grade', 'score', 'findings', 'evaluatedOn', 'isLookback'],
    why: '成效评估 is the discipline office\'s supervision; 回头看 ratings come from the inspection office.',
    derived: [{ fields: ['opensSecondRound'], why: 'A 差 grade (which then cannot change).' }],
    owners: ['discipline', 'inspection_office'], create: ['discipline', 'inspection_office'], remove: ['discipline', 'inspection_office'],
    recipients: FOLLOWERS,
  },
  escalation_notices: {
    exchanged: true, label: '督办文书', fields: ['unitId', 'targetType', 'targetId', 'level', 'issuedOn', 'docNumber', 'reason'],
    why: '通知书 → 提醒书 → 告诫书 are the supervising office\'s, addressed to the unit.',
    owners: DISCIPLINE, create: DISCIPLINE, remove: DISCIPLINE, recipients: FOLLOWERS,
  },
  accountability: {
    exchanged: true, label: '问责', fields: ['roundId', 'unitId', 'personName', 'post', 'reason', 'form', 'decidedOn', 'note'],
    why: '问责 is decided by the discipline organ or, for 组织处理, the organisation department; it names people, so not to the unit.',
    owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
  accountability_links: {
    exchanged: true, label: '问责所涉问题', fields: ['accountabilityId', 'problemId', 'taskId'],
    why: 'Part of the accountability record.', owners: SUPERVISING, create: SUPERVISING, remove: SUPERVISING, recipients: OVERSIGHT,
  },
};

/** Tables without sync columns, and why none of them travels as records. */
export const NOT_REPLICATED: { readonly [N in Exclude<TableName, SyncTableName>]: string } = {
  meta: 'This ledger\'s identity and settings.',
  audit_log: 'This ledger\'s own hash chain; applying a received change appends its own entry.',
  evidence_blobs: 'File bytes travel beside the evidence records, once per SHA-256 (EXCHANGE.md 9), not as field changes.',
  evidence_chunks: 'The pieces of a large file in evidence_blobs (db/core/blobs.ts): they travel as that file.',
  purged_records: 'What this ledger purged after archiving a round.',
  field_conflicts: 'This ledger\'s merge state: the heads of fields in conflict, rebuilt from the changes received; the heads themselves travel inside each record\'s change.',
  proposals: 'Changes received from offices that do not own the field, waiting for an owner here; accepting one is an owner write, which travels.',
  exchange_packages: 'This ledger\'s own log of packages sent and received, per partner.',
};

/** How each sync bookkeeping column travels: never as an owned field. */
export const SYNC_KEY_TRAVEL: { readonly [K in SyncKey]: string } = {
  id: 'identity: minted where the record was created, the same everywhere (EXCHANGE.md 1)',
  originOfficeId: 'identity: the creating office, sent with the creation',
  createdAt: 'identity: sent with the creation',
  createdBy: 'identity: sent with the creation',
  updatedAt: 'change metadata: each change carries its author and HLC stamp; the receiver sets these from them',
  updatedBy: 'change metadata',
  hlc: 'change metadata',
  version: 'local: this ledger\'s own change counter',
  deletedAt: 'tombstone: the three travel together as one delete or restore change, allowed by mayDelete',
  deletedBy: 'tombstone',
  deletedReason: 'tombstone',
  fieldClocks: 'change metadata: each change carries its fields\' clocks; the receiver merges them (db/exchange/field-clocks.ts)',
};

// ---------------------------------------------------------------------------------------------
// Questions

/** A row's values (TS keys), enough to pick its case: `kind` of a report, `ownerType` of evidence (with the cited record as `parent`). */
export interface RowHint {
  readonly [column: string]: unknown;
  readonly parent?: RowHint;
}

export type FieldOwner =
  | { type: 'owned'; owners: Kinds }
  | { type: 'derived' } // recomputed by the receiver, never sent
  | { type: 'sync' } // bookkeeping, see SYNC_KEY_TRAVEL
  | { type: 'local' } // the table never travels
  | { type: 'unknown' }; // no such table or column: a corrupt package or a bug

type AnySpec = SpecOver<string>;
type ExchangedSpec = Extract<AnySpec, { exchanged: true }>;
const SPECS: Readonly<Record<string, AnySpec>> = OWNERSHIP;
const specOf = (table: string): AnySpec | undefined => (Object.hasOwn(SPECS, table) ? SPECS[table] : undefined);
const exchangedSpec = (table: string): ExchangedSpec | undefined => {
  const s = specOf(table);
  return s?.exchanged ? s : undefined;
};

const inAll = (lists: Kinds[]): Kinds => OFFICE_KINDS.codes.filter((k) => lists.every((l) => l.includes(k)));
const NOBODY: Policy = { owners: [], create: [], remove: [], recipients: [] };

/** The policy of a table's rows, or of one row when the table decides per row. */
export function policyOf(table: string, row?: RowHint): Policy {
  const spec = exchangedSpec(table);
  if (!spec) return NOBODY;
  if (!('byRow' in spec)) return spec;
  const { column, cases } = spec.byRow;
  const value = row?.[column];
  // Own keys only: a row from a package could say 'constructor'.
  const one = typeof value === 'string' && Object.hasOwn(cases, value) ? cases[value] : undefined;
  const resolve = (c: Case | { follows: SyncTableName }) => ('follows' in c ? policyOf(c.follows, row?.parent) : c);
  if (one) return resolve(one);
  // No row, or an unknown case: what every case allows (fail-closed).
  const all = Object.values(cases).map(resolve);
  return {
    owners: inAll(all.map((p) => p.owners)), create: inAll(all.map((p) => p.create)), remove: inAll(all.map((p) => p.remove)),
    recipients: inAll(all.map((p) => p.recipients)), sensitive: all.some((p) => p.sensitive),
  };
}

/** The one column (TS key) a table's policy is decided by per row (byRow), or null: the policy is the table's. */
export function hintColumn(table: string): string | null {
  const spec = exchangedSpec(table);
  return spec && 'byRow' in spec ? spec.byRow.column : null;
}

/** Who owns a field (TS key, e.g. 'measures') of a table (SQL name, e.g. 'tasks'). */
export function ownerOf(table: string, field: string, row?: RowHint): FieldOwner {
  const spec = specOf(table);
  if (!spec) return { type: 'unknown' };
  if (!spec.exchanged) return { type: 'local' };
  if ((SYNC_KEYS as readonly string[]).includes(field)) return { type: 'sync' };
  if (spec.derived?.some((g) => g.fields.includes(field))) return { type: 'derived' };
  const group = spec.overrides?.find((g) => g.fields.includes(field));
  if (group) return { type: 'owned', owners: group.owners };
  if (spec.fields.includes(field)) return { type: 'owned', owners: policyOf(table, row).owners };
  return { type: 'unknown' };
}

/** Whether a change of this field from an office of this kind applies (otherwise: a proposal, or refused if not owned at all). */
export function mayWrite(kind: OfficeKind, table: string, field: string, row?: RowHint): boolean {
  const o = ownerOf(table, field, row);
  return o.type === 'owned' && o.owners.includes(kind);
}

/** Whether an office of this kind may create records of the table. */
export function mayCreate(kind: OfficeKind, table: string, row?: RowHint): boolean {
  return policyOf(table, row).create.includes(kind);
}

/** Whether an office of this kind may tombstone (or restore) records of the table. */
export function mayDelete(kind: OfficeKind, table: string, row?: RowHint): boolean {
  return policyOf(table, row).remove.includes(kind);
}

/**
 * Whether a package may carry the table (or the row) to an office of this kind. Clue data goes only
 * when the sender explicitly includes clues, and only to CLUE_HOLDERS, whatever else is declared.
 */
export function mayReceive(kind: OfficeKind, table: string, opts: { includeClues: boolean; row?: RowHint }): boolean {
  const p = policyOf(table, opts.row);
  if (!p.recipients.includes(kind)) return false;
  return !p.sensitive || (opts.includeClues && CLUE_HOLDERS.includes(kind));
}

/** The fields a change may carry: owned ones, not derived, not sync bookkeeping ([] for a local table). */
export function exchangedFields(table: string): readonly string[] {
  const spec = exchangedSpec(table);
  if (!spec) return [];
  return [...spec.fields, ...(spec.overrides ?? []).flatMap((g) => g.fields)];
}

/** Whether records of the table travel at all. */
export function isExchanged(table: string): boolean {
  return exchangedSpec(table) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// docs/exchange-ownership.md

const kindNames = (ks: Kinds) => (ks.length ? ks.map((k) => OFFICE_KINDS.labels[k]).join('、') : '—');
const codes = (fs: readonly string[]) => fs.map((f) => `\`${f}\``).join(' ');
const tableCell = (name: string, label: string) => `${label} \`${name}\``;
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

function fieldRows(name: string, s: ExchangedSpec): string[] {
  const t = tableCell(name, s.label);
  const byRow = 'byRow' in s ? `按行：见下（\`${s.byRow.column}\`）` : null;
  return [
    row([t, codes(s.fields), byRow ?? kindNames(policyOf(name).owners), s.why]),
    ...(s.overrides ?? []).map((g) => row([t, codes(g.fields), kindNames(g.owners), g.why])),
    ...(s.derived ?? []).map((g) => row([t, codes(g.fields), '推算（接收方重算，不传送）', g.why])),
  ];
}

/** Owners, create, remove, recipients, sensitive. */
function policyCells(p: Policy): string[] {
  return [kindNames(p.owners), kindNames(p.create), kindNames(p.remove), kindNames(p.recipients), p.sensitive ? '是' : ''];
}

function caseRows(name: string, s: ExchangedSpec): string[] {
  if (!('byRow' in s)) return [];
  const { column, labels, cases } = s.byRow;
  return Object.entries(cases).map(([value, c]) => {
    const when = `${tableCell(name, s.label)}：\`${column}\` = ${labels[value] ?? value}`;
    if (!('follows' in c)) return row([when, ...policyCells(c).slice(0, 4), c.why]);
    const parent = exchangedSpec(c.follows);
    const cells = parent && !('byRow' in parent) ? policyCells(parent).slice(0, 4) : ['按行', '按行', '按行', '按行'];
    return row([when, ...cells, `同所引记录：${tableCell(c.follows, parent?.label ?? c.follows)}`]);
  });
}

/** The ownership table as markdown (docs/exchange-ownership.md), zh-CN names of kinds and tables. */
export function ownershipMarkdown(): string {
  const entries = Object.entries(OWNERSHIP) as [SyncTableName, AnySpec][];
  const exchanged = entries.filter((e): e is [SyncTableName, ExchangedSpec] => e[1].exchanged);
  const policy = (s: ExchangedSpec) => ('byRow' in s ? ['按行', '按行', '按行', '按行'] : policyCells(s).slice(1));
  return [
    '<!-- Generated from db/exchange/ownership.ts by `npx tsx scripts/gen-ownership-doc.ts`: do not edit by hand. -->',
    '# Exchange: field owners and data minimisation',
    '',
    'EXCHANGE.md invariant 4 (Authority). A change from an office whose kind owns the field applies; a change from any other office',
    'is kept as a proposal (提议修改) an owner can accept. Derived fields never travel: the receiver recomputes them. A tombstone',
    '(`deletedAt`, `deletedBy`, `deletedReason`) travels as one change, allowed to the kinds that may delete. Clue data (敏感) travels',
    `only when the sender includes clues, and only to ${kindNames(CLUE_HOLDERS)}.`,
    '',
    row(['代码', '单位类型']),
    row(['---', '---']),
    ...OFFICE_KINDS.codes.map((k) => row([`\`${k}\``, OFFICE_KINDS.labels[k]])),
    '',
    '## Field owners',
    '',
    row(['表', '字段', '归属', '理由']),
    row(['---', '---', '---', '---']),
    ...exchanged.flatMap(([n, s]) => fieldRows(n, s)),
    '',
    '## Create, delete, receive',
    '',
    row(['表', '新建', '删除（墓碑）', '接收方', '敏感']),
    row(['---', '---', '---', '---', '---']),
    ...exchanged.map(([n, s]) => row([tableCell(n, s.label), ...policy(s)])),
    '',
    '## Rows that decide their own owners',
    '',
    row(['行', '归属', '新建', '删除（墓碑）', '接收方', '理由']),
    row(['---', '---', '---', '---', '---', '---']),
    ...exchanged.flatMap(([n, s]) => caseRows(n, s)),
    '',
    '## Tables that never travel',
    '',
    row(['表', '理由']),
    row(['---', '---']),
    ...entries.flatMap(([n, s]) => (s.exchanged ? [] : [row([tableCell(n, s.label), s.why])])),
    ...Object.entries(NOT_REPLICATED).map(([n, why]) => row([`\`${n}\``, why])),
    '',
    '## Sync bookkeeping columns',
    '',
    row(['列', '如何传送']),
    row(['---', '---']),
    ...Object.entries(SYNC_KEY_TRAVEL).map(([k, how]) => row([`\`${k}\``, how])),
    '',
  ].join('\n');
}
