/**
 * The purge list (purged_records) as db/core/verify.ts reads it. Kept free of other engine imports
 * so that verify.ts can import it without a cycle (db/archive/purge.ts imports verify.ts's labels).
 *
 * A purge removes records physically while their audit rows stay; verify.ts would otherwise report
 * each as "deleted outside the app". It asks `isPurgedStatement` instead, and `checkPurgeLists`
 * shows whether the list itself was edited: each purge's list must hash to the digest written in
 * its round_archives row (an audited record) and in the purge's audit event.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

type WithSqlite = { ledger: { sqlite: Database.Database } };

/** SHA-256 over sorted "table/id" lines: what a purge removed (round_archives.purge_digest). */
export function purgeDigest(records: ReadonlyArray<{ entity: string; entityId: string }>): string {
  const lines = records.map((r) => `${r.entity}/${r.entityId}`).sort();
  const h = createHash('sha256');
  for (const l of lines) h.update(l).update('\n');
  return h.digest('hex');
}

/** Is this audited record absent because a purge removed it? (one prepared statement, reused) */
export function isPurgedStatement(ctx: WithSqlite): (entity: string, id: string) => boolean {
  const stmt = ctx.ledger.sqlite.prepare('SELECT 1 FROM purged_records WHERE entity_id = ? AND entity = ?').pluck();
  return (entity, id) => stmt.get(id, entity) !== undefined;
}

/** One zh-CN sentence per purge list that no longer matches its purge record (empty: all hold). */
export function checkPurgeLists(ctx: WithSqlite): string[] {
  const sqlite = ctx.ledger.sqlite;
  const out: string[] = [];
  const recs = sqlite.prepare('SELECT id, round_name AS roundName, status, purge_digest AS purgeDigest FROM round_archives WHERE purge_digest IS NOT NULL')
    .all() as Array<{ id: string; roundName: string; status: string; purgeDigest: string }>;
  const listOf = sqlite.prepare('SELECT entity, entity_id AS entityId FROM purged_records WHERE archive_id = ?');
  for (const r of recs) {
    const list = listOf.all(r.id) as Array<{ entity: string; entityId: string }>;
    if (r.status === 'purged' && purgeDigest(list) !== r.purgeDigest) out.push(`轮次“${r.roundName}”的清理清单与清理记录不符：清单在本程序之外被改动过。`);
    if (r.status !== 'purged' && list.length > 0) out.push(`轮次“${r.roundName}”已恢复，但仍有${list.length}条清理清单记录：清单在本程序之外被改动过。`);
  }
  const stray = (sqlite.prepare('SELECT count(*) AS n FROM purged_records WHERE archive_id NOT IN (SELECT id FROM round_archives WHERE purge_digest IS NOT NULL)').get() as { n: number }).n;
  if (stray > 0) out.push(`有${stray}条清理清单记录不属于任何清理记录：清单在本程序之外被改动过。`);
  return out;
}
