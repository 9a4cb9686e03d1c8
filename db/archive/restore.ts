/**
 * 恢复: bring an archived (and purged) round back into the working ledger it came from, every row
 * as it was archived, in one transaction, audited.
 *
 * Verified before touched (EXCHANGE.md 8): the recovery key, the archive's seal, SHA-256 and pages
 * (openArchive); that it came from this ledger (CONFLICT foreign_archive) and was recorded here
 * when made (CONFLICT unknown_archive); that its round records hash to the digest recorded when it
 * was made (CORRUPT archive_damaged) and its evidence files to their SHA-256; that its audit rows
 * are this ledger's (CONFLICT audit_mismatch); that none of its records is present already
 * (CONFLICT already_present); that every reference row it needs is here or is plain reference data
 * (CONFLICT reference_missing). Then, in one transaction: reference rows that are missing, the
 * round's rows (parents first), the purge list entries removed, the archive records marked restored,
 * an audit event; and before committing, the restored rows must hash to the archived digest again.
 * The audit rows are not copied back: they never left.
 */
import Database from 'better-sqlite3';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { tableLabel } from '../core/verify.js';
import { getRow, updateRow } from '../core/write.js';
import { conflict, DomainError } from '../domain/errors.js';
import { roundArchives } from '../schema/index.js';
import { archiveIds, copyRows, ledgerIdOf } from './create.js';
import { openArchive, type OpenArchiveOptions } from './file.js';
import { columnsOf, dropScope, FILE_TABLES, INSERT_ORDER, REFERENCE_TABLES, scopeDigest, scopeIds } from './scope.js';
import { blobIntact } from '../core/blobs.js';

export interface RestoreResult {
  archiveId: string;
  roundId: string;
  roundName: string;
  /** Rows restored per table. */
  counts: Record<string, number>;
  /** Reference rows that were missing and came back from the archive, per table. */
  references: Record<string, number>;
  ms: number;
}

const damaged = (detail: string) =>
  new DomainError('CORRUPT', `归档文件已损坏或被改动（${detail}），未作任何改动。`, { reason: 'archive_damaged' });

export function restoreRoundArchive(
  ctx: ServiceContext, input: { path: string; recoveryKey: string }, opts: Pick<OpenArchiveOptions, 'migrationsFolder'> = {},
): RestoreResult {
  const started = Date.now();
  const ledgerId = ledgerIdOf(ctx);
  const handle = openArchive(input.path, input.recoveryKey, opts);
  const w = ctx.ledger.sqlite;
  const a = handle.ledger.sqlite;
  const m = handle.manifest;
  try {
    if (m.sourceLedgerId !== ledgerId) {
      throw conflict(`该归档文件来自其他台账（${m.sourceOfficeName ?? '未知单位'}），不能恢复到本台账，未作任何改动。`, 'foreign_archive');
    }
    const recRow = w.prepare('SELECT id FROM round_archives WHERE archive_file_id = ? AND sha256 = ? AND deleted_at IS NULL').get(m.archiveId, handle.sha256) as { id: string } | undefined;
    if (!recRow) throw conflict('本台账没有这份归档的记录（它不是由本台账生成的），不能恢复。', 'unknown_archive');
    const rec = getRow(ctx, roundArchives, recRow.id)!;
    // The round's rows as archived.
    const archived = scopeDigest(a, archiveIds);
    if (archived.digest !== rec.scopeDigest || archived.digest !== m.scopeDigest) throw damaged('归档记录与归档时的摘要不符');
    for (const b of a.prepare(`SELECT sha256 FROM evidence_blobs WHERE sha256 IN ${archiveIds('evidence_blobs')}`).all() as Array<{ sha256: string }>) {
      if (!blobIntact(a, b.sha256)) throw damaged('佐证材料文件与其哈希不符');
    }
    // Its audit rows are this ledger's own.
    const hashAt = w.prepare('SELECT hash FROM main.audit_log WHERE seq = ?').pluck();
    for (const r of a.prepare('SELECT seq, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<{ seq: number; hash: string }>) {
      if (hashAt.get(r.seq) !== r.hash) {
        throw conflict(`归档中的审计记录（第${r.seq}条）与本台账的不一致，不能恢复，未作任何改动。`, 'audit_mismatch');
      }
    }
    // Tables whose archived columns the working ledger does not have: made by a newer program.
    for (const t of INSERT_ORDER) {
      const here = new Set(columnsOf(w, t.table));
      if (columnsOf(a, t.table).some((c) => !here.has(c))) {
        throw new DomainError('UNAVAILABLE', '该归档文件由更新版本的程序生成，请升级本程序后再恢复。', { reason: 'archive_newer' });
      }
    }
    dropScope(w);
    return inTransaction(ctx, () => {
      // The archive's round keys, on the working connection (temp: never in the file).
      w.exec('CREATE TEMP TABLE arc_scope (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID');
      const put = w.prepare('INSERT INTO temp.arc_scope (tbl, id) VALUES (?, ?)');
      for (const r of a.prepare("SELECT tbl, id FROM archive_records WHERE role = 'round'").iterate() as IterableIterator<{ tbl: string; id: string }>) put.run(r.tbl, r.id);
      let present = 0;
      let example = '';
      for (const t of INSERT_ORDER) {
        if (FILE_TABLES.has(t.table)) continue;
        const n = (w.prepare(`SELECT count(*) AS n FROM main."${t.table}" WHERE id IN ${scopeIds(t.table)}`).get() as { n: number }).n;
        if (n > 0 && !example) example = tableLabel(t.table);
        present += n;
      }
      if (present > 0) {
        throw conflict(`本台账中已有该归档中的${present}条记录（如${example}），该轮次尚未清理或已经恢复过，未作任何改动。`, 'already_present');
      }
      // Reference rows: plain reference data comes back if missing; a missing record of another round does not.
      const refTables = new Set<string>(REFERENCE_TABLES);
      const refs = a.prepare("SELECT tbl, id FROM archive_records WHERE role = 'reference' ORDER BY tbl").all() as Array<{ tbl: string; id: string }>;
      const missing = new Map<string, string[]>();
      const exists = new Map<string, Database.Statement>();
      for (const r of refs) {
        let stmt = exists.get(r.tbl);
        if (!stmt) {
          stmt = w.prepare(`SELECT 1 FROM main."${r.tbl}" WHERE "${r.tbl === 'evidence_blobs' ? 'sha256' : 'id'}" = ?`);
          exists.set(r.tbl, stmt);
        }
        if (stmt.get(r.id) !== undefined) continue;
        if (!refTables.has(r.tbl)) {
          throw conflict(`该归档引用的${tableLabel(r.tbl)}（编号 ${r.id}）已不在本台账中（可能已随其他轮次清理），请先恢复那一轮次。`, 'reference_missing');
        }
        missing.set(r.tbl, [...(missing.get(r.tbl) ?? []), r.id]);
      }
      const references: Record<string, number> = {};
      const counts: Record<string, number> = {};
      try {
        // Reference tables in dependency order (offices before users and units, units before leaders).
        for (const table of ['offices', 'users', 'clock_rule_sets', 'problem_categories', 'calendar_days', 'units', 'unit_leaders', 'handovers']) {
          const ids = missing.get(table);
          if (!ids) continue;
          references[table] = copyRows(a, w, table, `id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]);
        }
        for (const t of INSERT_ORDER) {
          counts[t.table] = copyRows(a, w, t.table, `"${t.key}" IN ${archiveIds(t.table)}`, [], { key: t.key });
        }
      } catch (e) {
        if (e instanceof Database.SqliteError && e.code.startsWith('SQLITE_CONSTRAINT')) {
          throw conflict(`恢复时与本台账现有记录冲突（${e.message}），未作任何改动。`, 'restore_conflict');
        }
        throw e;
      }
      // Exactly the archived rows, and nothing else.
      const again = scopeDigest(w, scopeIds);
      if (again.digest !== rec.scopeDigest) {
        throw conflict('恢复后的记录与归档内容不一致（可能与本台账现有记录冲突），已全部撤销，未作任何改动。', 'restore_mismatch');
      }
      w.prepare('DELETE FROM main.purged_records WHERE entity_id IN (SELECT id FROM temp.arc_scope)').run();
      const at = new Date(ctx.clock.now()).toISOString();
      const purgedRecs = w.prepare("SELECT id FROM round_archives WHERE round_id = ? AND status = 'purged' AND deleted_at IS NULL").all(m.round.id) as Array<{ id: string }>;
      for (const p of purgedRecs) {
        updateRow(ctx, roundArchives, getRow(ctx, roundArchives, p.id)!, { status: 'restored', restoredAt: at, restoredBy: ctx.user?.id ?? null }, { action: 'restore' });
      }
      appendEvent(ctx, {
        action: 'restore', entity: 'rounds', entityId: m.round.id,
        detail: {
          roundName: m.round.name, archiveId: rec.id, archiveFileId: m.archiveId, fileName: rec.fileName, archiveSha256: handle.sha256,
          counts, references, restoredAt: at, restoredBy: { id: ctx.user?.id ?? null, displayName: ctx.user?.displayName ?? null },
        },
      });
      return { archiveId: rec.id, roundId: m.round.id, roundName: m.round.name, counts, references, ms: Date.now() - started };
    });
  } finally {
    dropScope(w);
    handle.ledger.close();
  }
}
