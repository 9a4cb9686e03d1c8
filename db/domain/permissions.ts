/**
 * Who may do what: the rights of each role. Pure, so the renderer decides what to show from the
 * same table the engine enforces (db/core/permissions.ts `requirePermission`).
 */
import type { Role } from './enums.js';

export type Permission =
  | 'ledger.read' // see the ledger (everything except clues)
  | 'ledger.write' // record problems, tasks, progress, evidence; submit close-outs; request extensions
  | 'task.review' // accept or return close-outs (审核)
  | 'extension.decide' // approve or refuse deadline extensions
  | 'supervision.write' // supervision activities, programmes, reports, suggestions, petitions
  | 'rating.write' // evaluations, escalation notices, accountability
  | 'clue.read' // 问题线索: also needs the user's separate clue permission
  | 'clue.write'
  | 'settings.write' // categories, clock rule sets, holiday calendar, office
  | 'users.manage'
  | 'audit.read'
  | 'rights.grant' // propose the clue right for a user (管理员; the first of two people)
  | 'rights.confirm' // confirm or reject a proposed clue right (负责人; the second person)
  | 'rights.revoke' // withdraw someone's clue right (one person suffices)
  | 'exchange.run' // 数据交换: export and import packages and receipts (also needs the user's own exchange right)
  | 'exchange.partners'; // add partner offices, confirm their fingerprints, replace this office's keys (also needs it)

/**
 * Role → rights. Separation of duties: the 管理员 manages the ledger's settings and accounts but
 * does not review; the 审核员 and 负责人 review; the 录入员 records; 只读 only reads.
 * Clue rights additionally require the user's own `canViewClues` (need-to-know), which takes two
 * people to give: a 管理员 proposes it, a 负责人 other than the proposer and the grantee confirms
 * it (db/services/rights.ts). Nobody changes their own role, active flag or clue right.
 * 数据交换 (exchange packages between offices) needs the user's own `canExchange` too, given by a
 * 管理员 (the founding administrator has it from set-up); partners and keys also need the role.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  entry: ['ledger.read', 'ledger.write', 'clue.read', 'clue.write', 'exchange.run'],
  reviewer: ['ledger.read', 'ledger.write', 'task.review', 'extension.decide', 'supervision.write', 'rating.write', 'clue.read', 'clue.write', 'audit.read', 'exchange.run'],
  leader: [
    'ledger.read', 'ledger.write', 'task.review', 'extension.decide', 'supervision.write', 'rating.write', 'clue.read', 'clue.write', 'audit.read',
    'rights.confirm', 'rights.revoke', 'exchange.run', 'exchange.partners',
  ],
  admin: [
    'ledger.read', 'ledger.write', 'supervision.write', 'settings.write', 'users.manage', 'audit.read', 'clue.read', 'rights.grant', 'rights.revoke',
    'exchange.run', 'exchange.partners',
  ],
  readonly: ['ledger.read', 'clue.read'],
};

export const PERMISSION_LABELS: Record<Permission, string> = {
  'ledger.read': '查看台账',
  'ledger.write': '录入台账',
  'task.review': '审核销号',
  'extension.decide': '审批延期',
  'supervision.write': '记录监督工作',
  'rating.write': '评估与问责',
  'clue.read': '查看问题线索',
  'clue.write': '处置问题线索',
  'settings.write': '修改设置',
  'users.manage': '管理用户',
  'audit.read': '查看审计记录',
  'rights.grant': '提请授予线索查看权限',
  'rights.confirm': '确认线索查看权限',
  'rights.revoke': '撤销线索查看权限',
  'exchange.run': '导出导入交换包',
  'exchange.partners': '管理交换单位与密钥',
};

/**
 * The life of one proposal of the clue right (db/schema/org.ts clueGrants): proposed by a 管理员,
 * then confirmed or rejected by a 负责人, or withdrawn by its proposer; a confirmed right ends
 * when it is revoked.
 */
export const CLUE_GRANT_STATUSES = {
  codes: ['pending', 'confirmed', 'rejected', 'withdrawn', 'revoked'] as const,
  labels: { pending: '待确认', confirmed: '已生效', rejected: '未获确认', withdrawn: '已撤回', revoked: '已撤销' },
} as const;
export type ClueGrantStatus = (typeof CLUE_GRANT_STATUSES.codes)[number];

/** What the rights depend on: the user's role and their own need-to-know for clues. */
export interface RightsHolder {
  role: Role;
  canViewClues: boolean;
  /** 数据交换 right (users.canExchange), given by a 管理员; absent means not given. */
  canExchange?: boolean | undefined;
}

export function can(user: RightsHolder | null, p: Permission): boolean {
  if (!user) return false;
  if ((p === 'clue.read' || p === 'clue.write') && !user.canViewClues) return false;
  if ((p === 'exchange.run' || p === 'exchange.partners') && !user.canExchange) return false;
  return ROLE_PERMISSIONS[user.role].includes(p);
}

export function permissionsOf(user: RightsHolder): Permission[] {
  return (Object.keys(PERMISSION_LABELS) as Permission[]).filter((p) => can(user, p));
}
