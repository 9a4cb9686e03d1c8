/**
 * 首次联络包 on the command line (db/exchange/first-contact.ts): `export --first-contact`, the
 * passphrase from a file (--passphrase-file or XZ_PASSPHRASE_FILE; never on the command line), and
 * the sender's card from a package's header for `partner add --from-package`.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { OFFICE_KINDS } from '../../db/domain/enums.js';
import { DomainError } from '../../db/domain/errors.js';
import { exportFirstContact, suggestPassphrase } from '../../db/exchange/first-contact.js';
import { exportCard } from '../../db/services/partners.js';
import { UsageError, oneOf, required, type Values } from './args.js';
import { withLedger } from './session.js';

const HINT = '（运行 npm run ledger -- help export 查看用法）';

/** The passphrase from --passphrase-file, else the file XZ_PASSPHRASE_FILE names; undefined when neither is given. */
export function readPassphrase(values: Values): string | undefined {
  const file = values['passphrase-file'] ?? process.env.XZ_PASSPHRASE_FILE;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError('passphrase_file_missing', `无法读取口令文件：${file}（${(e as NodeJS.ErrnoException).code ?? '错误'}）。`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.trim() === '') throw new UsageError('passphrase_empty', `口令文件是空的：${file}。`);
  return passphrase;
}

/** The passphrase as an option bag for previewPackage / importPackage. */
export const passphraseOption = (values: Values): { passphrase?: string } => {
  const p = readPassphrase(values);
  return p === undefined ? {} : { passphrase: p };
};

/**
 * `export --first-contact --to-name NAME --to-kind KIND [--passphrase-file F] [--clues] --out DIR`.
 * Without a passphrase file, one is made (6 groups of 4) and printed, to be told by phone.
 */
export function exportFirstContactCmd(values: Values, usage: string) {
  for (const o of ['to', 'full', 'round', 'unit', 'problem', 'from', 'until'] as const) {
    const v = values[o];
    if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)) {
      throw new UsageError('scope_conflict', `首次联络包包含对方可接收的全部记录，不能与 --${o} 同时使用${HINT}`);
    }
  }
  const name = values['to-name'];
  const kind = values['to-kind'];
  if (!name || !kind) throw new UsageError('missing_option', `首次联络包须给出 --to-name 和 --to-kind。用法：npm run ledger -- ${usage}`);
  const recipientKind = oneOf(kind, OFFICE_KINDS.codes, 'to-kind');
  const out = resolve(required(values, 'out', usage));
  const given = readPassphrase(values);
  const passphrase = given ?? suggestPassphrase();
  return withLedger(values, usage, async (l) => {
    const made = !existsSync(out);
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      throw new DomainError('UNAVAILABLE', `无法建立文件夹：${out}（${(e as NodeJS.ErrnoException).code ?? 'EIO'}）。`, { reason: 'folder_unavailable' });
    }
    let r;
    try {
      r = await exportFirstContact(l.ctx(), { dir: out, passphrase, recipientName: name, recipientKind, includeClues: values.clues === true });
    } catch (e) {
      if (made) {
        try {
          rmdirSync(out);
        } catch {
          // not empty: left as it is
        }
      }
      throw e;
    }
    const fingerprint = exportCard(l.ctx()).fingerprint;
    return {
      json: { ...r, firstContact: true, recipientName: name, recipientKind, fingerprint, ...(given === undefined ? { passphrase } : {}) },
      text: [
        `已导出首次联络包：${r.path}`,
        `  发给：${name}（${OFFICE_KINDS.labels[recipientKind]}），对方可接收的全部记录`,
        `  ${r.bytes} 字节，${r.records} 条记录（版本 0 至 ${r.untilVersion}）`,
        `  编号 ${r.packageId}`,
        ...(given === undefined ? [`  口令（请电话告知对方，勿与交换包放在一起）：${passphrase}`] : ['  口令：口令文件中的口令（请电话告知对方）']),
        `  本单位指纹（请电话向对方读出，供其核对）：${fingerprint}`,
        '对方核对指纹、导入后会写出回执；导入回执前，请先添加对方的公钥卡并核对指纹（partner add）。',
      ],
    };
  });
}
