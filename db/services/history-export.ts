/**
 * 导出修改历史 (.csv): the whole audit trail of one record, for an auditor — every entry, oldest
 * first, one line per field it changed (an entry that changed no field, such as a recorded read,
 * is one line with the field left empty).
 *
 * Format: UTF-8 with a byte-order mark (Excel opens it as UTF-8), RFC 4180 (CRLF line ends, fields
 * with a comma, quote or line break quoted, quotes doubled), zh-CN headers 序号, 时间, 操作人, 操作,
 * 字段, 原值, 新值. 序号 is the entry's number in the ledger's audit trail (the number a 台账校验
 * warning names), so the lines of one entry share it. Times are Beijing time. Coded values are
 * shown by their Chinese labels, user ids by the user's name. A text value that a spreadsheet would
 * run as a formula (starting with = + - @) is written with a leading apostrophe.
 *
 * Right: 'audit.read'; a clue's history also needs the clue right (as the history view).
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import { defineCall } from '../core/call.js';
import { requirePermission } from '../core/permissions.js';
import type { ServiceContext } from '../core/context.js';
import * as enums from '../domain/enums.js';
import { notFound } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { replicatedTables, tableLabel } from '../core/verify.js';

export const CSV_HEADERS = ['序号', '时间', '操作人', '操作', '字段', '原值', '新值'] as const;

/** Entities whose history is itself sensitive (问题线索): exported only with the clue right. */
const CLUE_ENTITIES = new Set(['clues', 'clue_dispositions']);

const ACTIONS: Record<string, string> = {
  create: '新建', update: '修改', delete: '删除', restore: '恢复', start: '开始推进', submit: '提交销号', return: '退回',
  close: '销号', reopen: '重新打开', extend: '延期生效', accept: '同意', approve: '同意', refuse: '不同意', supersede: '作废',
  second_round: '转入二次整改', setup: '建立', read: '查看', print: '打印', dispose: '处置', reactivate: '重新启用',
  merge: '合并', password_recovered: '用恢复密钥重设密码', login: '登录', logout: '退出登录', lock: '锁定', unlock: '解锁',
};

/** Field labels: the ledger's own words where the forms use them; otherwise the stored name. */
const FIELDS: Record<string, string> = {
  seq: '序号', measures: '整改措施', term: '整改类型', goal: '阶段目标', dueDate: '完成时间', doneOn: '实际完成日期',
  responsibleLeader: '责任领导', responsibleDepartment: '责任部门', responsiblePerson: '责任人',
  deadline: '整改时限', currentDeadline: '现行整改时限', status: '状态', completedOn: '完成日期', reportedOnTime: '按期完成',
  closedAt: '销号时间', remark: '备注', notForDisclosure: '不予公开', notForDisclosureReason: '不予公开的理由',
  formedOn: '形成日期', description: '说明', fileName: '文件名', entryDate: '进展日期', content: '内容',
  submittedBy: '提交人', submittedAt: '提交时间', returnCount: '退回次数', secondRound: '二次整改', ownerType: '材料所属',
  mimeType: '文件类型', size: '文件大小', sha256: 'SHA-256', previousDeadline: '原时限', requestedDeadline: '申请延期至',
  reason: '理由', requestedBy: '申请人', decidedBy: '决定人', decidedAt: '决定时间', decisionComment: '审批意见',
  decision: '结论', reviewerId: '审核人', comment: '意见', snapshotHash: '销号快照哈希', supersededAt: '失效时间',
  supersededReason: '失效原因', deletedAt: '删除时间', deletedBy: '删除人', deletedReason: '删除理由', categoryId: '问题类别',
  isKey: '重点难点问题', leadLeader: '领办领导', source: '问题来源', materialRevision: '材料版本', mergedIntoId: '并入任务',
  problemId: '所属问题', taskId: '所属任务', unitId: '被巡视单位', roundId: '巡视轮次', inspectionId: '巡视对象',
  feedbackId: '反馈意见', ownerId: '所属记录', name: '名称', title: '标题', summary: '摘要', subjectName: '被反映人',
  subjectPost: '职务', receivedOn: '接收日期', receivingOrgan: '接收机关', disposition: '处置方式', outcome: '处理结果',
  moneyRecoveredFen: '追赃挽损（分）', concludedOn: '办结日期', fromWay: '原处置方式', way: '处置方式', decidedOn: '决定日期',
  note: '说明', letterSentOn: '函询日期', repliedOn: '回复日期', isReactivation: '重新启用', username: '用户名',
  displayName: '姓名', role: '角色', canViewClues: '可查看问题线索', active: '启用', passwordHash: '密码',
  department: '部门', issuedOn: '印发日期', reply: '回复', kind: '类型', level: '层级', grade: '等次', docNumber: '文号',
  body: '正文', feedbackDate: '反馈日期', createdAt: '创建时间', createdBy: '创建人', updatedAt: '修改时间', updatedBy: '修改人',
};

const USER_FIELDS = new Set(['submittedBy', 'reviewerId', 'requestedBy', 'decidedBy', 'createdBy', 'updatedBy', 'deletedBy', 'grantedBy', 'revokedBy', 'userId']);

type Vocab = { labels: Record<string, string>; codes: readonly string[] };
let vocabs: Vocab[] | null = null;
const byColumn = new Map<string, Record<string, string> | null>();

/** The Chinese labels of a coded column: the vocabulary (db/domain/enums.ts) with exactly its codes. */
function labelsFor(entity: string, field: string): Record<string, string> | null {
  const key = `${entity}.${field}`;
  if (byColumn.has(key)) return byColumn.get(key)!;
  vocabs ??= (Object.values(enums) as unknown[]).filter((x): x is Vocab =>
    typeof x === 'object' && x !== null && 'labels' in x && 'codes' in x && Array.isArray((x as Vocab).codes));
  let out: Record<string, string> | null = null;
  const table = replicatedTables().find((t) => getTableName(t) === entity);
  const col = table ? (getTableColumns(table)[field] as { enumValues?: readonly string[] } | undefined) : undefined;
  const codes = col?.enumValues;
  if (codes && codes.length > 0) {
    const want = [...codes].sort().join('|');
    out = vocabs.find((v) => [...v.codes].sort().join('|') === want)?.labels ?? null;
  }
  byColumn.set(key, out);
  return out;
}

/** Beijing time, 'YYYY-MM-DD HH:mm:ss' (the ledgers are kept in China; the file must not depend on the PC's zone). */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** One CSV field (RFC 4180), guarded against spreadsheet formulas. */
export function csvField(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

const exportArg = f.args({
  entity: f.v.pipe(
    f.text('记录类型', 64),
    f.rule('unknown_entity', (s: string) => replicatedTables().some((t) => getTableName(t) === s), '不认识这种记录类型。'),
  ),
  entityId: f.id('记录'),
});

interface Raw {
  seq: number;
  at: string;
  user_id: string | null;
  display_name: string | null;
  action: string;
  before: string | null;
  after: string | null;
}

/** The audit trail of one record as CSV text (see the file's comment). */
export const exportHistoryCsv = defineCall({ permission: 'audit.read', arg: exportArg }, (ctx, a): string => {
  if (CLUE_ENTITIES.has(a.entity)) requirePermission(ctx, 'clue.read');
  const label = tableLabel(a.entity);
  const names = userNames(ctx);
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? '是' : '否';
    if (typeof v === 'object') return JSON.stringify(v);
    const s = String(v);
    if (USER_FIELDS.has(field)) return names(s) ?? s;
    const labels = labelsFor(a.entity, field);
    if (labels && s in labels) return labels[s]!;
    return s;
  };
  const lines = [csvLine(CSV_HEADERS)];
  const it = ctx.ledger.sqlite.prepare(`
    SELECT a.seq, a.at, a.user_id, u.display_name, a.action, a.before, a.after
    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity_id = ? AND a.entity = ? ORDER BY a.seq`).iterate(a.entityId, a.entity) as IterableIterator<Raw>;
  for (const r of it) {
    const before = r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>);
    const after = r.after === null ? null : (JSON.parse(r.after) as Record<string, unknown>);
    const head = [String(r.seq), beijingTime(r.at), r.display_name ?? (r.user_id ? r.user_id : '系统'), `${ACTIONS[r.action] ?? r.action}${label}`];
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    if (keys.length === 0) lines.push(csvLine([...head, '', '', '']));
    for (const k of keys) {
      lines.push(csvLine([...head, FIELDS[k] ?? k, before ? show(k, before[k]) : '', after ? show(k, after[k]) : '']));
    }
  }
  if (lines.length === 1) {
    // Nothing at all: say whether the record exists (a wrong id should not look like a quiet record).
    const table = replicatedTables().find((t) => getTableName(t) === a.entity)!;
    const exists = ctx.ledger.sqlite.prepare(`SELECT 1 FROM "${getTableName(table)}" WHERE id = ?`).get(a.entityId);
    if (!exists) throw notFound(label, a.entityId, 'entityId');
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
});

/** The display names of users, looked up once each. */
function userNames(ctx: ServiceContext): (id: string) => string | null {
  const cache = new Map<string, string | null>();
  const stmt = ctx.ledger.sqlite.prepare('SELECT display_name FROM users WHERE id = ?').pluck();
  return (id) => {
    if (!cache.has(id)) cache.set(id, (stmt.get(id) as string | undefined) ?? null);
    return cache.get(id)!;
  };
}
