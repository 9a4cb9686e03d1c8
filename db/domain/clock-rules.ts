/**
 * Statutory clock lengths as data. A rule set is versioned and chosen per round, because the
 * rules changed over time and provinces differ (DOMAIN.md, "Statutory clocks").
 */
export interface ClockRules {
  /** 集中整改期: months after the feedback date. */
  concentratedMonths: number;
  /** 集中整改进展情况报告: months after the feedback date. */
  progressReportMonths: number;
  /** 整改情况公开: months after the review opinion (审核意见) is received. */
  disclosureMonths: number;
  /** 整改监督情况报告 (纪检监察机关 and 组织部门): months after the concentrated period ends. */
  supervisionReportMonths: number;
  /** 线索处置情况反馈: months after the receiving organ received the clue. */
  clueFeedbackMonths: number;
  /** 函询回复: working days after the letter is sent. */
  inquiryReplyWorkingDays: number;
  /** Amber light this many calendar days before a due date. */
  warnDays: number;
}

export interface RuleSetDefinition {
  code: string;
  name: string;
  ruleVersion: number;
  basis: string;
  rules: ClockRules;
}

/** 2022年《关于加强巡视整改和成果运用的意见》: 集中整改期3个月，进展情况报告反馈后3个月内. */
export const RULES_2022: RuleSetDefinition = {
  code: 'CPC-2022',
  name: '2022年巡视整改和成果运用意见',
  ruleVersion: 1,
  basis: '集中整改期、进展情况报告均为反馈后3个月；审核意见后1个月内公开；集中整改期满后3个月内报送整改监督情况报告',
  rules: {
    concentratedMonths: 3,
    progressReportMonths: 3,
    disclosureMonths: 1,
    supervisionReportMonths: 3,
    clueFeedbackMonths: 3,
    inquiryReplyWorkingDays: 15,
    warnDays: 7,
  },
};

/** 2015/2017年巡视工作条例: 整改情况报告在反馈后2个月内报送. */
export const RULES_2017: RuleSetDefinition = {
  code: 'CPC-2017',
  name: '2017年巡视工作条例（2个月报告）',
  ruleVersion: 1,
  basis: '被巡视党组织在收到巡视反馈意见后2个月内报送整改情况报告',
  rules: {
    concentratedMonths: 2,
    progressReportMonths: 2,
    disclosureMonths: 1,
    supervisionReportMonths: 3,
    clueFeedbackMonths: 3,
    inquiryReplyWorkingDays: 15,
    warnDays: 7,
  },
};

export const DEFAULT_RULE_SETS: readonly RuleSetDefinition[] = [RULES_2022, RULES_2017];

/** Sane bounds of each rule field: used to validate new rule-set versions and stored JSON. */
export const RULE_FIELDS: Record<keyof ClockRules, { label: string; min: number; max: number }> = {
  concentratedMonths: { label: '集中整改期（月）', min: 1, max: 24 },
  progressReportMonths: { label: '集中整改进展情况报告期限（月）', min: 1, max: 24 },
  disclosureMonths: { label: '整改情况公开期限（月）', min: 1, max: 12 },
  supervisionReportMonths: { label: '整改监督情况报告期限（月）', min: 1, max: 24 },
  clueFeedbackMonths: { label: '线索处置情况反馈期限（月）', min: 1, max: 24 },
  inquiryReplyWorkingDays: { label: '函询回复期限（工作日）', min: 1, max: 90 },
  warnDays: { label: '提前预警天数', min: 0, max: 90 },
};
export const RULE_KEYS = Object.keys(RULE_FIELDS) as (keyof ClockRules)[];

/** Amber warning when a rule set does not say (DOMAIN.md: task deadline "warn 7 days before"). */
export const DEFAULT_WARN_DAYS = 7;
