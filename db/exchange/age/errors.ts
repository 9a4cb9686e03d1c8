/**
 * Every refusal of the age layer: one machine-readable reason and one zh-CN sentence each.
 *
 * A damaged or hostile file is 'CORRUPT'; a bad argument from our own caller (a malformed
 * recipient string, an empty passphrase) is 'VALIDATION'. The reasons follow the stages of the
 * C2SP age test kit (header, header MAC, no match, payload, armor) so that a test can tell a
 * parsing failure from a later one; `detail` (English, for logs) is never shown to the user.
 */
import { DomainError } from '../../domain/errors.js';

export const AGE_ERROR_REASONS = {
  // Header stage: the file is not a well-formed age v1 header (or its nonce is missing).
  age_header: '交换包已损坏：加密头格式不正确或不完整。',
  age_version: '交换包的加密格式版本不受支持。',
  age_scrypt_work_factor: '交换包的口令加密强度参数过大，已拒绝解密。',
  // The header parsed and a key unwrapped, but the header MAC does not match.
  age_header_mac: '交换包已损坏或被篡改：加密头校验失败。',
  // The header parsed, but none of our keys or passphrases opens any of its stanzas.
  age_no_identity: '没有可解密此交换包的密钥或口令（密钥不匹配或口令错误）。',
  // Payload stage (STREAM): a chunk failed, the file ends early, or data follows the end.
  age_payload: '交换包已损坏或被篡改：数据块校验失败。',
  age_truncated: '交换包不完整：文件在结尾前被截断。',
  age_trailing_data: '交换包已损坏：加密数据结束后还有多余内容。',
  // The ASCII armor (PEM) around the file is malformed.
  age_armor: '交换包已损坏：文本封装（ASCII armor）格式不正确。',
  // Caller input ('VALIDATION').
  age_recipient: '收件人公钥或口令不正确。',
  age_identity: '解密用的私钥或口令不正确。',
} as const;

export type AgeErrorReason = keyof typeof AGE_ERROR_REASONS;

const INPUT_REASONS: ReadonlySet<AgeErrorReason> = new Set(['age_recipient', 'age_identity']);

export class AgeError extends DomainError {
  override readonly reason: AgeErrorReason;
  /** English detail for logs and tests; not for the user. */
  readonly detail: string;

  constructor(reason: AgeErrorReason, detail: string, message: string = AGE_ERROR_REASONS[reason]) {
    const input = INPUT_REASONS.has(reason);
    super(input ? 'VALIDATION' : 'CORRUPT', message, input ? { reason, field: reason === 'age_recipient' ? 'recipients' : 'identities' } : { reason });
    this.reason = reason;
    this.detail = detail;
  }
}

/** A file-side failure (code 'CORRUPT'). */
export function corrupt(reason: Exclude<AgeErrorReason, 'age_recipient' | 'age_identity'>, detail: string): AgeError {
  return new AgeError(reason, detail);
}

/** A caller-side failure (code 'VALIDATION') with a specific zh-CN sentence. */
export function badInput(reason: 'age_recipient' | 'age_identity', message: string, detail = message): AgeError {
  return new AgeError(reason, detail, message);
}
