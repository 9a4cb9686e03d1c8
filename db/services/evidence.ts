import { recordClueRead } from './clues.js';
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { EVIDENCE_OWNERS, type EvidenceOwner } from '../domain/enums.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import { deleteReasonField } from '../core/lifecycle.js';
import { defineCall } from '../core/call.js';
import { requirePermission } from '../core/permissions.js';
import * as f from '../domain/fields.js';
import { evidence, problems, progressEntries, tasks } from '../schema/index.js';
import { readBlob, storeBlob } from '../core/blobs.js';
import { insertRow, requireRow, softDelete, updateRow, type Row } from '../core/write.js';

export type Evidence = Row<typeof evidence>;

/** Largest single evidence file accepted (scans of several hundred pages fit). */
export const MAX_EVIDENCE_BYTES = 100 * 1024 * 1024;

const MIME_RE = /^[a-z]+\/[a-z0-9.+-]+$/i;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The task an evidence owner belongs to (for task and progress owners), to apply its lock. */
function owningTask(ctx: ServiceContext, ownerType: EvidenceOwner, ownerId: string): Row<typeof tasks> | null {
  if (ownerType === 'task') return requireRow(ctx, tasks, ownerId, '整改任务', 'ownerId');
  if (ownerType === 'progress') {
    const p = requireRow(ctx, progressEntries, ownerId, '整改进展', 'ownerId');
    return requireRow(ctx, tasks, p.taskId, '整改任务', 'ownerId');
  }
  if (ownerType === 'problem') requireRow(ctx, problems, ownerId, '问题', 'ownerId');
  return null;
}

/** Evidence of a task under review or closed is frozen: the review approved these exact files. */
export function assertTaskEditable(task: Row<typeof tasks>): void {
  if (task.status === 'pending_review') throw new DomainError('LOCKED', '任务正在审核中，佐证材料不能变动。', { reason: 'under_review' });
  if (task.status === 'closed') throw new DomainError('LOCKED', '任务已销号，如需补充或更换佐证材料，请先重新打开任务。', { reason: 'closed' });
}

const ownerTypeField = f.oneOf(EVIDENCE_OWNERS.codes, '材料所属');
const ownerIdField = f.id('材料所属记录');
const evidenceId = f.id('佐证材料');

/**
 * Store the bytes once (content-addressed) and cite them from the owner record. The same file
 * uploaded twice is stored once; each citation is its own record with its own 形成日期.
 */
export const addEvidence = defineCall({
  permission: 'ledger.write',
  arg: f.args({
    ownerType: f.v.pipe(ownerTypeField, f.rule('bad_choice', (t: EvidenceOwner) => t !== 'clue', '问题线索的材料不在此处上传。')),
    ownerId: ownerIdField,
    fileName: f.v.pipe(f.text('文件名', 255), f.rule('path', (s: string) => !/[\\/]/.test(s), '文件名不能包含路径分隔符。')),
    // A type the file picker could not tell (or one that is not a MIME type) is stored as plain bytes.
    mimeType: f.v.optional(f.v.fallback(f.v.pipe(f.v.string(), f.v.regex(MIME_RE)), 'application/octet-stream'), 'application/octet-stream'),
    formedOn: f.date('形成日期'),
    description: f.optText('材料说明', f.LEN.short),
    dataBase64: f.v.pipe(f.v.string('文件内容无法读取。'), f.rule('bad_data', (s: string) => BASE64_RE.test(s), '文件内容无法读取。')),
  }),
}, (ctx, a): Evidence => {
  const { ownerType, ownerId, fileName, mimeType, formedOn, description } = a;
  if (formedOn > ctx.clock.today()) throw invalid('formedOn', '形成日期不能晚于今天。', 'future');
  const bytes = Buffer.from(a.dataBase64, 'base64');
  if (bytes.length === 0) throw invalid('dataBase64', '文件是空的。', 'empty');
  if (bytes.length > MAX_EVIDENCE_BYTES) throw invalid('dataBase64', '单个文件不能超过100MB。', 'too_large');
  const task = owningTask(ctx, ownerType, ownerId);
  if (task) assertTaskEditable(task);
  const hash = sha256(bytes);
  return inTransaction(ctx, () => {
    storeBlob(ctx.ledger, hash, bytes, new Date(ctx.clock.now()).toISOString());
    const row = insertRow(ctx, evidence, { ownerType, ownerId, sha256: hash, fileName, mimeType, size: bytes.length, formedOn, description });
    if (task) updateRow(ctx, tasks, task, { materialRevision: task.materialRevision + 1 });
    return row;
  });
});

/** The live evidence of one owner; a clue's needs the clue right. */
export const listEvidence = defineCall({
  permission: 'ledger.read',
  arg: f.args({ ownerType: ownerTypeField, ownerId: ownerIdField }),
}, (ctx, a): Evidence[] => {
  if (a.ownerType === 'clue') requirePermission(ctx, 'clue.read');
  const rows = ctx.ledger.orm.select().from(evidence)
    .where(and(eq(evidence.ownerType, a.ownerType), eq(evidence.ownerId, a.ownerId), isNull(evidence.deletedAt)))
    .orderBy(asc(evidence.createdAt)).all();
  // Every read of a clue's material is audited (who saw which clue's files, when).
  if (a.ownerType === 'clue') recordClueRead(ctx, a.ownerId, { evidence: rows.map((e) => e.id) });
  return rows;
});

/** The file's bytes, re-hashed on the way out: a mismatch means the stored bytes were damaged. */
export const getEvidenceContent = defineCall({ permission: 'ledger.read', arg: f.args({ id: evidenceId }) }, (ctx, a) => {
  const ev = requireRow(ctx, evidence, a.id, '佐证材料');
  if (ev.ownerType === 'clue') requirePermission(ctx, 'clue.read');
  const data = readBlob(ctx.ledger, ev.sha256);
  if (!data) throw notFound('文件内容', ev.sha256);
  if (sha256(data) !== ev.sha256) throw new DomainError('CORRUPT', `文件“${ev.fileName}”的内容与登记的SHA-256不一致，可能已损坏。`, { reason: 'hash_mismatch' });
  if (ev.ownerType === 'clue') recordClueRead(ctx, ev.ownerId, { evidenceId: ev.id, fileName: ev.fileName });
  return { id: ev.id, fileName: ev.fileName, mimeType: ev.mimeType, sha256: ev.sha256, size: ev.size, dataBase64: data.toString('base64') };
});

export const removeEvidence = defineCall({
  permission: 'ledger.write',
  arg: f.args({ id: evidenceId, reason: deleteReasonField }),
}, (ctx, a): Evidence => {
  const ev = requireRow(ctx, evidence, a.id, '佐证材料');
  const task = owningTask(ctx, ev.ownerType, ev.ownerId);
  if (task) assertTaskEditable(task);
  return inTransaction(ctx, () => {
    const row = softDelete(ctx, evidence, ev, a.reason);
    if (task) updateRow(ctx, tasks, task, { materialRevision: task.materialRevision + 1 });
    return row;
  });
});

/** Live evidence citing a task directly or through its progress entries. */
export function taskEvidence(ctx: ServiceContext, taskId: string): Evidence[] {
  return ctx.ledger.prepare(`
    SELECT e.id FROM evidence e WHERE e.deleted_at IS NULL AND e.owner_type = 'task' AND e.owner_id = @id
    UNION ALL
    SELECT e.id FROM progress_entries p CROSS JOIN evidence e ON e.owner_type = 'progress' AND e.owner_id = p.id
      WHERE p.task_id = @id AND p.deleted_at IS NULL AND e.deleted_at IS NULL`)
    .all({ id: taskId })
    .map((r) => requireRow(ctx, evidence, (r as { id: string }).id, '佐证材料'))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}
