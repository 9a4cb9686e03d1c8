/**
 * Closed vocabularies of the ledger. Codes are stored; the Chinese label is what users see and
 * print (DOMAIN.md). The renderer's message catalogue may override labels for other languages.
 */
function vocab<const T extends Record<string, string>>(labels: T) {
  const codes = Object.keys(labels) as (keyof T & string)[];
  return { labels, codes: codes as [keyof T & string, ...(keyof T & string)[]] };
}

export const OFFICE_KINDS = vocab({
  inspected_unit: '被巡视单位巡视整改工作领导小组办公室',
  discipline: '纪检监察机关（机构）',
  organisation: '组织部门',
  inspection_office: '巡视办',
  functional_dept: '有关职能部门',
});
export type OfficeKind = (typeof OFFICE_KINDS.codes)[number];

export const LEVELS = vocab({ central: '中央', province: '省', city: '市', county: '县' });
export type Level = (typeof LEVELS.codes)[number];

/** 巡视 at central/provincial level, 巡察 at city/county level. */
export const INSPECTION_FORMS = vocab({ xunshi: '巡视', xuncha: '巡察' });

export const ROUND_KINDS = vocab({
  regular: '常规巡视',
  special: '专项巡视',
  mobile: '机动巡视',
  lookback: '巡视"回头看"',
});

export const SECTORS = vocab({
  central_soe: '中管企业',
  central_finance: '中管金融企业',
  central_organ: '中央和国家机关',
  province: '省区市',
  university: '中管高校',
  city_county: '市县',
  village: '村/社区',
  other: '其他',
});

export const ROLES = vocab({
  entry: '录入员',
  reviewer: '审核员',
  leader: '负责人',
  admin: '管理员',
  readonly: '只读',
});
export type Role = (typeof ROLES.codes)[number];

export const FEEDBACK_KINDS = vocab({ collective: '集中反馈', one_to_one: '一对一反馈' });

export const PROBLEM_SOURCES = vocab({
  inspection_feedback: '巡视反馈',
  personnel_check: '选人用人专项检查',
  transferred_suggestion: '移交建议',
  petition: '信访',
  lookback: '回头看',
  daily_supervision: '日常监督',
});

export const TASK_TERMS = vocab({
  immediate: '立行立改',
  concentrated: '集中整改期内',
  long_term: '长期坚持',
});
export type TaskTerm = (typeof TASK_TERMS.codes)[number];

/** A problem's status, derived from its tasks (the problems table caches it for the lists). */
export const PROBLEM_STATUSES = vocab({ open: '整改中', pending_review: '待审核', closed: '已销号' });
export type ProblemStatus = (typeof PROBLEM_STATUSES.codes)[number];

export const TASK_STATUSES = vocab({
  draft: '草稿',
  in_progress: '推进中',
  pending_review: '待审核',
  closed: '已销号',
});
export type TaskStatus = (typeof TASK_STATUSES.codes)[number];

export const EXTENSION_STATUSES = vocab({ pending: '待审批', approved: '已同意', refused: '未同意' });

export const CLOSEOUT_DECISIONS = vocab({ pending: '待审核', accepted: '同意销号', returned: '退回' });

/** 四种处置方式 plus 立案审查调查; `received` is the state before any disposition. */
export const CLUE_DISPOSITIONS = vocab({
  received: '待处置',
  talk_inquiry: '谈话函询',
  preliminary_verification: '初步核实',
  shelved: '暂存待查',
  closed_out: '予以了结',
  case_filed: '立案审查调查',
});
export type ClueDisposition = (typeof CLUE_DISPOSITIONS.codes)[number];

export const CLUE_OUTCOMES = vocab({
  party_discipline: '党纪处分',
  government_sanction: '政务处分',
  organisational: '组织处理',
  judicial_transfer: '移送司法机关',
  cleared: '了结澄清',
});
export type ClueOutcome = (typeof CLUE_OUTCOMES.codes)[number];

export const RECEIVING_ORGANS = vocab({
  ccdi: '中央纪委国家监委机关',
  org_dept: '中央组织部',
  local_discipline: '地方纪委监委',
  other: '其他有关单位',
});

export const SUGGESTION_STATUSES = vocab({ pending: '待回复', replied: '已回复', adopted: '已采纳办结' });

export const PETITION_STATUSES = vocab({ received: '已受理', handed_over: '已移交', concluded: '已办结' });

export const ACTIVITY_KINDS = vocab({
  feedback_meeting: '参加反馈会议',
  plan_guidance: '指导制定整改方案',
  plan_review: '审核整改方案',
  dlm_attendance: '列席专题民主生活会',
  progress_meeting: '推进会',
  field_research: '调研督导',
  site_inspection: '现场检查',
  talk_inquiry: '约谈函询',
  supervision_advice: '纪检监察建议',
  consultation: '整改会商',
  effect_evaluation: '成效评估',
});

export const REPORT_KINDS = vocab({
  plan: '整改方案',
  dlm: '专题民主生活会',
  progress: '集中整改进展情况报告',
  review_opinion: '审核意见',
  disclosure: '整改情况公开',
  supervision_discipline: '纪检监察机关整改监督情况报告',
  supervision_organisation: '组织部门整改监督情况报告',
  follow_up: '后续整改情况报告',
});
export type ReportKind = (typeof REPORT_KINDS.codes)[number];

export const GRADES = vocab({ good: '好', fairly_good: '较好', average: '一般', poor: '差' });
export type Grade = (typeof GRADES.codes)[number];

/** Escalation ladder for laggards, in order: 通知书 → 提醒书 → 告诫书 → 问责. */
export const ESCALATION_LEVELS = vocab({
  notice: '通知书',
  reminder: '提醒书',
  warning: '告诫书',
  accountability: '问责',
});
export type EscalationLevel = (typeof ESCALATION_LEVELS.codes)[number];

export const ACCOUNTABILITY_REASONS = vocab({
  perfunctory: '敷衍整改',
  fake: '虚假整改',
  ineffective: '整改不力',
  other: '其他',
});
export type AccountabilityReason = (typeof ACCOUNTABILITY_REASONS.codes)[number];

export const ACCOUNTABILITY_FORMS = vocab({
  talk_reminder: '约谈提醒',
  admonishment: '诫勉',
  circular: '通报',
  organisational: '组织处理',
  party_discipline: '党纪处分',
  government_sanction: '政务处分',
});
export type AccountabilityForm = (typeof ACCOUNTABILITY_FORMS.codes)[number];

export const EVIDENCE_OWNERS = vocab({
  task: '整改任务',
  progress: '整改进展',
  problem: '问题',
  report: '报告',
  activity: '监督举措',
  clue: '问题线索',
});
export type EvidenceOwner = (typeof EVIDENCE_OWNERS.codes)[number];
