/**
 * The commands of `npm run ledger`, declared once: the words that name each, the options it takes,
 * its arguments and its help in Chinese and English. Parsing (args.ts) and help (help.ts) read
 * this table; the bodies are in commands.ts.
 */

export type OptionName =
  | 'ledger' | 'user' | 'password-file' | 'json' | 'help'
  | 'office' | 'kind' | 'level' | 'admin' | 'display-name'
  | 'out' | 'fingerprint' | 'to' | 'full' | 'clues' | 'verbose'
  | 'round' | 'unit' | 'problem' | 'from' | 'until'
  | 'dry-run' | 'yes' | 'confirm-deletions' | 'receipt-dir'
  | 'first-contact' | 'to-name' | 'to-kind' | 'passphrase-file' | 'from-package'
  | 'mapping' | 'year' | 'category' | 'skip-bad-rows';

/** Every option any command takes (node:util parseArgs; which command takes which: below). */
export const OPTIONS = {
  ledger: { type: 'string' },
  user: { type: 'string' },
  'password-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  office: { type: 'string' },
  kind: { type: 'string' },
  level: { type: 'string' },
  admin: { type: 'string' },
  'display-name': { type: 'string' },
  out: { type: 'string' },
  fingerprint: { type: 'string' },
  to: { type: 'string' },
  full: { type: 'boolean' },
  round: { type: 'string' },
  unit: { type: 'string', multiple: true },
  problem: { type: 'string', multiple: true },
  from: { type: 'string' },
  until: { type: 'string' },
  clues: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  'confirm-deletions': { type: 'boolean' },
  'receipt-dir': { type: 'string' },
  'first-contact': { type: 'boolean' },
  'to-name': { type: 'string' },
  'to-kind': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'from-package': { type: 'string' },
  mapping: { type: 'string' },
  year: { type: 'string' },
  category: { type: 'string' },
  'skip-bad-rows': { type: 'boolean' },
} as const satisfies Record<OptionName, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export type CommandName =
  | 'init' | 'card' | 'partner add' | 'partner list' | 'partner confirm' | 'export' | 'inspect' | 'verify'
  | 'import' | 'receipt import' | 'history' | 'conflicts' | 'help' | 'excel-import' | 'excel-export';

export interface CommandSpec {
  name: CommandName;
  /** After `npm run ledger --`. */
  usage: string;
  /** Required positional arguments, by their names in `usage`. */
  args: readonly string[];
  /** Optional positionals beyond `args` (help's command words). */
  moreArgs?: number;
  /** Options besides --json and --help (every command takes those). */
  options: readonly OptionName[];
  /** Whether the command logs in to a ledger: always, only with --ledger, or never. */
  ledger: 'required' | 'optional' | 'none';
  zh: string;
  en: string;
  /** Further lines of `help <command>`, each in both languages. */
  more?: ReadonlyArray<{ zh: string; en: string }>;
}

const LOGIN: readonly OptionName[] = ['ledger', 'user', 'password-file'];

const PASSPHRASE = {
  zh: '--passphrase-file F：首次联络包（口令加密）的口令文件，也可用环境变量 XZ_PASSPHRASE_FILE；不接受在命令行中给出口令。',
  en: '--passphrase-file F: the passphrase of a first-contact (passphrase) package, or the file named by XZ_PASSPHRASE_FILE; never on the command line.',
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    usage: 'init --ledger FILE --office NAME --kind KIND [--level LEVEL] --admin NAME [--display-name NAME] --password-file F',
    args: [], options: ['ledger', 'office', 'kind', 'level', 'admin', 'display-name', 'password-file'], ledger: 'none',
    zh: '建立新的加密台账及其钥匙文件（FILE.keys），设置本单位和第一个管理员；恢复密钥只显示这一次。',
    en: 'Set up a new encrypted ledger and its key file (FILE.keys) with this office and its first administrator; the recovery key is shown this once only.',
    more: [
      { zh: 'KIND：inspected_unit（被巡视单位整改办）、discipline（纪检监察）、organisation（组织部门）、inspection_office（巡视办）、functional_dept（职能部门）。', en: 'KIND: inspected_unit, discipline, organisation, inspection_office, functional_dept.' },
      { zh: 'LEVEL：central、province（默认）、city、county。管理员的密码从 --password-file 读取；--display-name 默认与用户名相同。', en: 'LEVEL: central, province (default), city, county. The administrator\'s password is read from --password-file; --display-name defaults to the user name.' },
      { zh: '请把恢复密钥抄写或打印，与单位印章一同保管：忘记密码时只能用它重设密码。', en: 'Write down or print the recovery key and keep it with the office seal: it is the only way back in if every password is forgotten.' },
    ],
  },
  {
    name: 'card', usage: 'card --ledger FILE [--out FILE|DIR]', args: [], options: [...LOGIN, 'out'], ledger: 'required',
    zh: '导出本单位公钥卡（.xzcard）并显示指纹（8组，每组4位）；不给 --out 时公钥卡写到标准输出。',
    en: 'Write this office\'s card (.xzcard) and print its fingerprint (8 groups of 4); without --out the card goes to standard output.',
    more: [{ zh: '对方添加公钥卡后，请通过电话向其读出指纹，由对方核对。', en: 'Once the partner has added the card, read the fingerprint to them over the phone so they can compare it.' }],
  },
  {
    name: 'partner add', usage: 'partner add CARD|--from-package FILE --ledger FILE [--fingerprint FP]', args: [], moreArgs: 1, options: [...LOGIN, 'fingerprint', 'from-package'], ledger: 'required',
    zh: '添加交换单位（对方的公钥卡）；给出对方电话读出的指纹则立即确认，指纹不符时拒绝且不作改动。',
    en: 'Add a partner office from its card; with the fingerprint the partner read out, it is confirmed at once, and a mismatch is refused without any change.',
    more: [{
      zh: '--from-package FILE：从首次联络包的包头中取出发送单位的公钥卡（先核验其签名），再按 --fingerprint 核对确认。',
      en: '--from-package FILE: take the sender\'s card from a first-contact package\'s header (its signature checked first), then confirm it with --fingerprint.',
    }],
  },
  {
    name: 'partner list', usage: 'partner list --ledger FILE', args: [], options: LOGIN, ledger: 'required',
    zh: '列出交换单位：单位编号、类型、指纹、是否已确认。',
    en: 'List the partner offices: office id, kind, fingerprint, confirmed or not.',
  },
  {
    name: 'partner confirm', usage: 'partner confirm OFFICE_ID --ledger FILE --fingerprint FP', args: ['OFFICE_ID'], options: [...LOGIN, 'fingerprint'], ledger: 'required',
    zh: '确认指纹：输入对方电话读出的指纹，与待确认的公钥卡一致才确认。',
    en: 'Confirm a partner\'s key: the fingerprint the partner read out must match its waiting card.',
  },
  {
    name: 'export',
    usage: 'export --ledger FILE (--to OFFICE_ID [--full | --round ID | --unit ID... | --problem ID... | --from DATE --until DATE] | --first-contact --to-name NAME --to-kind KIND [--passphrase-file F]) [--clues] --out DIR',
    args: [], options: [...LOGIN, 'to', 'full', 'round', 'unit', 'problem', 'from', 'until', 'clues', 'out', 'first-contact', 'to-name', 'to-kind', 'passphrase-file'], ledger: 'required',
    zh: '向已确认的交换单位导出交换包（默认：自其上次回执确认以来的变化；也可按范围导出），显示文件路径、字节数和记录数。',
    en: 'Export a package to a confirmed partner (by default what changed since the last package it confirmed with a receipt; or a chosen scope): prints the path, bytes and records.',
    more: [
      { zh: '范围（只能选一种）：--full 对方可接收的全部记录；--round ID 一个巡视轮次；--unit ID 被巡视单位（可重复）；--problem ID 问题（可重复）；--from DATE --until DATE 在这两天之间（含）修改过的记录（日期如 2024-03-29；--to 已用于指定接收单位）。', en: 'Scope (one at most): --full every record the partner may receive; --round ID one round; --unit ID units (repeatable); --problem ID problems (repeatable); --from DATE --until DATE records changed on those days or between them (dates like 2024-03-29; --to already names the partner).' },
      { zh: '按轮次、单位、问题导出时包含该范围内的全部记录及其挂靠的整改任务、进展、证据等；按范围导出的交换包都附带所引用的记录，对方回执后不改变“自上次确认以来”的起点。', en: 'A round, unit or problem package carries every record in that scope with what hangs off it (tasks, progress, evidence…); every scoped package also carries the records they refer to, and its receipt does not move the "since the last confirmed package" point.' },
      { zh: '--clues：包含问题线索（仅限纪检监察、组织部门、巡视办）。', en: '--clues: include clues (only to discipline, organisation and inspection offices).' },
      {
        zh: '--first-contact：首次联络包，发给尚未交换公钥卡的单位（--to-name 其名称，--to-kind 其类型，同 init 的 KIND）：对方可接收的全部记录，用口令加密并附本单位公钥卡。口令至少12个字符；不给 --passphrase-file 时自动生成一个（6组，每组4位）并显示。请电话告知对方口令和本单位指纹。',
        en: '--first-contact: a first-contact package to an office whose card is not here yet (--to-name its name, --to-kind its kind, as init\'s KIND): everything it may receive, encrypted with a passphrase, this office\'s card in the header. At least 12 characters; without --passphrase-file one is made (6 groups of 4) and printed. Tell the recipient the passphrase and this office\'s fingerprint by phone.',
      },
      PASSPHRASE,
    ],
  },
  {
    name: 'inspect', usage: 'inspect FILE [--ledger FILE [--verbose] [--passphrase-file F]]', args: ['FILE'], options: [...LOGIN, 'verbose', 'passphrase-file'], ledger: 'optional',
    zh: '查看交换包或回执的包头（不解密，不需要台账；首次联络包还显示所附公钥卡的单位和指纹）；给出 --ledger 时还显示导入预览（各类记录数，--verbose 逐项列出）。',
    en: 'Show a package\'s or receipt\'s header without decrypting it (no ledger needed; for a first-contact package also the office and fingerprint of the card it carries); with --ledger also the import preview (counts; each item with --verbose).',
    more: [PASSPHRASE],
  },
  {
    name: 'verify', usage: 'verify FILE --ledger FILE [--passphrase-file F]', args: ['FILE'], options: [...LOGIN, 'passphrase-file'], ledger: 'required',
    zh: '核验交换包：签名须出自已确认指纹的交换单位，数据须与包头记录的校验值一致。',
    en: 'Verify a package: its signature against the confirmed partners\' keys, and its payload against the hash in its header.',
    more: [{ zh: '首次联络包给出口令文件时，还核验口令能否解密。', en: 'For a first-contact package with a passphrase file, also check that the passphrase opens it.' }, PASSPHRASE],
  },
  {
    name: 'import', usage: 'import FILE --ledger FILE [--dry-run] [--yes] [--confirm-deletions] [--receipt-dir DIR] [--verbose] [--passphrase-file F]', args: ['FILE'],
    options: [...LOGIN, 'dry-run', 'yes', 'confirm-deletions', 'receipt-dir', 'verbose', 'passphrase-file'], ledger: 'required',
    zh: '导入交换包（一个事务，全部成功或全不改动），随后写出回执并显示其路径；已导入过的交换包不再改动台账。',
    en: 'Import a package (one transaction: all or nothing), then write the receipt and print its path; a package imported before changes nothing.',
    more: [
      { zh: '--dry-run：只显示预览，不作任何改动。不加 --yes 时先显示预览并在终端上询问；标准输入不是终端且未加 --yes 时拒绝（退出码 2）。', en: '--dry-run: show the preview and change nothing. Without --yes the preview is shown and you are asked on the terminal; when standard input is not a terminal and --yes is absent it refuses (exit code 2).' },
      { zh: '首次联络包：先用 partner add --from-package FILE --fingerprint FP 添加并确认发送单位，再加 --passphrase-file 导入。', en: 'A first-contact package: add and confirm its sender with partner add --from-package FILE --fingerprint FP first, then import with --passphrase-file.' },
      { zh: '--confirm-deletions：交换包删除的记录超过20条时须加此项。--receipt-dir：回执写入的文件夹（默认：交换包所在文件夹）；对已导入过的交换包给出 --receipt-dir 会重新出具回执。', en: '--confirm-deletions: needed when a package deletes more than 20 records. --receipt-dir: where the receipt is written (default: beside the package); given for a package imported before, it writes its receipt again.' },
      PASSPHRASE,
    ],
  },
  {
    name: 'excel-import', usage: 'excel-import FILE --ledger FILE [--unit NAME] [--mapping F] [--round ID] [--category NAME] [--year YYYY] [--skip-bad-rows] [--dry-run] [--yes]', args: ['FILE'],
    options: [...LOGIN, 'unit', 'mapping', 'round', 'category', 'year', 'skip-bad-rows', 'dry-run', 'yes'], ledger: 'required',
    zh: '导入原有的 Excel/WPS 台账（.xlsx、.xls，或 UTF-8/GBK 编码的 .csv）：一个事务，全部成功或全不改动；已在台账中的问题不重复导入。',
    en: 'Import an existing Excel/WPS ledger (.xlsx, .xls, or .csv in UTF-8/GBK): one transaction, all or nothing; problems already in the ledger are not imported again.',
    more: [
      { zh: '--dry-run：列出将新建的问题和任务（及其整改时限、整改类型）、台账中已有的行、每一处有误的行（工作表、行、列、原因），不作任何改动。', en: '--dry-run: list the problems and tasks it would create (with deadlines and terms), the rows already in the ledger and every bad row (sheet, row, column, reason); change nothing.' },
      { zh: '--unit：没有“单位”列、且工作表名称不是单位名称时的被巡视单位。--category：没有“问题类别”列时的问题类别。--year：没有写年份的时限（如“6月底”）所属年份（默认取表中的填报日期）。--round：问题归入的巡视轮次。', en: '--unit: the unit of sheets with no unit column whose name is not a unit. --category: the category when there is no category column. --year: the year of deadlines that name none (default: the sheet\'s 填报日期). --round: the round the problems belong to.' },
      { zh: '--mapping F：列对应关系（JSON），如 {"问题描述":"C","整改措施":"D","整改时限":"H"}，或按工作表 {"sheets":{"某某集团":{…}}}。--skip-bad-rows：跳过有误的行，导入其余内容（默认有误即不导入）。', en: '--mapping F: the column mapping (JSON), e.g. {"问题描述":"C","整改措施":"D","整改时限":"H"}, or per sheet {"sheets":{"某某集团":{…}}}. --skip-bad-rows: import everything except the bad rows (by default any bad row stops the import).' },
    ],
  },
  {
    name: 'excel-export', usage: 'excel-export --ledger FILE [--unit NAME] [--round ID] --out FILE.xlsx', args: [],
    options: [...LOGIN, 'unit', 'round', 'out'], ledger: 'required',
    zh: '按法定格式导出巡视整改台账（.xlsx）：每个单位一个工作表，问题单元格按其整改任务纵向合并，表头冻结并在每页重复，A4横向，页脚“第N页 共M页”。',
    en: 'Export the statutory 巡视整改台账 (.xlsx): one sheet per unit, a problem\'s cells merged down over its tasks, the header frozen and repeated on every printed page, A4 landscape, 第N页 共M页 in the footer.',
  },
  {
    name: 'receipt import', usage: 'receipt import FILE --ledger FILE', args: ['FILE'], options: LOGIN, ledger: 'required',
    zh: '导入对方的回执：对方确认收到的交换包记为已确认，下次导出从此处开始。',
    en: 'Import a partner\'s receipt: the package it confirms is marked confirmed, and the next export starts from there.',
  },
  {
    name: 'history', usage: 'history --ledger FILE', args: [], options: LOGIN, ledger: 'required',
    zh: '交换记录：每个交换单位已发出、已确认、已收到的交换包数，以及缺少的交换包序号。',
    en: 'Delivery history: per partner, packages sent, confirmed and received, and the sequence numbers missing.',
  },
  {
    name: 'conflicts', usage: 'conflicts --ledger FILE', args: [], options: LOGIN, ledger: 'required',
    zh: '列出冲突（两个单位各自修改的同一字段）和待处理的提议修改；在桌面应用中处理。',
    en: 'List conflicts (one field changed by two offices) and pending proposals; resolve them in the desktop app.',
  },
  {
    name: 'help', usage: 'help [COMMAND]', args: [], moreArgs: 2, options: [], ledger: 'none',
    zh: '显示全部命令或某个命令的说明。',
    en: 'Explain every command, or one.',
  },
];

/** The words that begin a command with subcommands. */
export const GROUPS: Readonly<Record<string, readonly string[]>> = { partner: ['add', 'list', 'confirm'], receipt: ['import'] };

export function commandNamed(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
