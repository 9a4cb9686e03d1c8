/** zh-CN text of what the commands print (the --json output carries the same facts as data). */
import { LEVELS, OFFICE_KINDS } from '../../db/domain/enums.js';
import { formatFingerprint, readCard } from '../../db/exchange/identity.js';
import type { PackageHeader } from '../../db/exchange/package/index.js';
import type { PackagePreview } from '../../db/exchange/transfer.js';
import type { PartnerDelivery } from '../../db/exchange/transfer.js';
import type { PartnerView } from '../../db/services/partners.js';
import type { ConflictView, ProposalView } from '../../db/services/conflicts.js';

const kindLabel = (k: string) => (OFFICE_KINDS.labels as Record<string, string>)[k] ?? k;
const levelLabel = (l: string) => (LEVELS.labels as Record<string, string>)[l] ?? l;
const fp = (f: string | null) => (f ? formatFingerprint(f) : '（无）');
const show = (v: unknown) => (v === null || v === undefined ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v));

export function officeLine(o: { name: string; kind: string; level: string }): string {
  return `${o.name}（${kindLabel(o.kind)}，${levelLabel(o.level)}级）`;
}

const idList = (ids: unknown) => (Array.isArray(ids) ? `${ids.map(String).join('、')}（${ids.length} 个）` : show(ids));

/** A package's scope (its header's, db/exchange/scope.ts) in words; partial scopes say they leave the confirmed point alone. */
export function scopeText(scope: Record<string, unknown>): string {
  const parts: string[] = [];
  const partial = '不改变“自上次确认以来”的起点';
  if (scope.mode === 'full') parts.push('全部记录（完整快照）');
  else if (scope.mode === 'since') parts.push(`自对方上次确认以来的变化（版本 ${show(scope.fromVersion)} 至 ${show(scope.untilVersion)}）`);
  else if (scope.mode === 'round') parts.push(`按轮次：巡视轮次 ${show(scope.roundId)}`, partial);
  else if (scope.mode === 'units') parts.push(`按被巡视单位：${idList(scope.unitIds)}`, partial);
  else if (scope.mode === 'problems') parts.push(`按问题：${idList(scope.problemIds)}`, partial);
  else if (scope.mode === 'dates') parts.push(`按日期范围：${show(scope.from)} 至 ${show(scope.to)}（含）修改过的记录`, partial);
  if (typeof scope.includesClues === 'boolean') parts.push(scope.includesClues ? '含问题线索' : '不含问题线索');
  if (typeof scope.refersTo === 'string') parts.push(`确认交换包 ${scope.refersTo}`);
  return parts.length ? parts.join('，') : JSON.stringify(scope);
}

export function headerLines(file: string, h: PackageHeader): string[] {
  const records = typeof h.counts.records === 'number' ? `${h.counts.records} 条` : null;
  return [
    `${h.kind === 'receipt' ? '回执' : '交换包'}：${file}`,
    `  编号：${h.packageId}`,
    `  发送单位：${officeLine(h.sender)}，单位编号 ${h.sender.officeId}`,
    `  发送方指纹：${fp(h.sender.fingerprint)}`,
    ...h.recipients.map((r) => `  接收单位：${r.name}，单位编号 ${r.officeId ?? '（无）'}，指纹 ${fp(r.fingerprint)}，第 ${r.seq} 个`),
    `  生成时间：${h.createdAt}`,
    `  范围：${scopeText(h.scope)}`,
    ...(records ? [`  记录数：${records}`] : []),
    `  加密方式：${h.encryption === 'x25519' ? '对方公钥（X25519）' : '口令（scrypt）'}`,
    ...cardLines(h),
    `  数据：${h.payload.length} 字节，SHA-256 ${h.payload.sha256}`,
  ];
}

const OUTCOME: Record<string, string> = { new: '新增', changed: '修改', conflict: '冲突', proposal: '提议修改', deleted: '删除', restored: '恢复' };

export function previewJson(p: PackagePreview, verbose: boolean): Record<string, unknown> {
  return {
    alreadyApplied: p.alreadyApplied, missing: p.missing, counts: p.preview.counts, deletions: p.preview.deletions,
    needsDeletionConfirmation: p.needsDeletionConfirmation, ...(verbose ? { items: p.preview.items, labels: p.labels } : {}),
  };
}

/** The preview's facts the lines need (an import's result has the same, without labels). */
type PreviewFacts = Pick<PackagePreview, 'alreadyApplied' | 'missing' | 'preview' | 'needsDeletionConfirmation'> & { labels?: Record<string, string> };

export function previewLines(p: PreviewFacts, verbose: boolean): string[] {
  const c = p.preview.counts;
  const lines = [
    `导入预览：记录 ${c.records} 条，其中新增 ${c.new}，修改 ${c.changed}，冲突 ${c.conflict}，提议修改 ${c.proposal}，删除 ${c.deleted}，恢复 ${c.restored}，无变化 ${c.unchanged}。`,
  ];
  if (p.alreadyApplied) lines.push('  该交换包已经导入过，再次导入不会改动台账。');
  if (p.missing.length) lines.push(`  注意：尚未收到该单位此前发给本单位的第 ${p.missing.join('、')} 个交换包（可以先导入它们，也可以继续）。`);
  if (p.needsDeletionConfirmation) lines.push(`  该交换包将删除 ${p.preview.deletions} 条记录：导入时须加 --confirm-deletions。`);
  if (verbose) {
    for (const i of p.preview.items) {
      const label = p.labels?.[i.id];
      lines.push(`  [${OUTCOME[i.outcome] ?? i.outcome}] ${i.table} ${i.id}${label ? `（${label}）` : ''}${i.field ? ` ${i.field}：${show(i.from)} → ${show(i.to)}` : ''}（${i.byOffice}，${i.at}）`);
    }
    if (p.preview.items.length < c.records - c.unchanged) lines.push(`  ……仅列出前 ${p.preview.items.length} 项。`);
  }
  return lines;
}

export function partnerLines(p: PartnerView): string[] {
  return [
    `${officeLine(p)}`,
    `  单位编号：${p.officeId}`,
    `  指纹：${p.fingerprint}`,
    `  状态：${p.trust === 'confirmed' ? `已确认${p.confirmedAt ? `（${p.confirmedAt}${p.confirmedBy ? `，${p.confirmedBy}` : ''}）` : ''}` : '待确认：请电话核对指纹后运行 partner confirm'}`,
  ];
}

export function historyLines(rows: readonly PartnerDelivery[]): string[] {
  if (rows.length === 0) return ['还没有交换单位。'];
  return rows.flatMap((r) => [
    `${r.name}（单位编号 ${r.officeId}）`,
    `  已发出 ${r.sent}，已确认 ${r.confirmed}，已收到 ${r.received}${r.missing.length ? `，缺少第 ${r.missing.join('、')} 个` : '，无缺失'}`,
    `  最近发出：${r.lastSentAt ?? '（无）'}；最近收到：${r.lastReceivedAt ?? '（无）'}`,
  ]);
}

export function conflictLines(conflicts: readonly ConflictView[], proposals: readonly ProposalView[]): string[] {
  const lines = [`冲突 ${conflicts.length} 项，待处理的提议修改 ${proposals.length} 项。`];
  for (const c of conflicts) {
    lines.push(`  [冲突] ${c.entity} ${c.entityId} ${c.field}（自 ${c.since}）`);
    for (const h of c.heads) lines.push(`    ${h.shown ? '*' : ' '} ${show(h.value)}（${h.officeName ?? h.office}，${h.at}）`);
  }
  for (const p of proposals) {
    lines.push(`  [提议修改] ${p.entity} ${p.entityId} ${p.field}：${show(p.current)} → ${show(p.proposed)}（${p.officeName ?? p.office}，${p.at}，编号 ${p.id}）`);
  }
  if (conflicts.length + proposals.length > 0) lines.push('请在桌面应用的“冲突”和“提议修改”中处理。');
  return lines;
}

/** A first-contact header's card: its office and fingerprint (its own signature checked; the header's by partner add --from-package). */
function cardLines(h: PackageHeader): string[] {
  if (h.card === undefined) return [];
  try {
    const c = readCard(h.card);
    return [`  所附公钥卡：${officeLine(c.office)}，单位编号 ${c.office.id}`, `  公钥卡指纹：${formatFingerprint(c.fingerprint)}（请与对方电话读出的核对，再用 partner add --from-package 添加）`];
  } catch (e) {
    return [`  所附公钥卡无效：${e instanceof Error ? e.message : String(e)}`];
  }
}
