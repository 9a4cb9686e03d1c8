/**
 * Every refusal of the package container: one machine-readable reason and one zh-CN sentence
 * each (docs/exchange-format.md §4.6). `detail` (English, for logs and tests) is never shown.
 *
 * Codes, so the UI can group them:
 * - 'CORRUPT': the file is damaged, cut short, forged, or breaks a limit (nothing in it is used);
 * - 'FORBIDDEN': the file may be intact but is not for us: signed by an office we do not trust,
 *   or encrypted to keys we do not hold;
 * - 'VALIDATION': our own caller's mistake (writer input), or a format version this software
 *   cannot read (the file is fine: the software is old);
 * - 'UNAVAILABLE': the disk refused (no space, read-only stick, missing folder).
 * The age layer's own reasons (AGE_ERROR_REASONS) pass through unchanged, except age_no_identity,
 * which becomes package_recipient.
 */
import { DomainError, type ErrorCode } from '../../domain/errors.js';
import { AGE_ERROR_REASONS, AgeError, type AgeErrorReason } from '../age/index.js';

export const PACKAGE_ERROR_REASONS = {
  package_magic: '这不是交换包文件（文件标识不符）。',
  package_version: '此交换包的格式版本不受支持：它可能由更新版本的软件生成，请升级本软件后再导入。',
  package_header: '交换包已损坏：包头格式不正确。',
  package_signature: '交换包签名无效：文件可能被篡改，或并非由该单位发出。',
  package_unknown_sender: '交换包来自尚未确认密钥的单位：请先添加其公钥卡并电话核对指纹。',
  package_payload_hash: '交换包已损坏或被篡改：数据内容与包头记录的校验值不符。',
  package_truncated: '交换包不完整：文件在结尾前被截断（可能未拷贝完整）。',
  package_trailing_data: '交换包已损坏：文件结尾后还有多余内容。',
  package_recipient: '此交换包不是发给本单位的：没有可解密它的密钥，或口令错误。',
  package_entry: '交换包已损坏：内部数据格式不正确。',
  package_limits: '交换包超出允许的大小限制，已拒绝导入。',
  package_blob_hash: '交换包中的证据文件与其校验值不符，文件可能被篡改。',
  package_input: '交换包操作的参数不正确。',
  package_io: '读写交换包文件失败。',
} as const;

export type PackageErrorReason = keyof typeof PACKAGE_ERROR_REASONS;

/** Every reason a package operation can fail with: ours, and age's passed through. */
export const ALL_PACKAGE_REASONS: ReadonlySet<string> = new Set([...Object.keys(PACKAGE_ERROR_REASONS), ...Object.keys(AGE_ERROR_REASONS)]);

const CODES: Record<PackageErrorReason, ErrorCode> = {
  package_magic: 'CORRUPT',
  package_version: 'VALIDATION',
  package_header: 'CORRUPT',
  package_signature: 'CORRUPT',
  package_unknown_sender: 'FORBIDDEN',
  package_payload_hash: 'CORRUPT',
  package_truncated: 'CORRUPT',
  package_trailing_data: 'CORRUPT',
  package_recipient: 'FORBIDDEN',
  package_entry: 'CORRUPT',
  package_limits: 'CORRUPT',
  package_blob_hash: 'CORRUPT',
  package_input: 'VALIDATION',
  package_io: 'UNAVAILABLE',
};

export class PackageError extends DomainError {
  override readonly reason: PackageErrorReason;
  /** English detail for logs and tests; not for the user. */
  readonly detail: string;

  constructor(reason: PackageErrorReason, detail: string, opts: { message?: string; code?: ErrorCode; field?: string; cause?: unknown } = {}) {
    super(opts.code ?? CODES[reason], opts.message ?? PACKAGE_ERROR_REASONS[reason], opts.field === undefined ? { reason } : { reason, field: opts.field });
    this.reason = reason;
    this.detail = detail;
    if (opts.cause !== undefined) this.cause = opts.cause;
  }
}

export const fail = (reason: PackageErrorReason, detail: string, message?: string): PackageError =>
  new PackageError(reason, detail, message === undefined ? {} : { message });

/** A caller's argument that is wrong ('VALIDATION', field named). */
export const badInput = (field: string, message: string, detail = message): PackageError =>
  new PackageError('package_input', detail, { message: `交换包操作的参数不正确：${message}`, field });

/** A limit the reader enforces, named in the message. */
export const overLimit = (what: string, limit: string, detail: string): PackageError =>
  fail('package_limits', detail, `交换包超出允许的大小限制（${what}不超过${limit}），已拒绝导入。`);

const IO_MESSAGES: Record<string, string> = {
  ENOSPC: '磁盘空间不足',
  EDQUOT: '磁盘空间不足',
  EACCES: '没有权限或介质为只读',
  EPERM: '没有权限或介质为只读',
  EROFS: '介质为只读',
  ENOENT: '文件或文件夹不存在',
  EISDIR: '所选路径是文件夹',
  EIO: '介质读写出错',
};

/**
 * Any thrown value as one of our errors: DomainErrors pass (age's "no identity" becomes
 * package_recipient), file-system errors become package_io, anything else `fallback`.
 */
export function toPackageError(e: unknown, fallback: PackageErrorReason): DomainError {
  if (e instanceof AgeError && (e.reason as AgeErrorReason) === 'age_no_identity') {
    return new PackageError('package_recipient', e.detail, { cause: e });
  }
  if (e instanceof DomainError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const why = IO_MESSAGES[code] ?? '文件读写出错';
    return new PackageError('package_io', `${code}: ${e.message}`, { message: `读写交换包文件失败：${why}（${code}）。`, cause: e });
  }
  return new PackageError(fallback, e instanceof Error ? `${e.name}: ${e.message}` : String(e), { cause: e });
}
