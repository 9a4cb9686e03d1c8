import type { ReportKind } from './enums.js';
import type { Permission } from './permissions.js';

/**
 * Who writes which report (EXCHANGE.md 4, field authority). The inspected unit owns its own
 * reports: 整改方案, 专题民主生活会, 集中整改进展情况报告, 整改情况公开 and 后续整改情况报告 →
 * 'ledger.write'. The supervising offices own 审核意见 (纪检监察机关) and the two 整改监督情况报告
 * (纪检监察机关; 组织部门) → 'supervision.write'.
 */
export const REPORT_WRITER: Record<ReportKind, Permission> = {
  plan: 'ledger.write',
  dlm: 'ledger.write',
  progress: 'ledger.write',
  disclosure: 'ledger.write',
  follow_up: 'ledger.write',
  review_opinion: 'supervision.write',
  supervision_discipline: 'supervision.write',
  supervision_organisation: 'supervision.write',
};
