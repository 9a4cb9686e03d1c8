/**
 * 台账与会话: the calls that come before, around and instead of a ledger call — status of the file,
 * first-run set-up, log-in, lock and unlock, log-out, recovery, conversion of a plaintext ledger.
 *
 * With a ledger host (the app, the browser harness, end-to-end tests) they run outside any ledger
 * transaction (`outside`): the ledger may not be open yet, and the host decides what to open.
 * Without one (engine tests on in-memory ledgers) they act on the ledger given in the context,
 * with the password hash kept in the users table.
 */
import { defineCall, defineQuery, type Call } from '../core/call.js';
import type { ServiceContext } from '../core/context.js';
import { appendEvent } from '../core/audit.js';
import { DomainError } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { permissionsOf, requirePermission, type Permission } from '../core/permissions.js';
import * as office from '../services/office.js';
import type { LedgerHost, Session, VerifyState } from '../session/host.js';

/** What only the transport can do (it owns which ledger file is open). */
export interface ShellHooks {
  /** The host of the ledger file now in use (it changes when the demo ledger is opened). */
  host?: () => LedgerHost;
  /** Switch to the demo ledger (generated on first use); returns the demo accounts' password. */
  openDemo?(): { password: string };
  /** Folder for the backup taken before a conversion. */
  backupDir?: () => string;
  /**
   * 备份到文件夹, 导出交换包到文件夹: ask the user for a folder (Electron's dialog); null when cancelled.
   * Without it the backup call's `folder` is used, and packages go to the ledger's exchange folder.
   */
  chooseFolder?: (purpose?: 'backup' | 'exchange') => Promise<string | null>;
  /** 导入交换包 / 导入回执: ask the user for a file (Electron's open dialog); null when cancelled. */
  choosePackage?: (kind: 'changes' | 'receipt') => Promise<string | null>;
  /** 导入Excel台账: ask the user for a workbook (.xlsx, .xls, .csv); null when cancelled. */
  chooseWorkbook?: () => Promise<string | null>;
  /**
   * 导出台账, report drafts, charts: ask the user where to save a file the engine writes (Electron's
   * save dialog, `suggestedName` filled in); null when cancelled. Without it (the browser harness)
   * files go into the ledger's 导出 folder and the page downloads them (db/bridge/file-calls.ts).
   */
  chooseSavePath?: (kind: SaveKind, suggestedName: string) => Promise<string | null>;
  /**
   * 另存为PDF: the window's page as Chromium prints it (Electron's webContents.printToPDF, the CSS
   * page size): the printed form the screen has laid out. Without it the screen opens the print
   * dialog instead, whose destinations include 另存为PDF.
   */
  printToPdf?: () => Promise<Uint8Array>;
}

/** The kinds of file the app saves for the user. */
export const SAVE_KINDS = ['xlsx', 'docx', 'pdf', 'png'] as const;
export type SaveKind = (typeof SAVE_KINDS)[number];

/** A call that runs without a ledger context or transaction (the host manages its own). */
export type OutsideCall<S extends f.v.GenericSchema = f.v.GenericSchema, R = unknown> = Call<S, R> & { readonly outside: true };

export function outsideCall<S extends f.v.GenericSchema, R>(arg: S, run: (a: f.v.InferOutput<S>) => R): OutsideCall<S, R> {
  const call = defineCall({ arg }, (_ctx: ServiceContext, a) => run(a));
  return Object.assign(call, { outside: true as const });
}

/**
 * An outside call on the session's ledger (files: exchange packages, workbooks, saved files): the
 * right is checked before the argument is read (defineCall's order), on the session's context (the
 * host refuses a closed or locked ledger), and a ledger busy with a long import refuses it.
 */
export function ledgerFileCall<S extends f.v.GenericSchema, R>(
  permission: Permission, arg: S, ctxOf: () => ServiceContext, run: (ctx: ServiceContext, a: f.v.InferOutput<S>) => Promise<R>,
): OutsideCall<S, Promise<R>> {
  const call = (_ctx: ServiceContext, raw?: unknown): Promise<R> => {
    const ctx = ctxOf();
    requirePermission(ctx, permission);
    if (ctx.ledger.state.busy) throw new DomainError('LOCKED', ctx.ledger.state.busy, { reason: 'busy' });
    if (Array.isArray(raw)) throw new DomainError('VALIDATION', '请求内容不完整。', { field: 'input', reason: 'not_object' });
    return run(ctx, f.parse(arg, raw));
  };
  return Object.assign(call, { arg, permission, outside: true as const });
}

/** Such a call on an engine-only transport (no ledger file, no dialogs): refused, after its right. */
export function refusedFileCall<S extends f.v.GenericSchema>(permission: Permission, arg: S): OutsideCall<S, Promise<never>> {
  const unavailable = (): never => {
    throw new DomainError('UNAVAILABLE', '当前版本不支持此操作。');
  };
  return ledgerFileCall(permission, arg, unavailable, async () => unavailable());
}

export function isOutside(h: unknown): boolean {
  return typeof h === 'function' && (h as { outside?: unknown }).outside === true;
}

const loginArg = f.args({ username: f.text('用户名', 32), password: f.v.string('请填写密码。') });
const passwordArg = f.args({ password: f.v.string('请填写密码。') });
const recoverArg = f.args({ recoveryKey: f.text('恢复密钥', 64), username: f.text('用户名', 32), newPassword: f.v.string('请填写新密码。') });

const archiveOpenArg = f.args({ path: f.text('归档文件位置', 1000), recoveryKey: f.text('恢复密钥', 64) });

const backupPathArg = f.args({ path: f.text('备份文件', 1000) });
const folderArg = f.args({ folder: f.optText('文件夹', 1000) });

/** What the shell shows of the background verification: progress, then the verdict's words. */
function verifySummary(v: VerifyState | null) {
  if (!v) return null;
  const d = v.verdict;
  return {
    running: v.running,
    progress: v.progress,
    severity: d ? d.severity : v.error ? ('corrupt' as const) : null,
    message: d ? d.message : v.error ? `核验未能完成：${v.error}` : null,
    details: d ? d.details.slice(0, 20) : [],
  };
}

const withRights = <U extends ServiceContext['user']>(u: U) => (u ? { ...u, permissions: permissionsOf(u) } : null);

/**
 * The session channels. Their types (the contract's) are the host's; the engine-only variant
 * answers with the same shapes.
 */
export function sessionCalls(session: Session, shell: ShellHooks): HostSessionCalls {
  const hostOf = shell.host;
  if (!hostOf) return memorySessionCalls(session, shell) as unknown as HostSessionCalls;
  return hostSessionCalls(session, shell, hostOf);
}

type HostSessionCalls = ReturnType<typeof hostSessionCalls>;

function hostSessionCalls(session: Session, shell: ShellHooks, hostOf: () => LedgerHost) {
  return {
    // `today` is the engine's date (its clock decides what is overdue); the page uses it too.
    'ledger:status': outsideCall(f.NO_ARGS, () => {
      const host = hostOf();
      const st = host.status();
      return {
        state: st.state, problem: st.problem ?? null, setUp: st.state !== 'new', office: host.office(),
        today: host.today(), anchor: host.anchorVerdict && !host.anchorVerdict.ok ? host.anchorVerdict : null,
        verify: session.user && !session.locked ? verifySummary(host.verification) : null,
      };
    }),
    'ledger:setup': outsideCall(office.setupLedger.arg, (a) => {
      const out = hostOf().setup(session, a);
      return { ...out, user: withRights(session.user) };
    }),
    'ledger:openDemo': outsideCall(f.NO_ARGS, () => {
      if (hostOf().status().state !== 'new') throw new DomainError('CONFLICT', '本机台账已经建立，不能在此切换到演示台账。', { reason: 'already_set_up' });
      if (!shell.openDemo) throw new DomainError('UNAVAILABLE', '当前版本不能打开演示台账。');
      session.user = null;
      return shell.openDemo();
    }),
    'ledger:convert': outsideCall(passwordArg, (a) => {
      if (!shell.backupDir) throw new DomainError('UNAVAILABLE', '当前版本不能转换台账。');
      return hostOf().convert(session, a.password, shell.backupDir());
    }),
    'session:login': outsideCall(loginArg, (a) => withRights(hostOf().login(session, a.username, a.password))),
    'session:recover': outsideCall(recoverArg, (a) => withRights(hostOf().recover(session, a.recoveryKey, a.username, a.newPassword))),
    'session:lock': outsideCall(f.NO_ARGS, () => {
      hostOf().lock(session);
      return null;
    }),
    'session:unlock': outsideCall(passwordArg, (a) => withRights(hostOf().unlock(session, a.password))),
    'session:logout': outsideCall(f.NO_ARGS, () => {
      hostOf().logout(session);
      return null;
    }),
    'archive:open': outsideCall(archiveOpenArg, (a) => hostOf().openArchiveView(session, a.path, a.recoveryKey)),
    'archive:close': outsideCall(f.NO_ARGS, () => {
      hostOf().closeArchiveView(session);
      return null;
    }),
    // 备份与恢复 (db/backup/): the host runs the long work in a worker thread.
    'backup:list': outsideCall(f.NO_ARGS, () => {
      const host = hostOf();
      requirePermission(host.context(session), 'ledger.read');
      return { dir: host.backupsDir, entries: host.listBackups(), progress: host.backupProgress, lastError: host.lastBackupError };
    }),
    'backup:create': outsideCall(f.NO_ARGS, async () => {
      const host = hostOf();
      requirePermission(host.context(session), 'ledger.read');
      return host.backup('manual', { session });
    }),
    'backup:toFolder': outsideCall(folderArg, async (a) => {
      const host = hostOf();
      requirePermission(host.context(session), 'settings.write');
      const folder = shell.chooseFolder ? await shell.chooseFolder() : a.folder;
      if (!folder) return null;
      return host.backup('folder', { folder, session });
    }),
    'backup:verify': outsideCall(backupPathArg, async (a) => {
      const host = hostOf();
      requirePermission(host.context(session), 'settings.write');
      return host.verifyBackup(a.path);
    }),
    'backup:restore': outsideCall(backupPathArg, async (a) => {
      const host = hostOf();
      requirePermission(host.context(session), 'settings.write');
      return host.restore(session, a.path);
    }),
    'audit:verify': outsideCall(f.NO_ARGS, () => verifySummary(hostOf().reverify(session))),
    'session:current': outsideCall(f.NO_ARGS, () => {
      if (!session.user) return null;
      // Rights read afresh (a deactivated user's session ends here).
      if (!session.locked) hostOf().context(session);
      return session.user ? { ...withRights(session.user)!, locked: session.locked === true } : null;
    }),
  };
}

/** The same channels for an engine-only transport over a ledger given in the context. */
function memorySessionCalls(session: Session, shell: ShellHooks) {
  const noHost = () => {
    throw new DomainError('UNAVAILABLE', '当前版本不支持此操作。');
  };
  return {
    'ledger:status': defineQuery({}, (ctx) => ({
      state: office.isSetUp(ctx) ? ('encrypted' as const) : ('new' as const), problem: null, setUp: office.isSetUp(ctx), office: office.getOffice(ctx),
      today: ctx.clock.today(), anchor: null, verify: null,
    })),
    'ledger:setup': defineCall({ arg: office.setupLedger.arg }, (ctx, a) => {
      const out = office.setupLedger(ctx, a);
      session.user = office.actingUserById(ctx, out.adminId);
      return { recoveryKey: '', officeId: out.officeId, user: withRights(session.user) };
    }),
    'ledger:openDemo': defineQuery({}, (ctx) => {
      if (office.isSetUp(ctx)) throw new DomainError('CONFLICT', '本机台账已经建立，不能在此切换到演示台账。', { reason: 'already_set_up' });
      if (!shell.openDemo) throw new DomainError('UNAVAILABLE', '当前版本不能打开演示台账。');
      session.user = null;
      return shell.openDemo();
    }),
    'ledger:convert': defineCall({ arg: passwordArg }, noHost),
    'session:login': defineCall({ arg: loginArg }, (ctx, a) => {
      const user = office.login(ctx, a);
      session.user = office.actingUserById(ctx, user.id);
      session.locked = false;
      appendEvent({ ...ctx, user: session.user }, { action: 'login', entity: 'session', entityId: user.id, detail: null });
      return withRights(session.user);
    }),
    'session:recover': defineCall({ arg: recoverArg }, noHost),
    'session:lock': defineQuery({}, () => {
      session.locked = session.user !== null;
      return null;
    }),
    'session:unlock': defineCall({ arg: passwordArg }, noHost),
    'session:logout': defineQuery({}, () => {
      session.user = null;
      session.locked = false;
      return null;
    }),
    'archive:open': defineCall({ arg: archiveOpenArg }, noHost),
    'archive:close': defineQuery({}, () => null),
    'audit:verify': defineCall({ arg: f.NO_ARGS }, noHost),
    'session:current': defineQuery({}, (ctx) => (ctx.user ? { ...withRights(ctx.user)!, locked: session.locked === true } : null)),
    'backup:list': defineQuery({}, noHost),
    'backup:create': defineQuery({}, noHost),
    'backup:toFolder': defineCall({ arg: folderArg }, noHost),
    'backup:verify': defineCall({ arg: backupPathArg }, noHost),
    'backup:restore': defineCall({ arg: backupPathArg }, noHost),
  };
}
