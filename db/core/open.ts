import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from '../schema/index.js';
import { DomainError } from '../domain/errors.js';
import type { HlcState } from './hlc.js';
import { applyKey } from './cipher.js';
import { decodeHlc } from './hlc.js';

export type Orm = BetterSQLite3Database<typeof schema>;

/** Engine state kept in memory by the single writer; rebuilt from the audit trail at open. */
export interface LedgerState {
  /** Last ledger change counter handed out. */
  version: number;
  hlc: HlcState;
  lastAuditSeq: number;
  lastAuditHash: string;
  /** This ledger's own office (null until first-run set-up). */
  officeId: string | null;
  /**
   * Set (to a zh-CN sentence) while long work holds a transaction open across awaits (an exchange
   * import streaming its files into the ledger): every other call is refused with it (LOCKED busy)
   * instead of running inside that transaction.
   */
  busy?: string | null;
}

export interface Ledger {
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  readonly path: string;
  readonly state: LedgerState;
  /** Prepared statements cached by SQL text. */
  prepare(sql: string): Database.Statement;
  /**
   * What a worker thread needs to open its own read-only connection to this file (SQLite
   * connections are not shared between threads): the path and a copy of the data key (null for a
   * plaintext file). Null for an in-memory ledger, which no other connection can see.
   */
  readerAccess(): { path: string; key: Uint8Array | null } | null;
  close(): void;
}

export const GENESIS_HASH = '0'.repeat(64);

export const DEFAULT_MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface OpenOptions {
  /** Folder with drizzle's migrations (comes in as an argument: the shell and tests know where). */
  migrationsFolder?: string;
  readonly?: boolean;
  /** Check every reference even when no migration ran (slow on very large ledgers). */
  checkIntegrity?: boolean;
  /** Open an in-memory copy of a serialized ledger image instead (tests, backup previews). */
  image?: Buffer;
  /**
   * The 256-bit data key of an encrypted ledger (see db/core/cipher.ts). Without it the file is
   * opened as plain SQLite (only plaintext ledgers made before encryption, and in-memory tests).
   */
  key?: Buffer;
  /**
   * Called once, synchronously, just before pending migrations are applied to a ledger that already
   * has some applied (`pending`: how many the journal holds that the file lacks), with the opening
   * connection (keyed, not yet migrated). The host takes its before-migration backup here
   * (db/backup/backup.ts backupSync); throwing stops the open and nothing is migrated.
   */
  beforeMigrate?: (pending: number, sqlite: Database.Database) => void;
}

/** `prepare` that makes each statement once per connection (the ledger's own, or an export worker's). */
export function statementCache(sqlite: Database.Database): { prepare(sql: string): Database.Statement; clear(): void } {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(sql) {
      let s = cache.get(sql);
      if (!s) {
        s = sqlite.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    },
    clear: () => cache.clear(),
  };
}

/**
 * The one place that opens a ledger file and sets its pragmas.
 * - journal_mode=WAL: readers never block the writer; a crash mid-write leaves the last commit intact.
 * - synchronous=FULL: in WAL mode every commit syncs the WAL before it returns, so a commit the
 *   user saw succeed also survives a power loss or OS crash (NORMAL could lose the last ones).
 *   Cost measured by bench/synchronous.ts: +0.5 ms per one-action commit (1.2 → 1.7 ms), about
 *   +5 ms under heavy disk contention; the app commits a few per second at most.
 * - foreign_keys=ON: references are checked (but only after migrations, see below).
 * - busy_timeout: a second connection (backup, preview server) waits instead of failing at once.
 * Migrations run with foreign keys OFF: a drizzle table rebuild inside a transaction would
 * otherwise cascade-delete child rows. After migrating, foreign_key_check must come back empty.
 */
export function openLedger(path: string, opts: OpenOptions = {}): Ledger {
  const sqlite = opts.image ? new Database(opts.image) : new Database(path, opts.readonly ? { readonly: true } : {});
  try {
    if (opts.key) applyKey(sqlite, opts.key);
    if (path !== ':memory:' && !opts.readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('temp_store = MEMORY');
    // 64 MiB of decrypted pages: on an encrypted ledger every page read from disk is decrypted
    // and checked, so keeping the hot index pages in SQLite's own cache matters (bench/encryption.ts).
    sqlite.pragma('cache_size = -65536');
    const orm = drizzle(sqlite, { schema });
    if (!opts.readonly) {
      sqlite.pragma('foreign_keys = OFF');
      const applied = appliedMigrations(sqlite);
      const migrationsFolder = opts.migrationsFolder ?? DEFAULT_MIGRATIONS;
      if (opts.beforeMigrate && applied > 0) {
        const pending = pendingMigrations(sqlite, migrationsFolder);
        if (pending > 0) opts.beforeMigrate(pending, sqlite);
      }
      migrate(orm, { migrationsFolder });
      // The full check reads every row (seconds on a million-problem ledger): run it when a
      // migration actually ran, or on request (a 检查台账 command, tests).
      if (opts.checkIntegrity || appliedMigrations(sqlite) !== applied) {
        const broken = sqlite.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) {
          throw new DomainError('CORRUPT', `台账文件存在 ${broken.length} 处无效引用，已停止打开。`, { reason: 'foreign_key_check' });
        }
      }
    }
    sqlite.pragma('foreign_keys = ON');
    const state = loadState(sqlite);
    const statements = statementCache(sqlite);
    // The connection holds the key for as long as it is open; so does this copy, zeroed at close.
    const keyCopy = opts.key ? Buffer.from(opts.key) : null;
    const onDisk = !opts.image && path !== ':memory:' && path !== '';
    return {
      sqlite,
      orm,
      path,
      state,
      prepare: statements.prepare,
      readerAccess() {
        return onDisk ? { path, key: keyCopy ? Uint8Array.from(keyCopy) : null } : null;
      },
      close() {
        statements.clear();
        keyCopy?.fill(0);
        sqlite.close();
      },
    };
  } catch (e) {
    sqlite.close();
    if (e instanceof Database.SqliteError && (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT')) {
      throw new DomainError('CORRUPT', '该文件不是有效的台账文件，或已损坏，未作任何改动。', { reason: e.code });
    }
    throw e;
  }
}

function appliedMigrations(sqlite: Database.Database): number {
  const t = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!t) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

/** Migrations of the journal not yet applied, decided as drizzle's migrator decides (by journal time). */
function pendingMigrations(sqlite: Database.Database, folder: string): number {
  const last = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as { created_at: number | string } | undefined;
  return readMigrationFiles({ migrationsFolder: folder }).filter((m) => !last || Number(last.created_at) < m.folderMillis).length;
}

function loadState(sqlite: Database.Database): LedgerState {
  const last = sqlite
    .prepare('SELECT seq, version, hlc, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
    .get() as { seq: number; version: number; hlc: string; hash: string } | undefined;
  const office = sqlite.prepare("SELECT value FROM meta WHERE key = 'office_id'").get() as
    | { value: string }
    | undefined;
  // Rows written outside the audited path (bulk scale data) still carry versions: never reuse one.
  const maxVersion = maxRowVersion(sqlite);
  const hlc = last ? decodeHlc(last.hlc) : { wall: 0, counter: 0 };
  return {
    version: Math.max(last?.version ?? 0, maxVersion),
    hlc: { wall: hlc.wall, counter: hlc.counter },
    lastAuditSeq: last?.seq ?? 0,
    lastAuditHash: last?.hash ?? GENESIS_HASH,
    officeId: office?.value ?? null,
  };
}

function maxRowVersion(sqlite: Database.Database): number {
  const row = sqlite.prepare("SELECT value FROM meta WHERE key = 'bulk_version'").get() as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : 0;
}
