/**
 * 归档: write a finished round into a new encrypted archive file (db/archive/file.ts) and record in
 * the working ledger that this archive was made (round_archives), so that the round can then be
 * purged (db/archive/purge.ts). The working ledger is not otherwise changed.
 *
 * The archive is a ledger of the same schema, built by the real migrations on a fresh random data
 * key. It holds the round's records (scope.ts) copied value for value (same ids, versions, HLC
 * stamps, tombstones; integers read as integers), the audit rows of those records as they are, and
 * the reference rows they point to (offices, users without password hashes, categories, rule sets,
 * the inspected units and their leader history, the holiday calendar, and any other row a copied
 * row references), so it reads on its own. `archive_records` (a table of the archive only) lists
 * which rows are the round's and which are references. Before anything is recorded the archive's
 * copy of the round is hashed again and must equal the working ledger's (scopeDigest).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { DEFAULT_KDF, keystorePath, makeWrap, newDataKey, newRecoveryKey, writeFileAtomic, type KdfParams } from '../core/keystore.js';
import { openLedger } from '../core/open.js';
import { getRow, insertRow } from '../core/write.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { offices, roundArchives, rounds } from '../schema/index.js';
import {
  ARCHIVE_EXT, ARCHIVE_FORMAT, ARCHIVE_KEYS_FORMAT, ARCHIVE_KEYS_VERSION, ARCHIVE_VERSION, fileSha256, MANIFEST_KEY, sealMac,
  type ArchiveKeystore, type ArchiveManifest, type ArchiveSeal,
} from './file.js';
import {
  collectScope, columnsOf, dropScope, INSERT_ORDER, openWork, openWorkMessage, REFERENCE_TABLES, ROUND_TABLES, scopeDigest, scopeIds,
} from './scope.js';

type Db = Database.Database;

export interface ArchiveOptions {
  /** KDF of the recovery wrap (tests pass cheap parameters; the app uses DEFAULT_KDF). */
  kdf?: Omit<KdfParams, 'salt'>;
  /** The migrations that build the archive (the host's folder; default: db/migrations). */
  migrationsFolder?: string;
}

export interface ArchiveResult {
  /** The working ledger's record of this archive (round_archives.id). */
  archiveId: string;
  /** The archive file's own id. */
  archiveFileId: string;
  path: string;
  fileName: string;
  /** Hex SHA-256 of the archive file: what a purge must name. */
  sha256: string;
  size: number;
  /** The archive's recovery key: shown once, stored nowhere. */
  recoveryKey: string;
  roundId: string;
  roundName: string;
  counts: Record<string, number>;
  references: Record<string, number>;
  auditRows: number;
  ms: number;
}

/** The working ledger's own id (meta 'ledger_id', set by its key file); plaintext ledgers have none. */
export function ledgerIdOf(ctx: ServiceContext): string {
  const row = ctx.ledger.prepare("SELECT value FROM meta WHERE key = 'ledger_id'").get() as { value: string } | undefined;
  if (!row) throw conflict('该台账尚未加密，不能归档。请先完成加密转换。', 'not_encrypted');
  return row.value;
}

function checkTarget(ctx: ServiceContext, path: string): string {
  if (!isAbsolute(path)) throw invalid('path', '请选择归档文件的保存位置（完整路径）。', 'not_absolute');
  if (!path.toLowerCase().endsWith(ARCHIVE_EXT)) throw invalid('path', `归档文件名应以 ${ARCHIVE_EXT} 结尾。`, 'bad_extension');
  const full = resolve(path);
  if (full === resolve(ctx.ledger.path)) throw invalid('path', '归档文件不能与台账文件同名。', 'same_as_ledger');
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw invalid('path', '归档文件的保存文件夹不存在。', 'folder_missing');
  if (existsSync(full) || existsSync(keystorePath(full))) throw conflict('该位置已有同名文件，请换一个文件名。', 'file_exists');
  return full;
}

const q = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');

/**
 * Copy the rows of `table` matching `where` from `src` to `dst`, value for value; `transform` may
 * replace values by column name. Calls `onRow` with each copied row's key. Returns rows inserted.
 */
export function copyRows(
  src: Db, dst: Db, table: string, where: string, params: unknown[],
  o: { key?: string; onRow?: (key: unknown) => void; transform?: Record<string, (v: unknown) => unknown>; srcSchema?: string } = {},
): number {
  const cols = columnsOf(src, table, o.srcSchema ?? 'main');
  const dstCols = new Set(columnsOf(dst, table));
  const missing = cols.filter((c) => !dstCols.has(c));
  if (missing.length > 0) throw new Error(`archive table ${table} lacks columns ${missing.join(', ')}`);
  const sel = src.prepare(`SELECT ${q(cols)} FROM ${o.srcSchema ?? 'main'}."${table}" WHERE ${where}`).raw(true).safeIntegers(true);
  const ins = dst.prepare(`INSERT OR IGNORE INTO main."${table}" (${q(cols)}) VALUES (${cols.map(() => '?').join(', ')})`);
  const keyAt = cols.indexOf(o.key ?? 'id');
  const tx = o.transform ? cols.map((c) => o.transform![c]) : null;
  let n = 0;
  for (const row of sel.iterate(...params) as IterableIterator<unknown[]>) {
    const values = tx ? row.map((v, i) => (tx[i] ? tx[i]!(v) : v)) : row;
    if (ins.run(...values).changes > 0) {
      n++;
      if (o.onRow && keyAt >= 0) o.onRow(row[keyAt]);
    }
  }
  return n;
}

/** The SQL set of units the round's records name (their unit_id columns). */
function unitsOfScope(src: Db): string {
  const parts = ROUND_TABLES.filter((t) => columnsOf(src, t.table).includes('unit_id'))
    .map((t) => `SELECT unit_id FROM main."${t.table}" WHERE id IN ${scopeIds(t.table)} AND unit_id IS NOT NULL`);
  return `(${parts.join(' UNION ')})`;
}

interface ForeignKey {
  id: number;
  table: string;
  from: string;
  to: string | null;
}

/** Copy, into `dst`, every row a copied row references that is not there yet (until none is missing). */
function closeReferences(src: Db, dst: Db, mark: (table: string, key: unknown) => void, refs: Record<string, number>): number {
  const fks = new Map<string, ForeignKey[]>();
  const fkOf = (t: string) => {
    let l = fks.get(t);
    if (!l) {
      l = dst.prepare(`PRAGMA foreign_key_list("${t}")`).all() as ForeignKey[];
      fks.set(t, l);
    }
    return l;
  };
  for (let pass = 0; pass < 20; pass++) {
    const bad = dst.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string; fkid: number }>;
    if (bad.length === 0) return 0;
    let added = 0;
    for (const v of bad) {
      const fk = fkOf(v.table).find((f) => f.id === v.fkid);
      if (!fk) continue;
      const to = fk.to ?? 'id';
      const value = (dst.prepare(`SELECT "${fk.from}" AS v FROM "${v.table}" WHERE rowid = ?`).safeIntegers(true).get(v.rowid) as { v: unknown }).v;
      const n = copyRows(src, dst, v.parent, `"${to}" = ?`, [value], {
        key: to === 'sha256' ? 'sha256' : 'id',
        onRow: (k) => mark(v.parent, k),
        transform: v.parent === 'users' ? { password_hash: () => null } : undefined,
      });
      refs[v.parent] = (refs[v.parent] ?? 0) + n;
      added += n;
    }
    if (added === 0) return bad.length;
  }
  return (dst.pragma('foreign_key_check') as unknown[]).length;
}

/** The archive file's own bookkeeping: which rows are the round's, which are references. */
const ARCHIVE_RECORDS_SQL = `CREATE TABLE archive_records (
  tbl TEXT NOT NULL, id TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('round', 'reference')),
  PRIMARY KEY (tbl, id)) WITHOUT ROWID`;

/** The round's keys in an archive, as a subquery (scopeDigest over an archive). */
export const archiveIds = (table: string) => `(SELECT id FROM main.archive_records WHERE tbl = '${table}' AND role = 'round')`;

interface Built {
  references: Record<string, number>;
  auditRows: number;
  manifest: ArchiveManifest;
}

function buildFile(
  ctx: ServiceContext, file: string, key: Buffer, opts: ArchiveOptions,
  m: Omit<ArchiveManifest, 'references' | 'auditRows' | 'migrations'>,
): Built {
  const src = ctx.ledger.sqlite;
  const arc = openLedger(file, { key, ...(opts.migrationsFolder ? { migrationsFolder: opts.migrationsFolder } : {}) });
  try {
    const a = arc.sqlite;
    // A new file nobody else sees, deleted on any failure: no journal while it is built, one fsync at
    // the end (createRoundArchive). The migrations' table rebuilds left free pages: compact the empty
    // file now, so the finished one has none (only inserts follow) without a VACUUM of the full one.
    a.pragma('journal_mode = OFF');
    a.pragma('synchronous = OFF');
    a.exec('VACUUM');
    a.pragma('foreign_keys = OFF');
    a.exec(ARCHIVE_RECORDS_SQL);
    const markStmt = a.prepare('INSERT OR IGNORE INTO archive_records (tbl, id, role) VALUES (?, ?, ?)');
    const mark = (role: 'round' | 'reference') => (table: string, k: unknown) => markStmt.run(table, String(k), role);
    const references: Record<string, number> = {};
    a.exec('BEGIN');
    // The round's records.
    for (const t of INSERT_ORDER) {
      copyRows(src, a, t.table, `"${t.key}" IN ${scopeIds(t.table)}`, [], { key: t.key, onRow: (k) => mark('round')(t.table, k) });
    }
    // What they point to.
    const units = unitsOfScope(src);
    const ref = (table: string, where: string, transform?: Record<string, (v: unknown) => unknown>) => {
      references[table] = (references[table] ?? 0) + copyRows(src, a, table, where, [], { onRow: (k) => mark('reference')(table, k), transform });
    };
    for (const table of REFERENCE_TABLES) {
      if (table === 'users') ref(table, '1', { password_hash: () => null });
      else if (table === 'units') ref(table, `id IN ${units}`);
      else if (table === 'unit_leaders' || table === 'handovers') ref(table, `unit_id IN ${units}`);
      else ref(table, '1');
    }
    const dangling = closeReferences(src, a, mark('reference'), references);
    // Audit rows of the round's records, as they are (seq, hashes and all).
    const auditCols = columnsOf(src, 'audit_log');
    const auditIns = a.prepare(`INSERT INTO main.audit_log (${q(auditCols)}) VALUES (${auditCols.map(() => '?').join(', ')})`);
    let auditRows = 0;
    const auditSel = src.prepare(`SELECT ${q(auditCols)} FROM main.audit_log WHERE entity_id IN (SELECT id FROM temp.arc_scope) ORDER BY seq`)
      .raw(true).safeIntegers(true);
    for (const row of auditSel.iterate() as IterableIterator<unknown[]>) {
      auditIns.run(...row);
      auditRows++;
    }
    const migrations = (a.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    const manifest: ArchiveManifest = { ...m, references, auditRows, migrations, ...(dangling ? { danglingReferences: dangling } : {}) };
    const meta = a.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    meta.run('ledger_id', m.archiveId);
    const officeId = ctx.ledger.state.officeId;
    if (officeId) meta.run('office_id', officeId);
    const settings = src.prepare("SELECT value FROM main.meta WHERE key = 'settings'").get() as { value: string } | undefined;
    if (settings) meta.run('settings', settings.value);
    meta.run(MANIFEST_KEY, JSON.stringify(manifest));
    a.exec('COMMIT');
    // The archive's copy of the round must hash as the working ledger's does.
    const again = scopeDigest(a, archiveIds);
    if (again.digest !== m.scopeDigest) throw new Error('archive copy does not match the round (scope digest)');
    a.pragma('foreign_keys = ON');
    // One self-contained file: a rollback-journal database (no WAL beside it, nothing for a
    // read-only open to create or change), without free pages (a changed free page would escape
    // SQLCipher's page check; the SHA-256 covers it anyway).
    a.pragma('journal_mode = DELETE');
    const free = a.pragma('freelist_count', { simple: true }) as number;
    if (free > 0) a.exec('VACUUM');
    return { references, auditRows, manifest };
  } finally {
    arc.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Archive a finished round to `path` (see the file's comment). Refuses a round with open work
 * (CONFLICT round_not_finished, naming what is open). Needs a transaction on the working ledger
 * (joins the caller's), so the round is read as one consistent snapshot and the archive is
 * recorded only if everything succeeded; on failure no file is left behind.
 */
export function createRoundArchive(ctx: ServiceContext, input: { roundId: string; path: string }, opts: ArchiveOptions = {}): ArchiveResult {
  const started = Date.now();
  const target = checkTarget(ctx, input.path);
  const sourceLedgerId = ledgerIdOf(ctx);
  const round = getRow(ctx, rounds, input.roundId);
  if (!round) throw notFound('巡视轮次', input.roundId, 'roundId');
  const sqlite = ctx.ledger.sqlite;
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const created: string[] = [];
  try {
    return inTransaction(ctx, () => {
      collectScope(sqlite, round.id);
      const open = openWorkMessage(openWork(sqlite));
      if (open) throw conflict(open, 'round_not_finished');
      const { digest, counts } = scopeDigest(sqlite, scopeIds);
      const now = new Date(ctx.clock.now()).toISOString();
      const officeId = ctx.ledger.state.officeId;
      const office = officeId ? getRow(ctx, offices, officeId) : undefined;
      const archiveFileId = randomUUID();
      const key = newDataKey();
      try {
        created.push(tmp);
        const built = buildFile(ctx, tmp, key, opts, {
          format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, archiveId: archiveFileId, sourceLedgerId,
          sourceOfficeId: officeId, sourceOfficeName: office?.name ?? null,
          round: {
            id: round.id, name: round.name, level: round.level, form: round.form, kind: round.kind,
            mobilisedOn: round.mobilisedOn, enteredOn: round.enteredOn, feedbackOn: round.feedbackOn,
          },
          counts, scopeDigest: digest, createdAt: now,
          createdBy: { id: ctx.user?.id ?? '', displayName: ctx.user?.displayName ?? '' },
        });
        for (const s of ['-wal', '-shm', '-journal']) rmSync(tmp + s, { force: true });
        fsyncFile(tmp);
        const { sha256, size } = fileSha256(tmp);
        renameSync(tmp, target);
        created.push(target);
        const recoveryKey = newRecoveryKey();
        const sealFields: Omit<ArchiveSeal, 'mac'> = { roundId: round.id, roundName: round.name, sourceLedgerId, sha256, size, createdAt: now };
        const keys: ArchiveKeystore = {
          format: ARCHIVE_KEYS_FORMAT, version: ARCHIVE_KEYS_VERSION, archiveId: archiveFileId, createdAt: now,
          wraps: [makeWrap(archiveFileId, key, recoveryKey, { kind: 'recovery' }, opts.kdf ?? DEFAULT_KDF)],
          seal: { ...sealFields, mac: sealMac(key, archiveFileId, sealFields) },
        };
        created.push(keystorePath(target));
        writeFileAtomic(keystorePath(target), JSON.stringify(keys, null, 1));
        const fileName = basename(target);
        const row = insertRow(ctx, roundArchives, {
          roundId: round.id, roundName: round.name, archiveFileId, filePath: target, fileName, sha256,
          scopeDigest: digest, counts: JSON.stringify(counts), status: 'archived',
          purgedAt: null, purgedBy: null, purgeDigest: null, restoredAt: null, restoredBy: null,
        }, { action: 'archive' });
        appendEvent(ctx, {
          action: 'archive', entity: 'rounds', entityId: round.id,
          detail: { archiveId: row.id, archiveFileId, fileName, sha256, size, counts, references: built.references, auditRows: built.auditRows },
        });
        return {
          archiveId: row.id, archiveFileId, path: target, fileName, sha256, size, recoveryKey, roundId: round.id, roundName: round.name,
          counts, references: built.references, auditRows: built.auditRows, ms: Date.now() - started,
        };
      } finally {
        key.fill(0);
      }
    });
  } catch (e) {
    for (const p of created) for (const s of ['', '-wal', '-shm', '-journal']) rmSync(p + s, { force: true });
    throw e;
  } finally {
    dropScope(sqlite);
  }
}
