/**
 * `npm run ledger -- <command>`: the command-line tool over the same engine as the app, for an
 * office that scripts its exchange (hundreds of packages) — set up a ledger, cards and partners,
 * export, inspect, verify and import packages, receipts, history, conflicts. `--help` explains
 * every command in Chinese and English (scripts/ledger/spec.ts).
 *
 * - Passwords come from a file (--password-file, or the file XZ_PASSWORD_FILE names; "-" reads
 *   standard input), never from the command line, which other users of the machine can see.
 * - `--json`: exactly one JSON object on standard output, whatever happens.
 * - Errors: one line `错误 <reason>: <message>` on standard error (reason: the engine's DomainError
 *   reason, else its code; stable for scripts), with --json also {"error": {code, reason, message}}.
 * - Exit codes: 0 success; 1 refused (any DomainError: a package, an input, a password); 2 usage
 *   (unknown command or option, missing argument, missing password file, no confirmation possible).
 * - The ledger is opened through LedgerHost and closed at the end, also on error (the key zeroed).
 */
import { DomainError } from '../db/domain/errors.js';
import { UsageError, parse } from './ledger/args.js';
import { BODIES, type Outcome } from './ledger/commands.js';
import { commandHelp, generalHelp } from './ledger/help.js';

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

function print(out: Outcome, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(out.json)}\n`);
    return;
  }
  for (const line of out.text) process.stdout.write(`${line}\n`);
  for (const line of out.notes ?? []) process.stderr.write(`${line}\n`);
}

function report(e: unknown, json: boolean): number {
  let error: { code: string; reason: string; message: string; field?: string };
  let exit: number;
  if (e instanceof UsageError) {
    error = { code: 'USAGE', reason: e.reason, message: e.message };
    exit = 2;
  } else if (e instanceof DomainError) {
    error = { code: e.code, reason: e.reason ?? e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) };
    exit = 1;
  } else {
    // Not a refusal the engine names: its own words, on one line, for whoever reads the log.
    error = { code: 'CORRUPT', reason: 'unexpected', message: `发生意外错误，操作未完成：${e instanceof Error ? e.message : String(e)}` };
    exit = 1;
    if (process.env.XZ_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  }
  process.stderr.write(`错误 ${error.reason}: ${oneLine(error.message)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
  return exit;
}

async function main(argv: readonly string[]): Promise<number> {
  const end = argv.indexOf('--');
  const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  try {
    const p = parse(argv);
    if (p.values.help || !p.spec) {
      const words = p.spec && p.spec.name !== 'help' ? p.spec.name.split(' ') : p.args;
      const text = words.length ? commandHelp(words) ?? generalHelp() : generalHelp();
      print({ json: { help: text }, text: [text] }, json);
      return 0;
    }
    print(await BODIES[p.spec.name](p, p.spec.usage), json);
    return 0;
  } catch (e) {
    return report(e, json);
  }
}

process.exitCode = await main(process.argv.slice(2));
