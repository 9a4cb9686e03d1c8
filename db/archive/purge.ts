/**
 * 清理: remove an archived round from the working ledger, physically (not tombstones), in one
 * transaction, leaving a purge record in the chained audit trail.
 *
 * Refused unless: the round's name is typed exactly (VALIDATION confirm_mismatch); an archive of
 * this round with this SHA-256 was made here (round_archives) and its file and key file are still
 * where they were written and still hash to it (CONFLICT archive_missing / CORRUPT archive_damaged);
 * the round's records are exactly those archived (CONFLICT changed_since_archive: a record changed
 * or was added after archiving); and no record outside the round references one inside it
 * (CONFLICT referenced_elsewhere). The 管理员 check is the call's (db/archive/calls.ts).
 *
 * The audit rows of the purged records stay: the chain is never cut. `purged_records` lists what was
 * removed so that db/core/verify.ts can tell a purged record from one deleted outside the app; its
 * digest is in the purge record (audit event) and in round_archives.purge_digest.
 */
import { existsSync } from 'node:fs';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { keystorePath } from '../core/keystore.js';
import { tableLabel } from '../core/verify.js';
import { getRow, updateRow, type Row } from '../core/write.js';
import { conflict, DomainError, invalid, notFound } from '../domain/errors.js';
import { roundArchives, rounds } from '../schema/index.js';
import { fileSha256, readArchiveKeys } from './file.js';
import { purgeDigest } from './purge-list.js';
import { collectScope, dropScope, FILE_TABLES, INSERT_ORDER, ROUND_TABLE_NAMES, ROUND_TABLES, scopeDigest, scopeIds } from './scope.js';

export type RoundArchive = Row<typeof roundArchives>;

export interface PurgeResult {
  archiveId: string;
  roundId: string;
  roundName: string;
  /** Rows removed per table. */
  counts: Record<string, number>;
  /** Evidence files of the round kept because records outside it cite them too. */
  blobsKept: number;
  /** Problems/tasks of other rounds that still name a purged one (反弹 of…, merged into…): left as they are. */
  softReferences: number;
  archiveSha256: string;
  fileName: string;
  purgedAt: string;
  /** The purge record's audit sequence number. */
  auditSeq: number;
  ms: number;
}

const damaged = (detail: string) =>
  new DomainError('CORRUPT', `归档文件已损坏或被改动（${detail}），为保证数据可恢复，未清理任何记录。`, { reason: 'archive_damaged' });

/** The archive this purge relies on, or the refusal. */
function findArchive(ctx: ServiceContext, roundId: string, sha256: string): RoundArchive {
  const rows = ctx.ledger.prepare(`SELECT id, status FROM round_archives WHERE round_id = ? AND sha256 = ? AND deleted_at IS NULL
    ORDER BY created_at DESC`).all(roundId, sha256) as Array<{ id: string; status: string }>;
  const usable = rows.find((r) => r.status !== 'purged');
  if (!usable) {
    if (rows.length > 0) throw conflict('该轮次已用这份归档清理过。', 'already_purged');
    throw conflict('没有找到该轮次与此 SHA-256 相符的归档记录：请先归档该轮次，并核对归档文件的 SHA-256。', 'archive_unknown');
  }
  return getRow(ctx, roundArchives, usable.id)!;
}

/** The archive file and its key file are where they were written and unchanged. */
function checkArchiveFile(rec: RoundArchive): void {
  if (!existsSync(rec.filePath)) {
    throw conflict(`找不到归档文件（${rec.filePath}）。请把归档文件放回原位置后再清理。`, 'archive_missing');
  }
  if (!existsSync(keystorePath(rec.filePath))) {
    throw conflict('找不到归档文件的钥匙文件（.keys）。没有它归档无法打开，请放回原位置后再清理。', 'archive_keys_missing');
  }
  const keys = readArchiveKeys(rec.filePath);
  if (keys.archiveId !== rec.archiveFileId || keys.seal.sha256 !== rec.sha256) throw damaged('钥匙文件与归档记录不符');
  if (fileSha256(rec.filePath).sha256 !== rec.sha256) throw damaged('SHA-256 与归档时不符');
}

interface ExternalRef {
  table: string;
  column: string;
  parent: string;
  n: number;
}

/** Rows outside the round whose declared references point into it (they would dangle). */
function externalReferences(ctx: ServiceContext): ExternalRef[] {
  const sqlite = ctx.ledger.sqlite;
  const keyOf = new Map(ROUND_TABLES.map((t) => [t.table, t.key]));
  const tables = sqlite.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  const out: ExternalRef[] = [];
  for (const { name } of tables) {
    const fks = sqlite.prepare(`PRAGMA main.foreign_key_list("${name}")`).all() as Array<{ table: string; from: string }>;
    for (const fk of fks) {
      // Evidence files are shared by content: a purge keeps those still cited elsewhere.
      if (!ROUND_TABLE_NAMES.has(fk.table) || FILE_TABLES.has(fk.table)) continue;
      const own = ROUND_TABLE_NAMES.has(name) ? ` AND "${keyOf.get(name)}" NOT IN ${scopeIds(name)}` : '';
      const n = (sqlite.prepare(`SELECT count(*) AS n FROM main."${name}" WHERE "${fk.from}" IN ${scopeIds(fk.table)}${own}`).get() as { n: number }).n;
      if (n > 0) out.push({ table: name, column: fk.from, parent: fk.table, n });
    }
  }
  return out;
}

function softReferences(ctx: ServiceContext): number {
  const n = (sql: string) => (ctx.ledger.sqlite.prepare(sql).get() as { n: number }).n;
  return n(`SELECT count(*) AS n FROM problems WHERE rebound_of_id IN ${scopeIds('problems')} AND id NOT IN ${scopeIds('problems')}`)
    + n(`SELECT count(*) AS n FROM tasks WHERE merged_into_id IN ${scopeIds('tasks')} AND id NOT IN ${scopeIds('tasks')}`);
}

export function purgeRoundRecords(ctx: ServiceContext, input: { roundId: string; archiveSha256: string; confirmText: string }): PurgeResult {
  const started = Date.now();
  const round = getRow(ctx, rounds, input.roundId);
  if (!round) throw notFound('巡视轮次', input.roundId, 'roundId');
  if (input.confirmText.normalize('NFC') !== round.name.normalize('NFC')) {
    throw invalid('confirmText', `请完整输入轮次名称“${round.name}”以确认清理。`, 'confirm_mismatch');
  }
  const sha = input.archiveSha256.toLowerCase();
  const rec = findArchive(ctx, round.id, sha);
  checkArchiveFile(rec);
  const sqlite = ctx.ledger.sqlite;
  try {
    return inTransaction(ctx, () => {
      collectScope(sqlite, round.id);
      const now = scopeDigest(sqlite, scopeIds);
      if (now.digest !== rec.scopeDigest) {
        throw conflict('归档之后该轮次的记录又有改动或增加，归档文件已不完整。请重新归档后再清理。', 'changed_since_archive');
      }
      const ext = externalReferences(ctx);
      if (ext.length > 0) {
        const what = ext.map((r) => `${tableLabel(r.table)}${r.n}条`).join('、');
        throw conflict(`该轮次的记录仍被轮次之外的记录引用（${what}），不能清理。`, 'referenced_elsewhere');
      }
      const soft = softReferences(ctx);
      const purged = sqlite.prepare("SELECT tbl AS entity, id AS entityId FROM temp.arc_scope WHERE tbl NOT IN ('evidence_blobs', 'evidence_chunks')").all() as Array<{ entity: string; entityId: string }>;
      const digest = purgeDigest(purged);
      sqlite.prepare("INSERT INTO main.purged_records (entity_id, entity, archive_id) SELECT id, tbl, ? FROM temp.arc_scope WHERE tbl NOT IN ('evidence_blobs', 'evidence_chunks')").run(rec.id);
      const counts: Record<string, number> = {};
      let blobsKept = 0;
      for (const t of [...INSERT_ORDER].reverse()) {
        if (t.table === 'evidence_chunks') {
          // The pieces of the files the purge deletes (below): those no evidence row cites any more.
          counts[t.table] = sqlite.prepare(`DELETE FROM main.evidence_chunks WHERE sha256 IN ${scopeIds('evidence_blobs')}
            AND NOT EXISTS (SELECT 1 FROM main.evidence e WHERE e.sha256 = evidence_chunks.sha256)`).run().changes;
        } else if (t.table === 'evidence_blobs') {
          const all = now.counts.evidence_blobs ?? 0;
          counts[t.table] = sqlite.prepare(`DELETE FROM main.evidence_blobs WHERE sha256 IN ${scopeIds('evidence_blobs')}
            AND NOT EXISTS (SELECT 1 FROM main.evidence e WHERE e.sha256 = evidence_blobs.sha256)`).run().changes;
          blobsKept = all - counts[t.table]!;
        } else {
          counts[t.table] = sqlite.prepare(`DELETE FROM main."${t.table}" WHERE id IN ${scopeIds(t.table)}`).run().changes;
        }
      }
      const at = new Date(ctx.clock.now()).toISOString();
      updateRow(ctx, roundArchives, rec, { status: 'purged', purgedAt: at, purgedBy: ctx.user?.id ?? null, purgeDigest: digest }, { action: 'purge' });
      appendEvent(ctx, {
        action: 'purge', entity: 'rounds', entityId: round.id,
        detail: {
          roundId: round.id, roundName: round.name, counts, blobsKept, softReferences: soft,
          archiveId: rec.id, archiveFileId: rec.archiveFileId, fileName: rec.fileName, archiveSha256: rec.sha256,
          purgedRecords: purged.length, purgeDigest: digest, purgedAt: at,
          purgedBy: { id: ctx.user?.id ?? null, displayName: ctx.user?.displayName ?? null },
        },
      });
      return {
        archiveId: rec.id, roundId: round.id, roundName: round.name, counts, blobsKept, softReferences: soft,
        archiveSha256: rec.sha256, fileName: rec.fileName, purgedAt: at, auditSeq: ctx.ledger.state.lastAuditSeq, ms: Date.now() - started,
      };
    });
  } finally {
    dropScope(sqlite);
  }
}

/** For db/core/verify.ts (prefer importing them from ./purge-list.js: it imports nothing of the engine). */
export { checkPurgeLists, isPurgedStatement } from './purge-list.js';
