/**
 * The bodies of the `npm run ledger` commands, each over the same engine calls the app uses.
 * A command returns what it did twice: as data (printed with --json) and as zh-CN lines.
 * Files are written only where the command's arguments say (--out, --receipt-dir, beside the
 * package for a receipt) and, for the ledger itself, beside it (its key file, SQLite's -wal/-shm).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { systemClock } from '../../db/core/clock.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { TEST_KDF, keystorePath } from '../../db/core/keystore.js';
import { requirePermission } from '../../db/core/permissions.js';
import { LEVELS, OFFICE_KINDS } from '../../db/domain/enums.js';
import { DomainError } from '../../db/domain/errors.js';
import { CARD_MAX_BYTES } from '../../db/exchange/identity.js';
import { firstContactCard } from '../../db/exchange/first-contact.js';
import { openPackage, readHeader, verifyPackage, type PackageHeader } from '../../db/exchange/package/index.js';
import { normalizePassphrase } from '../../db/exchange/passphrase.js';
import { deliveryHistory, exportPackage, importPackage, importReceipt, previewPackage, writeReceipt, type ExportResult, type ImportResult, type PackagePreview } from '../../db/exchange/transfer.js';
import { listConflicts, listProposals } from '../../db/services/conflicts.js';
import { addPartner, confirmPartner, exportCard, listPartners, previewCard, trustedKeysOf } from '../../db/services/partners.js';
import { LedgerHost, type Session } from '../../db/session/host.js';
import { UsageError, exportScope, oneOf, required, type Parsed } from './args.js';
import { conflictLines, headerLines, scopeText, historyLines, officeLine, partnerLines, previewJson, previewLines } from './format.js';
import { commandHelp, generalHelp } from './help.js';
import { exportFirstContactCmd, passphraseOption, readPassphrase } from './first-contact.js';
import { lockLedger } from './lock.js';
import { ask, cancelled, readPassword, withLedger, type OpenLedger } from './session.js';
import { excelExport, excelImport } from './excel.js';
import type { CommandName } from './spec.js';

export interface Outcome {
  /** The one JSON object printed with --json. */
  json: Record<string, unknown>;
  /** What is printed on standard output without --json. */
  text: string[];
  /** Notes for standard error without --json (e.g. beside a card written to standard output). */
  notes?: string[];
}

type Body = (p: Parsed, usage: string) => Promise<Outcome>;

// ---------------------------------------------------------------------------------------------
// Files named on the command line

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'EIO';

function readSmallFile(path: string, max: number, what: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new DomainError('NOT_FOUND', `找不到${what}：${path}（${errnoOf(e)}）。`, { reason: 'file_missing' });
  }
  if (size > max) throw new DomainError('VALIDATION', `这不是${what}：文件过大。`, { reason: 'file_too_large' });
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DomainError('UNAVAILABLE', `无法读取${what}：${path}（${errnoOf(e)}）。`, { reason: 'file_unreadable' });
  }
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new DomainError('UNAVAILABLE', `无法建立文件夹：${dir}（${errnoOf(e)}）。`, { reason: 'folder_unavailable' });
  }
}

function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or gone already: left as it is.
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// init

/**
 * TESTS ONLY: with XZ_TEST_KDF=weak-keys-for-tests-only inside a vitest run (VITEST set), `init`
 * wraps the data key with TEST_KDF (scrypt N=2^10) instead of DEFAULT_KDF, so that the CLI test's
 * many log-ins are cheap (every wrap keeps its own parameters, so later log-ins follow them).
 * A real ledger made so would have passwords ~128 times cheaper to guess: the variable is not in
 * --help, and set anywhere else (or to another value) it is refused as a usage error.
 */
const TEST_KDF_SWITCH = 'weak-keys-for-tests-only';
function testKdf(): typeof TEST_KDF | null {
  const v = process.env.XZ_TEST_KDF;
  if (v === undefined) return null;
  if (v !== TEST_KDF_SWITCH || !process.env.VITEST) {
    throw new UsageError('test_kdf_refused', 'XZ_TEST_KDF 只供本项目的自动测试使用（会使密码保护极易被破解）：请取消这个环境变量后再运行。');
  }
  console.error('警告：测试用低强度密钥派生参数（XZ_TEST_KDF），此台账只能用于测试。');
  return TEST_KDF;
}

const init: Body = async ({ values }, usage) => {
  const path = resolve(required(values, 'ledger', usage));
  const officeName = required(values, 'office', usage);
  const kind = oneOf(required(values, 'kind', usage), OFFICE_KINDS.codes, 'kind');
  const level = oneOf(values.level ?? 'province', LEVELS.codes, 'level');
  const admin = required(values, 'admin', usage);
  const password = readPassword(values);
  const kdf = testKdf();
  const host = new LedgerHost({ path, clock: systemClock, ids: uuidv7Source(), verifyOnOpen: false, ...(kdf ? { kdf } : {}) });
  const session: Session = { user: null };
  let made: { recoveryKey: string; officeId: string };
  const unlock = await lockLedger(path);
  try {
    made = host.setup(session, { officeName, officeKind: kind, level, adminUsername: admin, adminDisplayName: values['display-name'] ?? admin, adminPassword: password });
    host.logout(session);
  } finally {
    host.close();
    await unlock();
  }
  const office = { name: officeName, kind, level };
  const bar = '='.repeat(64);
  return {
    json: { ledger: path, keyFile: keystorePath(path), officeId: made.officeId, office, admin, recoveryKey: made.recoveryKey },
    text: [
      `已建立台账：${path}`,
      `钥匙文件：${keystorePath(path)}（与台账放在一起，备份时一并备份）`,
      `本单位：${officeLine(office)}，单位编号 ${made.officeId}`,
      `管理员：${admin}`,
      bar,
      '恢复密钥 / RECOVERY KEY（只显示这一次 / shown this once only）：',
      '',
      `    ${made.recoveryKey}`,
      '',
      '请立即抄写或打印，与单位印章一同妥善保管：忘记密码时只能用它重设密码，它不会再次显示。',
      'Write it down or print it now and keep it with the office seal: it will not be shown again.',
      bar,
    ],
  };
};

// ---------------------------------------------------------------------------------------------
// card, partners

const card: Body = ({ values }, usage) => withLedger(values, usage, async (l) => {
  const c = exportCard(l.ctx());
  const officeId = l.ctx().ledger.state.officeId;
  if (!values.out) {
    return { json: { officeId, fingerprint: c.fingerprint, fileName: c.fileName, text: c.text }, text: [c.text.trimEnd()], notes: [`指纹（请电话向对方读出，供其核对）：${c.fingerprint}`] };
  }
  const out = resolve(values.out);
  const target = isDir(out) ? join(out, c.fileName) : out;
  try {
    writeFileSync(target, c.text);
  } catch (e) {
    throw new DomainError('UNAVAILABLE', `无法写出公钥卡：${target}（${errnoOf(e)}）。`, { reason: 'file_write' });
  }
  return {
    json: { officeId, fingerprint: c.fingerprint, fileName: c.fileName, path: target },
    text: [`公钥卡已写入：${target}`, `单位编号：${officeId}`, `指纹（请电话向对方读出，供其核对）：${c.fingerprint}`],
  };
});

const STANDING: Record<string, string> = {
  new: '新的交换单位', known: '已登记的公钥卡', key_change_signed: '对方更换了密钥（由已确认的原密钥签名，自动信任）', key_change_unsigned: '对方更换了密钥（须重新核对指纹）',
};

const partnerAdd: Body = ({ values, args }, usage) => {
  const fromPackage = values['from-package'];
  if ((args[0] === undefined) === (fromPackage === undefined)) throw new UsageError('missing_argument', `请给出公钥卡文件 CARD 或 --from-package FILE（二者选一）。用法：npm run ledger -- ${usage}`);
  const cardFile = fromPackage === undefined ? readSmallFile(resolve(args[0]!), CARD_MAX_BYTES, '公钥卡文件') : null;
  return withLedger(values, usage, async (l) => {
    // From a first-contact package: its header's card, checked against the header's signature.
    const text = cardFile ?? (await firstContactCard(l.ctx(), resolve(fromPackage!))).card;
    const pre = previewCard(l.ctx(), { card: text });
    const partner = addPartner(l.ctx(), values.fingerprint === undefined ? { card: text } : { card: text, fingerprint: values.fingerprint });
    return { json: { standing: pre.standing, partner }, text: [`已添加：${STANDING[pre.standing] ?? pre.standing}`, ...partnerLines(partner)] };
  });
};

const partnerList: Body = ({ values }, usage) => withLedger(values, usage, async (l) => {
  const partners = listPartners(l.ctx());
  return { json: { partners }, text: partners.length ? partners.flatMap(partnerLines) : ['还没有交换单位。'] };
});

const partnerConfirm: Body = ({ values, args }, usage) => {
  const fingerprint = required(values, 'fingerprint', usage);
  return withLedger(values, usage, async (l) => {
    const partner = confirmPartner(l.ctx(), { officeId: args[0], fingerprint });
    return { json: { partner }, text: ['指纹一致，已确认。', ...partnerLines(partner)] };
  });
};

// ---------------------------------------------------------------------------------------------
// Packages

const exportCmd: Body = ({ values }, usage) => {
  if (values['first-contact']) return exportFirstContactCmd(values, usage);
  if (values['to-name'] !== undefined || values['to-kind'] !== undefined || values['passphrase-file'] !== undefined) {
    throw new UsageError('missing_option', `--to-name、--to-kind、--passphrase-file 只用于首次联络包，须同时给出 --first-contact。用法：npm run ledger -- ${usage}`);
  }
  const to = required(values, 'to', usage);
  const out = resolve(required(values, 'out', usage));
  const scope = exportScope(values);
  return withLedger(values, usage, async (l) => {
    const made = !existsSync(out);
    ensureDir(out);
    let r: ExportResult;
    try {
      r = await exportPackage(l.ctx(), { partnerId: to, scope, includeClues: values.clues === true, dir: out });
    } catch (e) {
      // A refused export leaves no folder it made behind (and never a partial package: the writer's rule).
      if (made) removeEmptyDir(out);
      throw e;
    }
    return {
      json: { ...r, scope },
      text: [`已导出交换包：${r.path}`, `  范围：${scopeText({ ...scope, fromVersion: r.fromVersion, untilVersion: r.untilVersion })}`, `  ${r.bytes} 字节，${r.records} 条记录（版本 ${r.fromVersion} 至 ${r.untilVersion}）`, `  编号 ${r.packageId}`, `  SHA-256 ${r.sha256}`],
    };
  });
};

const inspect: Body = async ({ values, args }, usage) => {
  const file = resolve(args[0]!);
  const header = await readHeader(file);
  const head = headerLines(file, header);
  if (values.ledger === undefined) return { json: { file, header }, text: head };
  const verbose = values.verbose === true;
  const passphrase = passphraseOption(values);
  return withLedger(values, usage, async (l) => {
    if (header.kind !== 'changes') return { json: { file, header, preview: null }, text: [...head, '（回执没有导入预览。）'] };
    if (header.encryption === 'scrypt' && passphrase.passphrase === undefined) return { json: { file, header, preview: null }, text: [...head, '（首次联络包：加 --passphrase-file 显示导入预览。）'] };
    const p = await previewPackage(l.ctx(), file, passphrase);
    return { json: { file, header, preview: previewJson(p, verbose) }, text: [...head, ...previewLines(p, verbose)] };
  });
};

const verify: Body = ({ values, args }, usage) => {
  const file = resolve(args[0]!);
  const passphrase = readPassphrase(values);
  return withLedger(values, usage, async (l) => {
    const ctx = l.ctx();
    requirePermission(ctx, 'exchange.run');
    const header = await verifyPackage(file, (officeId) => trustedKeysOf(ctx, officeId).map((k) => Buffer.from(k.signPublic, 'base64')));
    // A first-contact package with its passphrase: that it opens, too (read through, nothing kept).
    if (header.encryption === 'scrypt' && passphrase !== undefined) for await (const _ of openPackage(file, { identities: { passphrase: normalizePassphrase(passphrase) }, verified: header }));
    const forThisOffice = header.recipients.some((r) => r.officeId === ctx.ledger.state.officeId);
    return {
      json: { file, ok: true, signature: 'valid', payload: 'valid', forThisOffice, header },
      text: [
        `核验通过：签名出自已确认指纹的交换单位“${header.sender.name}”，数据与包头记录的校验值一致。`,
        forThisOffice ? '该文件是发给本单位的。' : '注意：该文件不是发给本单位的。',
        ...headerLines(file, header),
      ],
    };
  });
};


/** On a terminal without --yes: the preview, then a question (and one more for many deletions). */
async function confirmOnTerminal(file: string, p: PackagePreview, verbose: boolean, confirmDeletions: boolean): Promise<boolean> {
  for (const line of [...headerLines(file, p.header), ...previewLines(p, verbose)]) console.error(line);
  if (!(await ask('确认导入这个交换包？/ Import this package? [y/N] '))) throw cancelled();
  if (p.needsDeletionConfirmation && !confirmDeletions) {
    if (!(await ask(`该交换包将删除 ${p.preview.deletions} 条记录，确认删除？/ It deletes ${p.preview.deletions} records: confirm? [y/N] `))) throw cancelled();
    return true;
  }
  return confirmDeletions;
}

const importCmd: Body = ({ values, args }, usage) => {
  const file = resolve(args[0]!);
  const dryRun = values['dry-run'] === true;
  const verbose = values.verbose === true;
  if (dryRun && values.yes) throw new UsageError('conflicting_options', '--dry-run 与 --yes 不能同时使用。');
  // Checked before the ledger is opened: a script without --yes changes nothing and learns why.
  if (!dryRun && !values.yes && !process.stdin.isTTY) {
    throw new UsageError('needs_confirmation', '标准输入不是终端，无法询问确认：请先用 --dry-run 查看预览，确认无误后加 --yes 导入。');
  }
  const receiptDir = values['receipt-dir'] === undefined ? null : resolve(values['receipt-dir']);
  const passphrase = passphraseOption(values);
  return withLedger(values, usage, async (l) => {
    let confirmDeletions = values['confirm-deletions'] === true;
    let header: PackageHeader;
    if (dryRun || !values.yes) {
      const p = await previewPackage(l.ctx(), file, passphrase);
      if (dryRun) {
        return {
          json: { file, packageId: p.header.packageId, sender: p.header.sender, dryRun: true, preview: previewJson(p, verbose) },
          text: [...headerLines(file, p.header), ...previewLines(p, verbose), '（预览，台账未改变。）'],
        };
      }
      if (!p.alreadyApplied) confirmDeletions = await confirmOnTerminal(file, p, verbose, confirmDeletions);
      header = p.header;
    } else {
      // --yes: no separate preview pass (importPackage checks, plans and reports the same).
      header = await readHeader(file);
    }
    const r = await importPackage(l.ctx(), file, { confirmDeletions, ...passphrase });
    // A receipt for a package imported before only when asked for (--receipt-dir): e.g. the first one was lost.
    const receipt = r.alreadyApplied && receiptDir === null ? null : await writeReceiptInto(l, r.packageId, receiptDir ?? dirname(file));
    const text = r.alreadyApplied
      ? [`该交换包已经导入过（编号 ${r.packageId}），这次没有改动台账。`]
      : [`已导入交换包：${file}`, `  来自 ${officeLine(header.sender)}`, ...resultLines(r, verbose)];
    if (receipt) text.push(`回执已写入：${receipt.path}（请交回发送单位，由其运行 receipt import）`);
    return {
      json: {
        file, packageId: r.packageId, sender: header.sender, imported: !r.alreadyApplied, alreadyApplied: r.alreadyApplied, missing: r.missing,
        counts: r.alreadyApplied ? null : r.preview.counts, ...(verbose && !r.alreadyApplied ? { items: r.preview.items } : {}), receipt,
      },
      text,
    };
  });
};

/** What an import did, in the words of its preview. */
function resultLines(r: ImportResult, verbose: boolean): string[] {
  const p = { alreadyApplied: false, missing: r.missing, preview: r.preview, needsDeletionConfirmation: false };
  return previewLines(p, verbose).map((s) => s.replace(/^导入预览/, '导入结果'));
}

async function writeReceiptInto(l: OpenLedger, packageId: string, dir: string) {
  ensureDir(dir);
  try {
    return await writeReceipt(l.ctx(), { packageId, dir });
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.code, `交换包已导入，但回执未能写出：${e.message}（可再次运行 import 并加 --receipt-dir 重新出具回执）`, e.reason === undefined ? {} : { reason: e.reason });
    throw e;
  }
}

const receiptImport: Body = ({ values, args }, usage) => {
  const file = resolve(args[0]!);
  return withLedger(values, usage, async (l) => {
    const r = await importReceipt(l.ctx(), file);
    return {
      json: { file, ...r },
      text: [r.alreadyConfirmed ? `该回执已经导入过：交换包 ${r.refersTo} 早已确认。` : `已导入回执：交换包 ${r.refersTo} 已由对方确认，下次导出从此开始。`],
    };
  });
};

const history: Body = ({ values }, usage) => withLedger(values, usage, async (l) => {
  const partners = deliveryHistory(l.ctx());
  return { json: { partners }, text: historyLines(partners) };
});

const conflicts: Body = ({ values }, usage) => withLedger(values, usage, async (l) => {
  const list = listConflicts(l.ctx());
  const proposals = listProposals(l.ctx()).filter((p) => p.status === 'pending');
  return { json: { conflicts: list, proposals }, text: conflictLines(list, proposals) };
});

const help: Body = async ({ args }) => {
  const text = args.length ? commandHelp(args) : generalHelp();
  if (text === null) throw new UsageError('unknown_command', `未知命令：${args.join(' ')}（运行 npm run ledger -- --help 查看用法）`);
  return { json: { help: text }, text: [text] };
};

export const BODIES: Record<CommandName, Body> = {
  init, card, 'partner add': partnerAdd, 'partner list': partnerList, 'partner confirm': partnerConfirm, export: exportCmd,
  inspect, verify, import: importCmd, 'receipt import': receiptImport, history, conflicts, help, 'excel-import': excelImport, 'excel-export': excelExport,
};
