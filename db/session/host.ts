/**
 * The ledger host: owns one ledger file, its key file and the data key while the ledger is open,
 * and every user session on it. Both transports (Electron's IPC, the loopback browser harness)
 * hold one host and one `Session` per window or browser session.
 *
 * - Before anyone logs in the ledger is closed: the data key exists only wrapped in the key file.
 *   Log-in unwraps it with the user's password (scrypt, db/core/keystore.ts) and opens the file.
 * - Each call reads the user afresh (rights, deactivation: db/bridge/dispatch.ts sessionContext),
 *   refuses a locked session, and locks a session idle longer than the ledger's setting.
 * - Key-file changes asked for by services (a new password, a removed user) are staged and written
 *   after the call commits; so is the audit chain's anchor.
 * - Failed log-ins are counted per name in the key file (lock-out with growing delay), and audited:
 *   at once when the ledger is open, otherwise when it next opens.
 * - When the last session logs out the ledger is closed and the key dropped.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openArchive, type ArchiveManifest, type ArchiveOptions, type OpenedArchive } from '../archive/index.js';
import type { Clock } from '../core/clock.js';
import type { KeyHooks, ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import type { IdSource } from '../core/ids.js';
import {
  DEFAULT_KDF, anchorKey, dummyUnwrap, keystorePath, makeWrap, nameDigest, newDataKey, newKeystore, newRecoveryKey,
  parseRecoveryKey, readKeystore, recoveryWrap, unwrap, userWrap, writeKeystore, type Anchor, type KdfParams, type Keystore, type PendingEvent, type Wrap,
} from '../core/keystore.js';
import { classifyFile, createEncrypted, encryptPlainFile, openEncrypted, unusableFile, type FileKind } from '../core/ledger-file.js';
import { openLedger, type Ledger } from '../core/open.js';
import { DomainError, forbidden } from '../domain/errors.js';
import { requirePermission } from '../core/permissions.js';
import { getRow } from '../core/write.js';
import { users } from '../schema/index.js';
import { actingUserById, checkPasswordRules, login as legacyLogin, setupLedger, getOffice, type SetupInput } from '../services/office.js';
import { idleLockMinutes } from '../services/settings.js';
import { appendEvent } from '../core/audit.js';
import { forgetWorkbook } from '../excel/workbook.js';
import { anchorHead, checkAnchor, type AnchorVerdict } from '../core/anchor.js';
import { verifyLedgerInSlices, type LedgerVerdict, type VerifyProgress } from '../core/verify.js';
import type { ActingUser } from '../core/context.js';
import type { OpenOptions } from '../core/open.js';
import {
  BackupScheduler, backupSync, backupToFolder, createBackup, listBackups, restoreBackup, verifyBackup,
  type BackupEntry, type BackupProgress, type BackupReason, type BackupResult, type RestoreResult, type VerifiedBackup,
} from '../backup/index.js';

/** One window's (or browser session's) log-in state. */
export interface Session {
  user: ActingUser | null;
  /** Locked: the screen hides the ledger and every call but unlock/log-out/status is refused. */
  locked?: boolean;
  /** When this session last made a call (ms since epoch), for the idle lock. */
  lastActiveAt?: number;
}

export interface HostOptions {
  path: string;
  migrationsFolder?: string;
  clock: Clock;
  ids: IdSource;
  /** KDF parameters for new wraps (tests pass cheap ones; the app uses DEFAULT_KDF). */
  kdf?: Omit<KdfParams, 'salt'>;
  /**
   * Close the ledger and drop the key when the last session logs out (default). End-to-end tests
   * keep it open to compare the page with the engine after a log-out.
   */
  closeWhenIdle?: boolean;
  /** Verify the whole ledger in the background after it opens (default on). */
  verifyOnOpen?: boolean;
  /** Idle minutes before a session locks (read from the ledger's settings by default). */
  idleMinutes?: (ctx: ServiceContext) => number;
  /** Take scheduled backups while the ledger is open (the app: true; tests leave it off). */
  scheduleBackups?: boolean;
  /** The app's version, written into backup manifests. */
  appVersion?: string;
}

/** Failed log-ins allowed before the first delay. */
export const FREE_ATTEMPTS = 5;
/** Delay after the first lock-out; doubles with each further failure, up to MAX_DELAY_MS. */
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

export function lockoutDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));
}

export interface VerifyState {
  running: boolean;
  progress: VerifyProgress | null;
  verdict: LedgerVerdict | null;
  error?: string;
}

export interface HostStatus {
  /** What is on disk. */
  file: FileKind;
  /** An encrypted ledger with its key file (log in), or a plaintext one awaiting conversion. */
  state: 'new' | 'encrypted' | 'needs_conversion' | 'no_keys' | 'unusable';
  /** The refusal for an unusable file (zh-CN). */
  problem?: { reason: string; message: string };
  open: boolean;
}

interface Staged {
  wraps: Array<{ user: { id: string; username: string }; password: string }>;
  removed: string[];
}

export class LedgerHost {
  readonly path: string;
  private ledgerOpen: Ledger | null = null;
  private key: Buffer | null = null;
  private ks: Keystore | null = null;
  private readonly sessions = new Set<Session>();
  private staged: Staged = { wraps: [], removed: [] };
  private readonly archives = new Map<Session, OpenedArchive>();
  private verifyAbort: AbortController | null = null;
  private verifyState: VerifyState | null = null;
  /** Real time of the latest call (the background verification gives way to it). */
  private lastCallAt = 0;
  /** Result of the anchor check at the last open (shown as a warning by the UI). */
  anchorVerdict: AnchorVerdict | null = null;
  /** Progress of the backup running now (polled by the 备份与恢复 screen), or null. */
  backupProgress: BackupProgress | null = null;
  /** Why the last scheduled backup failed (shown by the 备份与恢复 screen), or null. */
  lastBackupError: { reason: string; message: string } | null = null;
  private scheduler: BackupScheduler | null = null;

  constructor(private readonly o: HostOptions) {
    this.path = o.path;
  }

  get kdf(): Omit<KdfParams, 'salt'> {
    return this.o.kdf ?? DEFAULT_KDF;
  }

  get ledger(): Ledger | null {
    return this.ledgerOpen;
  }

  get keystore(): Keystore | null {
    return this.ks;
  }

  status(): HostStatus {
    const file = classifyFile(this.path);
    const bad = unusableFile(file);
    if (bad) return { file, state: 'unusable', problem: { reason: bad.reason!, message: bad.message }, open: false };
    if (file === 'missing') return { file, state: 'new', open: false };
    if (file === 'plain') return { file, state: 'needs_conversion', open: this.ledgerOpen !== null };
    const ks = this.readKeys();
    if (!ks) return { file, state: 'no_keys', problem: { reason: 'keystore_missing', message: '找不到该台账的钥匙文件（.keys），无法打开。请从备份恢复钥匙文件。' }, open: false };
    return { file, state: 'encrypted', open: this.ledgerOpen !== null };
  }

  private readKeys(): Keystore | null {
    this.ks = readKeystore(keystorePath(this.path));
    return this.ks;
  }

  // -------------------------------------------------------------------------------------------
  // Contexts

  /** The service context for one call of `session`; refuses a locked or missing ledger. */
  context(session: Session): ServiceContext {
    const ledger = this.ledgerOpen;
    if (!ledger) throw new DomainError('LOCKED', '台账尚未打开，请先登录。', { reason: 'not_open' });
    if (session.locked) throw new DomainError('LOCKED', '台账已锁定，请输入密码解锁。', { reason: 'ledger_locked' });
    this.lastCallAt = Date.now();
    const base = this.bareContext();
    if (session.user) {
      const now = this.o.clock.now();
      const idle = (this.o.idleMinutes ?? idleLockMinutes)(base);
      if (idle > 0 && session.lastActiveAt !== undefined && now - session.lastActiveAt > idle * 60_000) {
        this.lockSession(session, 'idle');
        throw new DomainError('LOCKED', '长时间未操作，台账已锁定，请输入密码解锁。', { reason: 'ledger_locked' });
      }
      try {
        session.user = actingUserById(base, session.user.id);
      } catch (e) {
        this.endSession(session);
        throw e;
      }
      session.lastActiveAt = now;
    }
    return { ...base, user: session.user };
  }

  /** After a call committed: write staged key-file changes and move the anchor. */
  committed(): void {
    if (!this.ledgerOpen || !this.key || !this.ks) return;
    let changed = this.applyStaged();
    const head = anchorHead(this.ledgerOpen, this.ks.ledgerId, anchorKey(this.key, this.ks.ledgerId), this.o.clock);
    if (!this.ks.anchor || head.seq !== this.ks.anchor.seq || head.hash !== this.ks.anchor.hash) {
      this.ks.anchor = head;
      changed = true;
    }
    if (changed) this.saveKeys();
  }

  /**
   * A context for engine-side work outside any transport (end-to-end test set-up, commands):
   * key-file changes apply at once instead of after a dispatched call commits.
   */
  engineContext(user: ActingUser | null): ServiceContext {
    if (!this.ledgerOpen) throw new DomainError('LOCKED', '台账尚未打开，请先登录。', { reason: 'not_open' });
    const hooks = this.keyHooks();
    const apply = () => {
      if (this.applyStaged()) this.saveKeys();
    };
    const keys: KeyHooks | undefined = hooks && {
      ...hooks,
      setPassword: (u, p) => {
        hooks.setPassword(u, p);
        apply();
      },
      removeUser: (id) => {
        hooks.removeUser(id);
        apply();
      },
    };
    return { ...this.bareContext(), user, keys };
  }

  /** After a call failed: forget what it staged. */
  discarded(): void {
    this.staged = { wraps: [], removed: [] };
  }

  private applyStaged(): boolean {
    const s = this.staged;
    this.staged = { wraps: [], removed: [] };
    if (!this.ks || !this.key || (s.wraps.length === 0 && s.removed.length === 0)) return false;
    const ks = this.ks;
    for (const id of s.removed) ks.wraps = ks.wraps.filter((w) => w.userId !== id);
    for (const { user, password } of s.wraps) {
      ks.wraps = ks.wraps.filter((w) => w.userId !== user.id);
      ks.wraps.push(makeWrap(ks.ledgerId, this.key, password, { kind: 'user', userId: user.id, username: user.username }, this.kdf));
    }
    return true;
  }

  private saveKeys(): void {
    if (this.ks) writeKeystore(keystorePath(this.path), this.ks);
  }

  private keyHooks(): KeyHooks | undefined {
    if (!this.key || !this.ks) return undefined;
    return {
      setPassword: (user, password) => {
        this.staged.wraps.push({ user, password });
      },
      removeUser: (userId) => {
        this.staged.removed.push(userId);
      },
      verifyPassword: (userId, password) => {
        const w = this.ks?.wraps.find((x) => x.kind === 'user' && x.userId === userId);
        if (!w) {
          dummyUnwrap(this.kdf);
          return false;
        }
        const k = unwrap(this.ks!.ledgerId, w, password);
        return k !== null && this.key !== null && timingSafeEqual(k, this.key);
      },
      hasWrap: (userId) => this.ks?.wraps.some((w) => w.kind === 'user' && w.userId === userId) ?? false,
    };
  }

  // -------------------------------------------------------------------------------------------
  // First run

  /**
   * 建立本单位台账: a new data key, a new key file, the encrypted ledger, the office and its first
   * administrator (logged in). Returns the recovery key, shown once.
   */
  setup(session: Session, input: SetupInput): { recoveryKey: string; officeId: string } {
    if (classifyFile(this.path) !== 'missing' || existsSync(keystorePath(this.path))) {
      throw new DomainError('CONFLICT', '本台账已经建立，不能重复设置。', { reason: 'already_set_up' });
    }
    mkdirSync(dirname(this.path), { recursive: true });
    const ks = newKeystore();
    const key = newDataKey();
    const recoveryKey = newRecoveryKey();
    let ledger: Ledger | null = null;
    try {
      ledger = createEncrypted(this.path, key, ks, this.openOpts());
      // The administrator's wrap is made below; the stub keeps setupLedger from storing a hash.
      const stub: KeyHooks = { setPassword: () => {}, removeUser: () => {}, verifyPassword: () => false, hasWrap: () => false };
      const ctx: ServiceContext = { ledger, clock: this.o.clock, ids: this.o.ids, user: null, keys: stub };
      const out = inTransaction(ctx, () => setupLedger(ctx, input));
      ks.wraps.push(makeWrap(ks.ledgerId, key, recoveryKey, { kind: 'recovery' }, this.kdf));
      ks.wraps.push(makeWrap(ks.ledgerId, key, String(input.adminPassword), { kind: 'user', userId: out.adminId, username: String(input.adminUsername) }, this.kdf));
      this.ks = ks;
      this.key = key;
      this.ledgerOpen = ledger;
      this.ks.anchor = anchorHead(ledger, ks.ledgerId, anchorKey(key, ks.ledgerId), this.o.clock);
      this.saveKeys();
      this.startSession(session, out.adminId);
      return { recoveryKey, officeId: out.officeId };
    } catch (e) {
      if (this.ledgerOpen !== ledger) {
        ledger?.close();
        for (const s of ['', '-wal', '-shm']) rmSync(this.path + s, { force: true });
      }
      throw e;
    }
  }

  /** With the data key: a verified backup is taken before pending migrations run (db/core/open.ts). */
  private openOpts(key?: Buffer): Omit<OpenOptions, 'key' | 'image'> {
    const o: Omit<OpenOptions, 'key' | 'image'> = this.o.migrationsFolder ? { migrationsFolder: this.o.migrationsFolder } : {};
    const ks = this.ks;
    if (key && ks) {
      o.beforeMigrate = (_pending, sqlite) => {
        backupSync({ sqlite, ledgerPath: this.path, key, keystore: ks, dir: this.backupsDir, reason: 'before_migration', clock: this.o.clock, ...this.versionOpt() });
      };
    }
    return o;
  }

  // -------------------------------------------------------------------------------------------
  // Log-in, lock, log-out

  /** Log in with a user name and password; the same work whether or not the name exists. */
  login(session: Session, username: string, password: string): ActingUser {
    const st = this.status();
    if (st.state === 'unusable' || st.state === 'no_keys') throw new DomainError('CORRUPT', st.problem!.message, { reason: st.problem!.reason });
    if (st.state === 'new') throw new DomainError('CONFLICT', '本机尚未建立台账。', { reason: 'not_set_up' });
    if (st.state === 'needs_conversion') return this.legacyLogin(session, username, password);
    const ks = this.ks!;
    const who = userWrap(ks, username);
    const throttleKey = who ? username : nameDigest(ks.ledgerId, username);
    this.refuseIfThrottled(ks, throttleKey, who ?? null);
    let key: Buffer | null = null;
    if (who) key = unwrap(ks.ledgerId, who, password);
    else dummyUnwrap(this.kdf);
    if (!key || (this.key && !timingSafeEqual(key, this.key))) {
      this.recordFailure(throttleKey, who ?? null);
      throw forbidden('用户名或密码不正确。', 'bad_credentials');
    }
    this.ensureOpen(key);
    const user = this.userOf(who!);
    delete ks.throttle[throttleKey];
    this.saveKeys();
    this.startSession(session, user.id);
    return session.user!;
  }

  private userOf(w: Wrap): ActingUser {
    const ctx = this.bareContext();
    const row = getRow(ctx, users, w.userId!);
    if (!row || row.deletedAt || !row.active) throw forbidden('用户名或密码不正确。', 'bad_credentials');
    return actingUserById(ctx, row.id);
  }

  private bareContext(): ServiceContext {
    return { ledger: this.ledgerOpen!, clock: this.o.clock, ids: this.o.ids, user: null, keys: this.keyHooks() };
  }

  private refuseIfThrottled(ks: Keystore, name: string, w: Wrap | null): void {
    const t = ks.throttle[name];
    if (!t) return;
    const wait = Date.parse(t.lastFailureAt) + lockoutDelayMs(t.failures) - this.o.clock.now();
    if (wait > 0) {
      this.recordEvent({ at: new Date(this.o.clock.now()).toISOString(), action: 'login_refused_locked_out', username: w ? name : name, userId: w?.userId ?? null });
      const min = Math.floor(wait / 60_000);
      const sec = Math.ceil((wait % 60_000) / 1000);
      throw new DomainError('LOCKED', `密码错误次数过多，请在${min > 0 ? `${min}分` : ''}${sec}秒后再试。`, { reason: 'too_many_attempts' });
    }
  }

  private recordFailure(name: string, w: Wrap | null): void {
    const ks = this.ks!;
    const t = ks.throttle[name] ?? { failures: 0, lastFailureAt: '' };
    ks.throttle[name] = { failures: t.failures + 1, lastFailureAt: new Date(this.o.clock.now()).toISOString() };
    this.recordEvent({ at: new Date(this.o.clock.now()).toISOString(), action: 'login_failed', username: name, userId: w?.userId ?? null });
  }

  /** Audit now when the ledger is open; else keep it in the key file until it opens. */
  private recordEvent(e: PendingEvent): void {
    const ks = this.ks!;
    if (this.ledgerOpen) {
      const ctx = this.bareContext();
      inTransaction(ctx, () => appendEvent(ctx, { action: e.action, entity: 'session', entityId: e.userId ?? e.username, detail: { username: e.username, at: e.at } }));
      this.committed();
    } else {
      ks.pending.push(e);
      if (ks.pending.length > 1000) ks.pending.splice(0, ks.pending.length - 1000);
    }
    this.saveKeys();
  }

  /** Open the ledger with a key just unwrapped (no-op when already open with it). */
  private ensureOpen(key: Buffer): void {
    if (this.ledgerOpen) return;
    const ks = this.ks!;
    const ledger = openEncrypted(this.path, key, ks, this.openOpts(key));
    this.ledgerOpen = ledger;
    this.key = key;
    const anchorAtOpen = ks.anchor;
    const openedAtSeq = ledger.state.lastAuditSeq;
    this.anchorVerdict = checkAnchor(ledger, ks.ledgerId, anchorKey(key, ks.ledgerId), ks.anchor);
    const ctx = this.bareContext();
    // Audit rows after the anchored head: a crash between a commit and the key-file write, or rows
    // appended by someone with the key. Recorded before the anchor moves past them.
    if (anchorAtOpen && this.anchorVerdict.ok && this.anchorVerdict.unanchored > 0) {
      const from = this.anchorVerdict.seq + 1;
      inTransaction(ctx, () => appendEvent(ctx, { action: 'unanchored_rows', entity: 'audit_log', entityId: `${from}-${openedAtSeq}`, detail: { from, to: openedAtSeq } }));
    }
    if (ks.pending.length > 0) {
      const events = ks.pending;
      inTransaction(ctx, () => {
        for (const e of events) appendEvent(ctx, { action: e.action, entity: 'session', entityId: e.userId ?? e.username, detail: { username: e.username, at: e.at } });
      });
      ks.pending = [];
    }
    // Only move the anchor forward when it held: a broken anchor stays as evidence until reviewed.
    if (this.anchorVerdict.ok) this.committed();
    else this.saveKeys();
    this.startVerify(anchorAtOpen, openedAtSeq);
  }

  /**
   * 台账核验 at each opening, in the background: SQLite's own check (small files), the audit chain,
   * the anchor and every record against its last audited state, on a read-only connection of its
   * own (one snapshot; the host's connection keeps writing), in slices of 10 ms with 20 ms of rest
   * between them, none within 300 ms of a call: the calls of one click never wait for it, a call
   * waits at most one slice, and the check takes at most a third of a core.
   */
  private startVerify(anchor: Anchor | null, openedAtSeq: number): void {
    if (!this.key || !this.ks || this.o.verifyOnOpen === false) return;
    this.verifyAbort?.abort();
    const ac = new AbortController();
    this.verifyAbort = ac;
    const ks = this.ks;
    this.verifyState = { running: true, progress: null, verdict: null };
    const state = this.verifyState;
    const reader = openLedger(this.path, { key: this.key, readonly: true, ...this.openOpts() });
    verifyLedgerInSlices(reader, { ledgerId: ks.ledgerId, anchorKey: anchorKey(this.key, ks.ledgerId), anchor, openedAtSeq }, (p) => {
      state.progress = p;
    }, { signal: ac.signal, sliceMs: 10, pauseMs: 20, quietMs: 300, lastActivity: () => this.lastCallAt })
      .then((v) => {
        state.verdict = v;
      }, (e: unknown) => {
        if (!ac.signal.aborted) state.error = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        state.running = false;
        reader.close();
      });
  }

  /** 立即核验 (an auditor's request): verify again against the current anchor and head. */
  reverify(session: Session): VerifyState {
    const ctx = this.context(session);
    requirePermission(ctx, 'audit.read');
    if (!this.verifyState?.running) this.startVerify(this.ks?.anchor ?? null, ctx.ledger.state.lastAuditSeq);
    return this.verifyState!;
  }

  /** The background verification's state (the shell shows progress, then a warning if any). */
  get verification(): VerifyState | null {
    return this.verifyState;
  }

  /** Wait for the running verification (tests, commands). */
  async verified(): Promise<LedgerVerdict | null> {
    while (this.verifyState?.running) await new Promise((r) => setTimeout(r, 10));
    return this.verifyState?.verdict ?? null;
  }

  private startSession(session: Session, userId: string): void {
    const ctx = this.bareContext();
    session.user = actingUserById(ctx, userId);
    session.locked = false;
    session.lastActiveAt = this.o.clock.now();
    this.sessions.add(session);
    inTransaction({ ...ctx, user: session.user }, () => appendEvent({ ...ctx, user: session.user }, { action: 'login', entity: 'session', entityId: userId, detail: null }));
    this.committed();
    this.startSchedule();
  }

  /** Lock the session (idle, or 锁定 from the menu): the password unlocks it. */
  lock(session: Session): void {
    if (!session.user || session.locked) return;
    this.lockSession(session, 'manual');
  }

  private lockSession(session: Session, why: 'idle' | 'manual'): void {
    session.locked = true;
    forgetWorkbook(); // an Excel workbook kept since its dry run (db/excel/workbook.ts) is not kept behind a locked screen
    if (!this.ledgerOpen || !session.user) return;
    const ctx = { ...this.bareContext(), user: session.user };
    inTransaction(ctx, () => appendEvent(ctx, { action: 'lock', entity: 'session', entityId: session.user!.id, detail: { why } }));
    this.committed();
  }

  /** Unlock with the session user's own password; failures count toward the lock-out. */
  unlock(session: Session, password: string): ActingUser {
    if (!session.user || !session.locked) throw new DomainError('CONFLICT', '当前没有被锁定的会话。', { reason: 'not_locked' });
    const ks = this.ks!;
    const w = ks.wraps.find((x) => x.kind === 'user' && x.userId === session.user!.id);
    const name = w?.username ?? session.user.id;
    this.refuseIfThrottled(ks, name, w ?? null);
    const k = w ? unwrap(ks.ledgerId, w, password) : (dummyUnwrap(this.kdf), null);
    if (!k || !this.key || !timingSafeEqual(k, this.key)) {
      this.recordFailure(name, w ?? null);
      throw forbidden('密码不正确。', 'bad_credentials');
    }
    delete ks.throttle[name];
    session.locked = false;
    session.lastActiveAt = this.o.clock.now();
    const ctx = { ...this.bareContext(), user: session.user };
    session.user = actingUserById(ctx, session.user.id);
    inTransaction(ctx, () => appendEvent(ctx, { action: 'unlock', entity: 'session', entityId: session.user!.id, detail: null }));
    this.committed();
    return session.user;
  }

  logout(session: Session): void {
    if (session.user && this.ledgerOpen) {
      const ctx = { ...this.bareContext(), user: session.user };
      inTransaction(ctx, () => appendEvent(ctx, { action: 'logout', entity: 'session', entityId: session.user!.id, detail: null }));
      this.committed();
    }
    this.endSession(session);
  }

  private endSession(session: Session): void {
    this.closeArchiveView(session);
    forgetWorkbook();
    session.user = null;
    session.locked = false;
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.o.closeWhenIdle !== false) this.close();
  }

  /** Close the ledger and forget the key (last log-out, quit, switching files). */
  close(): void {
    this.scheduler?.stop();
    for (const a of this.archives.values()) a.ledger.close();
    this.archives.clear();
    this.ledgerOpen?.close();
    this.ledgerOpen = null;
    this.key?.fill(0);
    this.key = null;
    for (const s of this.sessions) {
      s.user = null;
      s.locked = false;
    }
    this.sessions.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Recovery key

  /** 忘记密码: the recovery key opens the ledger and sets a new password for one user. */
  recover(session: Session, recoveryKeyTyped: string, username: string, newPassword: string): ActingUser {
    const st = this.status();
    if (st.state !== 'encrypted') throw new DomainError('CONFLICT', '该台账不能用恢复密钥打开。', { reason: st.state });
    const parsed = parseRecoveryKey(recoveryKeyTyped);
    if (!parsed.ok) {
      throw new DomainError('VALIDATION', parsed.reason === 'recovery_key_typo' ? '恢复密钥校验不符，可能有输入错误，请逐组核对。' : '恢复密钥应为8组、每组4个字符。', { field: 'recoveryKey', reason: parsed.reason });
    }
    const ks = this.ks!;
    const w = recoveryWrap(ks);
    const key = w ? unwrap(ks.ledgerId, w, parsed.key) : null;
    if (!key || (this.key && !timingSafeEqual(key, this.key))) {
      this.recordFailure('recovery', null);
      throw forbidden('恢复密钥不正确：它不属于这份台账。', 'wrong_recovery_key');
    }
    this.ensureOpen(key);
    const ctx = this.bareContext();
    const row = ctx.ledger.prepare('SELECT id FROM users WHERE username = ? AND deleted_at IS NULL AND active = 1').get(username) as { id: string } | undefined;
    if (!row) throw new DomainError('NOT_FOUND', '没有这个启用的用户名。', { field: 'username', reason: 'unknown_user' });
    checkPasswordRules(ctx, newPassword, 'newPassword');
    ks.wraps = ks.wraps.filter((x) => x.userId !== row.id);
    ks.wraps.push(makeWrap(ks.ledgerId, key, newPassword, { kind: 'user', userId: row.id, username }, this.kdf));
    delete ks.throttle[username];
    inTransaction(ctx, () => appendEvent(ctx, { action: 'password_recovered', entity: 'users', entityId: row.id, detail: { username } }));
    this.saveKeys();
    this.startSession(session, row.id);
    return session.user!;
  }

  // -------------------------------------------------------------------------------------------
  // Plaintext ledgers made before encryption

  private legacyLogin(session: Session, username: string, password: string): ActingUser {
    if (!this.ledgerOpen) this.ledgerOpen = openLedger(this.path, this.openOpts());
    const ctx = this.bareContext();
    const u = legacyLogin(ctx, { username, password });
    session.user = actingUserById(ctx, u.id);
    session.locked = false;
    session.lastActiveAt = this.o.clock.now();
    this.sessions.add(session);
    return session.user;
  }

  /**
   * Encrypt a plaintext ledger (after the user confirmed): the original is kept as a backup beside
   * it; the converting administrator's password and a new recovery key wrap the data key; other
   * accounts get their wrap when an administrator sets their password (their old password hashes
   * are removed from the ledger, which is what made the plaintext file readable by anyone).
   */
  convert(session: Session, password: string, backupDir: string): { recoveryKey: string; backupPath: string; usersNeedingPassword: string[] } {
    if (classifyFile(this.path) !== 'plain') throw new DomainError('CONFLICT', '该台账已经加密。', { reason: 'not_plain' });
    const admin = session.user;
    if (!admin || admin.role !== 'admin') throw forbidden('只有管理员可以加密转换台账。', 'admin_only');
    const open = this.ledgerOpen!;
    const ctx0 = this.bareContext();
    legacyLogin(ctx0, { username: (getRow(ctx0, users, admin.id)!).username, password });
    const usernames = open.sqlite.prepare('SELECT id, username FROM users WHERE deleted_at IS NULL AND active = 1').all() as Array<{ id: string; username: string }>;
    open.close();
    this.ledgerOpen = null;
    mkdirSync(backupDir, { recursive: true });
    const stampName = new Date(this.o.clock.now()).toISOString().replace(/[:.]/g, '-');
    const backupPath = join(backupDir, `转换前备份-${stampName}.sqlite`);
    const ks = newKeystore();
    const key = newDataKey();
    const recoveryKey = newRecoveryKey();
    try {
      encryptPlainFile(this.path, key, backupPath);
    } catch (e) {
      this.ledgerOpen = openLedger(this.path, this.openOpts());
      throw e;
    }
    const me = usernames.find((u) => u.id === admin.id)!;
    ks.wraps.push(makeWrap(ks.ledgerId, key, recoveryKey, { kind: 'recovery' }, this.kdf));
    ks.wraps.push(makeWrap(ks.ledgerId, key, password, { kind: 'user', userId: me.id, username: me.username }, this.kdf));
    this.ks = ks;
    this.saveKeys();
    this.sessions.delete(session);
    this.ensureOpen(key);
    const ctx = this.bareContext();
    inTransaction(ctx, () => {
      ctx.ledger.prepare('UPDATE users SET password_hash = NULL').run();
      appendEvent({ ...ctx, user: admin }, { action: 'ledger_encrypted', entity: 'ledger', entityId: ks.ledgerId, detail: { backup: backupPath } });
    });
    this.startSession(session, admin.id);
    return { recoveryKey, backupPath, usersNeedingPassword: usernames.filter((u) => u.id !== admin.id).map((u) => u.username) };
  }

  /** What archives are made and opened with: this host's KDF parameters and migrations. */
  get archiveOptions(): ArchiveOptions {
    return { kdf: this.kdf, ...(this.o.migrationsFolder ? { migrationsFolder: this.o.migrationsFolder } : {}) };
  }

  /** 打开归档 (read-only, per session), audited in the working ledger. */
  openArchiveView(session: Session, path: string, recoveryKey: string): { manifest: ArchiveManifest; sha256: string } {
    const ctx = this.context(session);
    if (!ctx.user) throw forbidden('请先登录。', 'not_logged_in');
    const opened = openArchive(path, recoveryKey, this.o.migrationsFolder ? { migrationsFolder: this.o.migrationsFolder } : {});
    this.closeArchiveView(session);
    this.archives.set(session, opened);
    inTransaction(ctx, () => appendEvent(ctx, { action: 'archive_open', entity: 'rounds', entityId: opened.manifest.round.id, detail: { fileName: basename(path), sha256: opened.sha256 } }));
    this.committed();
    return { manifest: opened.manifest, sha256: opened.sha256 };
  }

  /** A context on the session's open archive: the session's user and rights, the archive's read-only ledger. */
  archiveContext(session: Session): ServiceContext {
    const ctx = this.context(session);
    const opened = this.archives.get(session);
    if (!opened) throw new DomainError('CONFLICT', '没有打开的归档文件。', { reason: 'no_archive_open' });
    return { ledger: opened.ledger, clock: ctx.clock, ids: ctx.ids, user: ctx.user };
  }

  closeArchiveView(session: Session): void {
    this.archives.get(session)?.ledger.close();
    this.archives.delete(session);
  }

  // -------------------------------------------------------------------------------------------
  // 备份与恢复 (db/backup/)

  /** Automatic backups: `<ledger dir>/backups`. */
  get backupsDir(): string {
    return join(dirname(this.path), 'backups');
  }

  private versionOpt(): { appVersion?: string } {
    return this.o.appVersion ? { appVersion: this.o.appVersion } : {};
  }

  private openKeys(): { ledger: Ledger; key: Buffer; keystore: Keystore } {
    if (!this.ledgerOpen || !this.key || !this.ks) throw new DomainError('LOCKED', '台账尚未打开，请先登录。', { reason: 'not_open' });
    return { ledger: this.ledgerOpen, key: this.key, keystore: this.ks };
  }

  /**
   * 备份 now, in a worker thread: into the backups folder (manual, before an import, scheduled) or
   * into a folder the user chose ('folder'). Manual and folder backups are audited (`session`'s user).
   */
  async backup(reason: BackupReason, o: { folder?: string; session?: Session } = {}): Promise<BackupResult> {
    const { ledger, key, keystore } = this.openKeys();
    const common = { ledger, key, keystore, clock: this.o.clock, ...this.versionOpt(), onProgress: (p: BackupProgress) => { this.backupProgress = p; } };
    try {
      const r = reason === 'folder' ? await backupToFolder({ ...common, dir: o.folder ?? '' }) : await createBackup({ ...common, dir: this.backupsDir, reason });
      if ((reason === 'manual' || reason === 'folder') && this.ledgerOpen) {
        const ctx = { ...this.bareContext(), user: o.session?.user ?? null };
        inTransaction(ctx, () => appendEvent(ctx, {
          action: 'backup', entity: 'ledger', entityId: keystore.ledgerId,
          detail: { name: r.name, reason, headSeq: r.manifest.audit.seq, ...(reason === 'folder' ? { folder: o.folder ?? '' } : {}) },
        }));
        this.committed();
      }
      return r;
    } finally {
      this.backupProgress = null;
    }
  }

  /** The backups in the backups folder (or another), newest first, problems included. */
  listBackups(folder: string = this.backupsDir): BackupEntry[] {
    return listBackups(folder, this.ks ? { ledgerId: this.ks.ledgerId } : {});
  }

  /** Check a backup before restoring it: its date, counts and audit head, or a refusal. */
  verifyBackup(path: string): Promise<VerifiedBackup> {
    const { key, keystore } = this.openKeys();
    return verifyBackup(path, { key, ledgerId: keystore.ledgerId, ...(this.o.migrationsFolder ? { migrationsFolder: this.o.migrationsFolder } : {}) });
  }

  /**
   * 恢复: replace the ledger with a verified backup; the current ledger is kept in the backups
   * folder (恢复前-…). Every session ends afterwards (the restored ledger may not hold the same
   * accounts): everyone logs in again, and the anchor check passes.
   */
  async restore(session: Session, backupPath: string): Promise<RestoreResult> {
    const { key, keystore } = this.openKeys();
    const k = Buffer.from(key);
    let closed = false;
    try {
      return await restoreBackup({
        ledgerPath: this.path, backupPath, key: k, keystore, backupsDir: this.backupsDir, clock: this.o.clock, ids: this.o.ids, user: session.user,
        ...(this.o.migrationsFolder ? { migrationsFolder: this.o.migrationsFolder } : {}), ...this.versionOpt(),
        closeLedger: () => {
          closed = true;
          this.scheduler?.stop();
          this.ledgerOpen?.close();
          this.ledgerOpen = null;
        },
      });
    } finally {
      k.fill(0);
      if (closed) this.close();
    }
  }

  private startSchedule(): void {
    if (!this.o.scheduleBackups || this.scheduler?.active) return;
    if (!this.scheduler) {
      const last = this.listBackups().find((e) => e.reason === 'schedule' && e.problems.length === 0);
      this.scheduler = new BackupScheduler({
        now: () => this.o.clock.now(),
        lastRunAt: last?.createdAt ? Date.parse(last.createdAt) : null,
        run: async () => {
          await this.backup('schedule');
          this.lastBackupError = null;
        },
        onError: (e) => {
          this.lastBackupError = e instanceof DomainError ? { reason: e.reason ?? e.code, message: e.message } : { reason: 'backup_failed', message: '定时备份未完成。' };
        },
      });
    }
    this.scheduler.start();
  }

  /** The engine's today (its clock decides what is overdue). */
  today(): string {
    return this.o.clock.today();
  }

  /** The office of the open ledger (for the start screen), or null. */
  office() {
    if (!this.ledgerOpen) return null;
    return getOffice(this.bareContext());
  }
}
