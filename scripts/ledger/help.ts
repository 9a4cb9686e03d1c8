/** `npm run ledger -- --help` and `help <command>`: every command in Chinese and English. */
import { COMMANDS, type CommandSpec } from './spec.js';

const COMMON = [
  '通用选项 / common options:',
  '  --ledger FILE        台账文件（加密台账，钥匙文件为 FILE.keys）/ the ledger file (encrypted; its key file is FILE.keys)',
  '  --user NAME          以该用户登录；默认为管理员（第一个启用的管理员账户）/ log in as this user; default: the administrator (the first active admin account)',
  '  --password-file F    从文件 F 读取密码（“-”为标准输入），或用环境变量 XZ_PASSWORD_FILE；不接受 --password /',
  '                       read the password from file F ("-": standard input) or from the file named by XZ_PASSWORD_FILE; --password is refused',
  '  --json               在标准输出上只输出一个 JSON 对象 / print exactly one JSON object on standard output',
  '  --help, -h           显示说明 / show this help',
];

const TAIL = [
  '同一台账同时只运行一个命令；桌面应用中有人登录该台账时，命令拒绝执行（ledger_in_use）。',
  'One command at a time per ledger; a command is refused (ledger_in_use) while someone is logged in to that ledger in the desktop app.',
  '',
  '退出码 / exit codes:',
  '  0  成功 / success',
  '  1  拒绝：交换包、输入或密码不被接受；除非错误说明另有所述，台账未改变 / refused: the package, an input or the password was not accepted; unless the message says otherwise, the ledger is unchanged',
  '  2  用法错误：未知命令或选项、缺少参数、缺少密码文件 / usage error: unknown command or option, missing argument, missing password file',
  '',
  '出错时标准错误上输出一行“错误 <reason>: <说明>”（reason 为引擎的稳定代码）；加 --json 时标准输出上另有 {"error":{"code","reason","message"}}。',
  'On failure one line "错误 <reason>: <message>" goes to standard error (reason: the engine\'s stable code); with --json, {"error":{"code","reason","message"}} also goes to standard output.',
];

function commandLines(c: CommandSpec, detail: boolean): string[] {
  const lines = [detail ? `用法 / usage: npm run ledger -- ${c.usage}` : `  ${c.usage}`, `      ${c.zh}`, `      ${c.en}`];
  if (detail) for (const m of c.more ?? []) lines.push(`      ${m.zh}`, `      ${m.en}`);
  return lines;
}

export function generalHelp(): string {
  return [
    '巡视整改监督台账 命令行工具：与桌面应用使用同一引擎，用于数据交换等批量操作。',
    'Command-line tool of the 巡视整改监督台账 ledger: the same engine as the desktop app, for exchange and other batch work.',
    '',
    '用法 / usage: npm run ledger -- <命令 command> [参数 arguments] [选项 options]',
    '',
    '命令 / commands:',
    ...COMMANDS.flatMap((c) => commandLines(c, false)),
    '',
    ...COMMON,
    '',
    ...TAIL,
  ].join('\n');
}

/** The help of the commands whose name starts with `words` (e.g. "partner" gives all three). */
export function commandHelp(words: readonly string[]): string | null {
  const name = words.join(' ');
  const found = COMMANDS.filter((c) => c.name === name || c.name.startsWith(`${name} `));
  if (found.length === 0) return null;
  return [
    ...found.flatMap((c) => [...commandLines(c, true), '']),
    ...(found.every((c) => c.ledger === 'none') ? [] : [...COMMON, '']),
    ...TAIL,
  ].join('\n');
}
