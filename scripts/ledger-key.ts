/**
 * `npm run ledger-key -- <ledger file> [--user <name>]`: for an office's IT, the data key of an
 * encrypted ledger, so that it can be opened with a standard SQLCipher tool (e.g. Debian's
 * `sqlcipher`) without this app. The secret is read from standard input, never from the command
 * line (which other users of the machine can see): the recovery key, or with --user that user's
 * password. Nothing is written; the key is printed with the lines to paste into the tool.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CIPHER_PAGE_SIZE } from '../db/core/cipher.js';
import { parseRecoveryKey, recoveryWrap, unwrap, userWrap } from '../db/core/keystore.js';
import { keystoreOf } from '../db/core/ledger-file.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { user: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('用法：npm run ledger-key -- <台账文件> [--user 用户名]   （恢复密钥或密码从标准输入读取）');
  process.exit(2);
}
const ks = keystoreOf(file);
if (!ks) {
  console.error(`找不到钥匙文件：${file}.keys`);
  process.exit(1);
}
if (process.stdin.isTTY) console.error(values.user ? `请输入用户 ${values.user} 的密码，然后按回车：` : '请输入恢复密钥，然后按回车：');
const secret = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
let key: Buffer | null = null;
if (values.user) {
  const w = userWrap(ks, values.user);
  key = w ? unwrap(ks.ledgerId, w, secret) : null;
} else {
  const parsed = parseRecoveryKey(secret);
  if (!parsed.ok) {
    console.error(parsed.reason === 'recovery_key_typo' ? '恢复密钥校验不符，可能有输入错误，请逐组核对。' : '恢复密钥应为8组、每组4个字符。');
    process.exit(1);
  }
  const w = recoveryWrap(ks);
  key = w ? unwrap(ks.ledgerId, w, parsed.key) : null;
}
if (!key) {
  console.error(values.user ? '用户名或密码不正确。' : '恢复密钥不正确：它不属于这份台账。');
  process.exit(1);
}
console.log(`数据密钥：${key.toString('hex')}`);
console.log('在 sqlcipher 中依次输入：');
console.log(`  PRAGMA key = "x'${key.toString('hex')}'";`);
console.log(`  PRAGMA cipher_page_size = ${CIPHER_PAGE_SIZE};`);
