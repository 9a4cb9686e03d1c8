/**
 * Command-line parsing for `npm run ledger` with node:util parseArgs: the command words, then
 * only the options that command takes (anything else is a usage error, exit code 2).
 */
import { parseArgs } from 'node:util';
import type { ScopeInput } from '../../db/exchange/scope.js';
import { COMMANDS, GROUPS, OPTIONS, commandNamed, type CommandSpec, type OptionName } from './spec.js';

/** A mistake in how the tool was called: exit code 2, nothing opened or changed. */
export class UsageError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Option<K extends OptionName> = (typeof OPTIONS)[K];
export type Values = { [K in OptionName]?: Option<K> extends { multiple: true } ? string[] : Option<K>['type'] extends 'string' ? string : boolean };

export interface Parsed {
  /** null: no command given (only allowed with --help). */
  spec: CommandSpec | null;
  args: string[];
  values: Values;
}

const HINT = '（运行 npm run ledger -- --help 查看用法）';

/** `--password` (in any spelling parseArgs would take) is refused before anything else. */
function refusePasswordArgument(argv: readonly string[]): void {
  for (const a of argv) {
    if (a === '--') return;
    if (a === '--password' || a.startsWith('--password=')) {
      throw new UsageError('password_on_command_line',
        '不接受在命令行中给出密码（同一台计算机的其他用户可在进程列表中看到它）：请用 --password-file <文件> 或环境变量 XZ_PASSWORD_FILE 给出密码文件。');
    }
  }
}

function parseError(e: unknown): UsageError {
  const code = (e as { code?: string }).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  const opt = /'(-[^' ]+)/.exec(msg)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError('unknown_option', `未知选项：${opt}${HINT}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError('missing_option_value', `选项 ${opt} 需要一个值${HINT}`);
  return new UsageError('bad_arguments', `命令行参数不正确：${msg}${HINT}`);
}

export function parse(argv: readonly string[]): Parsed {
  refusePasswordArgument(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw parseError(e);
  }
  const values = parsed.values as Values;
  const pos = [...parsed.positionals];
  if (pos.length === 0) {
    if (values.help) return { spec: null, args: [], values };
    throw new UsageError('missing_command', `请给出命令${HINT}`);
  }
  let name = pos.shift()!;
  const group = GROUPS[name];
  if (group) {
    const sub = pos.shift();
    if (!sub || !group.includes(sub)) {
      if (!sub && values.help) return { spec: commandNamed('help')!, args: [name], values };
      throw new UsageError(sub ? 'unknown_command' : 'missing_command', `“${name}”后面应是 ${group.join('、')} 之一${HINT}`);
    }
    name = `${name} ${sub}`;
  }
  const spec = commandNamed(name);
  if (!spec) throw new UsageError('unknown_command', `未知命令：${name}。可用的命令：${[...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))].join('、')}${HINT}`);
  const allowed = new Set<string>(['json', 'help', ...spec.options]);
  for (const t of parsed.tokens ?? []) {
    if (t.kind === 'option' && !allowed.has(t.name)) throw new UsageError('unknown_option', `命令 ${spec.name} 不接受选项 ${t.rawName}${HINT}`);
  }
  if (values.help) return { spec, args: pos, values };
  if (pos.length < spec.args.length) {
    throw new UsageError('missing_argument', `缺少参数 ${spec.args.slice(pos.length).join(' ')}。用法：npm run ledger -- ${spec.usage}`);
  }
  if (pos.length > spec.args.length + (spec.moreArgs ?? 0)) {
    throw new UsageError('unexpected_argument', `多余的参数：${pos.slice(spec.args.length).join(' ')}。用法：npm run ledger -- ${spec.usage}`);
  }
  return { spec, args: pos, values };
}

/** A required option's value, or a usage error naming it. */
export function required(values: Values, name: 'ledger' | 'office' | 'kind' | 'admin' | 'out' | 'to' | 'fingerprint', usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError('missing_option', `缺少选项 --${name}。用法：npm run ledger -- ${usage}`);
  return v;
}

/**
 * The export's scope from --full, --round, --unit…, --problem…, --from/--until (one kind at most;
 * none: since the last confirmed package). The engine checks the ids and dates (db/exchange/scope.ts).
 */
export function exportScope(values: Values): ScopeInput {
  const given: ScopeInput[] = [];
  if (values.full) given.push({ mode: 'full' });
  if (values.round !== undefined) given.push({ mode: 'round', roundId: values.round });
  if (values.unit?.length) given.push({ mode: 'units', unitIds: values.unit });
  if (values.problem?.length) given.push({ mode: 'problems', problemIds: values.problem });
  if (values.from !== undefined || values.until !== undefined) {
    if (values.from === undefined || values.until === undefined) throw new UsageError('missing_option', `按日期范围导出须同时给出 --from 和 --until${HINT}`);
    given.push({ mode: 'dates', from: values.from, to: values.until });
  }
  if (given.length > 1) throw new UsageError('scope_conflict', `只能选择一种导出范围：--full、--round、--unit、--problem、--from/--until 不能同时使用${HINT}`);
  return given[0] ?? { mode: 'since' };
}

/** One of a closed set, or a usage error listing the set. */
export function oneOf<T extends string>(value: string, set: readonly T[], option: string): T {
  if (!(set as readonly string[]).includes(value)) throw new UsageError('bad_option_value', `--${option} 的值应为 ${set.join('、')} 之一，而不是“${value}”。`);
  return value as T;
}
