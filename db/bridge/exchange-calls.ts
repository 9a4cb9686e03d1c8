/**
 * 数据交换 over the bridge: 导出交换包, 导入交换包 (preview, then import, which also writes the
 * receipt), 导入回执 and 交换记录 (db/exchange/transfer.ts); 首次联络包 (db/exchange/first-contact.ts:
 * export with a passphrase, the sender's card from its header; preview and import take the passphrase).
 *
 * Files, not ledger rows: export, preview and import read and write package files and await while
 * they stream, so (like the backup channels) they run outside the dispatcher's transaction
 * ("outside calls"); the engine opens its own transactions, and after each call the host writes
 * the audit anchor (`committed`).
 *
 * Where the files are: every package and receipt written here goes into the ledger's exchange
 * folder, `交换包` beside the ledger file (created on demand), one sub-folder per partner office
 * (the engine's file names count per partner, so two partners' first packages of a day would
 * otherwise take the same name). In the desktop app the user may instead pick a folder (a USB
 * stick) with the system dialog (`ShellHooks.chooseFolder`), and packages to import come from the
 * system's open dialog (`ShellHooks.choosePackage`). The browser harness has no dialogs: it uploads
 * the picked file into `交换包/收到` and offers written files for download (scripts/preview-server.ts).
 *
 * Rights: `exchange.run` on every channel, checked before the argument is read; including clues
 * in a package also needs `clue.read` (a user who may not read clues may not send them). A user
 * without `clue.read` sees the import preview's clue lines without their values.
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defineCall, defineQuery } from '../core/call.js';
import type { ServiceContext } from '../core/context.js';
import { can, requirePermission } from '../core/permissions.js';
import { DomainError } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { localLabel } from '../exchange/labels.js';
import { MAX_SCOPE_IDS, SCOPE_MODES } from '../exchange/scope.js';
import { OFFICE_KINDS } from '../domain/enums.js';
import { exportFirstContact, firstContactCard, suggestPassphrase } from '../exchange/first-contact.js';
import { MAX_PASSPHRASE_CHARS } from '../exchange/passphrase.js';
import {
  deliveryHistory, exportPackage, importPackage, importReceipt, previewPackage, withdrawFirstContact, writeReceipt, type ImportResult, type PackagePreview,
} from '../exchange/transfer.js';
import type { LedgerHost, Session } from '../session/host.js';
import { ledgerFileCall, refusedFileCall, type OutsideCall, type ShellHooks } from './session-calls.js';

/** The ledger's exchange folder: `交换包` beside the ledger file. */
export function exchangeDirOf(ledgerPath: string): string {
  return join(dirname(ledgerPath), '交换包');
}

/** Where the browser harness puts uploaded packages and receipts (inside the exchange folder). */
export const RECEIVED_SUBDIR = '收到';

/** A folder name from an office name: no separators or characters Windows refuses. */
export function folderName(s: string): string {
  return s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '').trim().slice(0, 60) || 'office';
}

/** Tables whose content is clue data (敏感): only users who may read clues see their values. */
const CLUE_TABLES = new Set(['clues', 'clue_dispositions']);

const pathArg = (label: string) => f.text(label, 1000);
const exportArg = f.args({
  partnerId: f.id('交换单位'),
  /** 范围 (db/exchange/scope.ts; absent: 自上次确认以来), and what it names: only its mode's fields are read. */
  scope: f.optOneOf(SCOPE_MODES, '导出范围'),
  roundId: f.optId('巡视轮次'),
  unitIds: f.list(f.id('被巡视单位'), '被巡视单位', MAX_SCOPE_IDS),
  problemIds: f.list(f.id('问题'), '问题', MAX_SCOPE_IDS),
  from: f.optDate('起始日期'),
  to: f.optDate('截止日期'),
  includeClues: f.bool('包含问题线索'),
  /** Desktop: ask for a folder (a USB stick) instead of the exchange folder. */
  toFolder: f.bool('导出到其他文件夹'),
});
/** 口令: only for a passphrase package (首次联络包); ignored for any other. */
const passphraseArg = f.optText('口令', MAX_PASSPHRASE_CHARS);
const previewArg = f.args({ path: pathArg('交换包文件'), passphrase: passphraseArg });
const importArg = f.args({ path: pathArg('交换包文件'), confirmDeletions: f.bool('确认删除'), passphrase: passphraseArg });
const firstContactArg = f.args({
  recipientName: f.text('收件单位名称', 200),
  recipientKind: f.oneOf(OFFICE_KINDS.codes, '收件单位类型'),
  passphrase: f.text('口令', MAX_PASSPHRASE_CHARS),
  includeClues: f.bool('包含问题线索'),
  toFolder: f.bool('导出到其他文件夹'),
});
const cardOfArg = f.args({ path: pathArg('交换包文件') });
const receiptArg = f.args({ path: pathArg('回执文件') });
const pickArg = f.args({ kind: f.oneOf(['changes', 'receipt'] as const, '文件类型') });

/** An exchange channel: the exchange right, checked before the argument is read (session-calls.ts). */
function exchangeCall<S extends f.v.GenericSchema, R>(
  arg: S, ctxOf: () => ServiceContext, run: (ctx: ServiceContext, a: f.v.InferOutput<S>) => Promise<R>,
): OutsideCall<S, Promise<R>> {
  return ledgerFileCall('exchange.run', arg, ctxOf, run);
}

/** The engine's preview or import result as this user may see it: clue values only with `clue.read`. */
function redact<T extends { preview: PackagePreview['preview'] }>(ctx: ServiceContext, r: T): T {
  if (can(ctx.user, 'clue.read')) return r;
  const items = r.preview.items.map((i) => (CLUE_TABLES.has(i.table) ? { ...i, from: null, to: null } : i));
  return { ...r, preview: { ...r.preview, items } } as T;
}

function officeName(ctx: ServiceContext, id: string): string | null {
  return (ctx.ledger.prepare('SELECT name FROM offices WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? null;
}

/** A package's sequence number towards its partner (第N号), from the exchange log. */
function seqOf(ctx: ServiceContext, packageId: string): number | null {
  return (ctx.ledger.prepare('SELECT seq FROM exchange_packages WHERE id = ?').get(packageId) as { seq: number } | undefined)?.seq ?? null;
}

export type ExchangeCalls = ReturnType<typeof hostExchangeCalls>;

/** The exchange channels: the host's, or refusals on an engine-only transport (no files there). */
export function exchangeCalls(session: Session, shell: ShellHooks): ExchangeCalls {
  if (shell.host) return hostExchangeCalls(session, shell, shell.host);
  const refuse = <S extends f.v.GenericSchema>(arg: S) => refusedFileCall('exchange.run', arg);
  return {
    'exchange:folder': refuse(f.NO_ARGS),
    'exchange:pick': refuse(pickArg),
    'exchange:export': refuse(exportArg),
    'exchange:exportFirstContact': refuse(firstContactArg),
    'exchange:suggestPassphrase': refuse(f.NO_ARGS),
    'exchange:firstContactCard': refuse(cardOfArg),
    'exchange:preview': refuse(previewArg),
    'exchange:import': refuse(importArg),
    'exchange:importReceipt': refuse(receiptArg),
    'exchange:history': history,
    'exchange:withdrawFirstContact': withdraw,
  } as unknown as ExchangeCalls;
}

/** 交换记录: per partner, packages sent, confirmed, received and missing (a ledger read). */
const history = defineQuery({ permission: 'exchange.run' }, (ctx) => deliveryHistory(ctx));

/** 撤回 a first-contact package whose receipt has not come back (a ledger write, no file). */
const withdraw = defineCall({ permission: 'exchange.run', arg: f.args({ packageId: f.id('首次联络包') }) }, (ctx, a) => {
  withdrawFirstContact(ctx, a.packageId);
  return { withdrawn: true as const };
});

function hostExchangeCalls(session: Session, shell: ShellHooks, hostOf: () => LedgerHost) {
  const ctxOf = () => hostOf().context(session);
  const dir = () => exchangeDirOf(hostOf().path);
  /** The partner's folder inside the exchange folder, made if missing. */
  const partnerDir = (ctx: ServiceContext, partnerId: string) => {
    const d = join(dir(), folderName(officeName(ctx, partnerId) ?? partnerId));
    mkdirSync(d, { recursive: true });
    return d;
  };
  /** Where an export goes: a folder the user picks (null: cancelled), or the default one `fallback` makes. */
  async function exportTarget(toFolder: boolean | undefined, fallback: () => string): Promise<string | null> {
    if (!toFolder) return fallback();
    if (!shell.chooseFolder) throw new DomainError('UNAVAILABLE', '当前版本不能选择文件夹，交换包将写入本机的交换包文件夹。', { reason: 'no_dialog' });
    return (await shell.chooseFolder('exchange')) || null;
  }
  /** Run engine work that writes the ledger, then let the host write the anchor (or forget staged key changes). */
  async function writing<R>(work: () => Promise<R>): Promise<R> {
    try {
      const r = await work();
      hostOf().committed();
      return r;
    } catch (e) {
      hostOf().discarded();
      throw e;
    }
  }

  return {
    /** Where packages go, and whether this transport can show the system's file and folder dialogs. */
    'exchange:folder': exchangeCall(f.NO_ARGS, ctxOf, async () => ({
      dir: dir(), received: join(dir(), RECEIVED_SUBDIR), chooseFile: !!shell.choosePackage, chooseFolder: !!shell.chooseFolder,
    })),

    /** Desktop: the system's open dialog for a package or receipt; null when cancelled. */
    'exchange:pick': exchangeCall(pickArg, ctxOf, async (_ctx, a) => {
      if (!shell.choosePackage) throw new DomainError('UNAVAILABLE', '当前版本不能打开文件选择对话框，请将文件拖入或点击选择。', { reason: 'no_dialog' });
      const path = await shell.choosePackage(a.kind);
      if (!path) return null;
      return { path, fileName: basename(path), bytes: statSync(path).size };
    }),

    /** 导出交换包 into the partner's folder (or a folder the user picks); null when the dialog was cancelled. */
    'exchange:export': exchangeCall(exportArg, ctxOf, async (ctx, a) => {
      if (a.includeClues) requirePermission(ctx, 'clue.read');
      const target = await exportTarget(a.toFolder, () => partnerDir(ctx, a.partnerId));
      if (target === null) return null;
      const r = await writing(() => exportPackage(ctx, { partnerId: a.partnerId, scope: { ...a, mode: a.scope }, includeClues: a.includeClues, dir: target }));
      return { ...r, dir: target, partnerName: officeName(ctx, a.partnerId), seq: seqOf(ctx, r.packageId) };
    }),

    /**
     * 导出首次联络包 (db/exchange/first-contact.ts) into a folder named after the recipient (or one the
     * user picks); null when the dialog was cancelled.
     */
    'exchange:exportFirstContact': exchangeCall(firstContactArg, ctxOf, async (ctx, a) => {
      if (a.includeClues) requirePermission(ctx, 'clue.read');
      const target = await exportTarget(a.toFolder, () => {
        const d = join(dir(), folderName(a.recipientName));
        mkdirSync(d, { recursive: true });
        return d;
      });
      if (target === null) return null;
      const r = await writing(() => exportFirstContact(ctx, { dir: target, passphrase: a.passphrase, recipientName: a.recipientName, recipientKind: a.recipientKind, includeClues: a.includeClues }));
      return { ...r, dir: target, partnerName: a.recipientName, seq: 1 };
    }),

    /** A passphrase made from random bytes, for the 首次联络 form (6 groups of 4, read over the phone). */
    'exchange:suggestPassphrase': exchangeCall(f.NO_ARGS, ctxOf, async () => suggestPassphrase()),

    /** The sender's card in a first-contact package's header, checked; nothing trusted or written. */
    'exchange:firstContactCard': exchangeCall(cardOfArg, ctxOf, async (ctx, a) => firstContactCard(ctx, a.path)),

    /** 导入预览: nothing is written. */
    'exchange:preview': exchangeCall(previewArg, ctxOf, async (ctx, a) => {
      const p = redact(ctx, await previewPackage(ctx, a.path, a.passphrase === null ? {} : { passphrase: a.passphrase }));
      const labels = { ...p.labels };
      for (const i of p.preview.items) {
        if (labels[i.id] || (CLUE_TABLES.has(i.table) && !can(ctx.user, 'clue.read'))) continue;
        const l = localLabel(ctx, i.table, i.id);
        if (l) labels[i.id] = l;
      }
      if (!can(ctx.user, 'clue.read')) for (const i of p.preview.items) if (CLUE_TABLES.has(i.table)) delete labels[i.id];
      return { ...p, labels, path: a.path, fileName: basename(a.path), bytes: statSync(a.path).size };
    }),

    /**
     * 导入交换包, then its 回执 into the sender's folder. The import stands even if the receipt
     * cannot be written (a full disk): the result says so, and importing again writes it.
     */
    'exchange:import': exchangeCall(importArg, ctxOf, async (ctx, a) => {
      const r: ImportResult = redact(ctx, await writing(() => importPackage(ctx, a.path, { confirmDeletions: a.confirmDeletions, ...(a.passphrase === null ? {} : { passphrase: a.passphrase }) })));
      const sender = (ctx.ledger.prepare("SELECT partner_office_id AS id FROM exchange_packages WHERE id = ? AND direction = 'received'").get(r.packageId) as { id: string } | undefined)?.id;
      let receipt: { path: string; fileName: string } | null = null;
      let receiptError: string | null = null;
      try {
        const w = await writing(() => writeReceipt(ctx, { packageId: r.packageId, dir: partnerDir(ctx, sender!) }));
        receipt = { path: w.path, fileName: w.fileName };
      } catch (e) {
        receiptError = e instanceof DomainError ? e.message : '回执未能写出。';
      }
      return { ...r, seq: seqOf(ctx, r.packageId), sender: sender ? { officeId: sender, name: officeName(ctx, sender) } : null, receipt, receiptError };
    }),

    /** 导入回执: the partner confirms a package this office sent. */
    'exchange:importReceipt': exchangeCall(receiptArg, ctxOf, async (ctx, a) => {
      const r = await writing(() => importReceipt(ctx, a.path));
      const sent = ctx.ledger.prepare('SELECT partner_office_id AS partner, seq FROM exchange_packages WHERE id = ?').get(r.refersTo) as { partner: string; seq: number } | undefined;
      return { ...r, partnerName: sent ? officeName(ctx, sent.partner) : null, seq: sent?.seq ?? null };
    }),

    'exchange:history': history,
    'exchange:withdrawFirstContact': withdraw,
  };
}
