/**
 * `npm run ledger` as a user's shell runs it, for the command-line tests: the real script under
 * tsx, standard input a closed pipe (not a terminal), cheap scrypt for keys (XZ_TEST_KDF, tests
 * only). Resolves with the exit code and both outputs.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface LedgerRun { code: number | null; stdout: string; stderr: string }

export function runLedger(args: readonly string[], env: Record<string, string> = {}): Promise<LedgerRun> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ledger.ts', ...args], {
      cwd: ROOT, env: { ...process.env, VITEST: 'true', XZ_TEST_KDF: 'weak-keys-for-tests-only', ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdin.end();
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
