import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../db/domain/errors.js';
import { openLedger } from '../../db/core/open.js';
import { makeTestLedger } from '../helpers/ledger.js';
import { newProblemAndTask, stage } from '../helpers/workflow.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `raw:${String(e)}`;
  }
  return undefined;
}

describe('opening a ledger file', () => {
  it('refuses a file that is not a ledger with CORRUPT and leaves its bytes alone', () => {
    const f = join(dir, 'not-a-ledger.sqlite');
    const junk = Buffer.from('这不是台账文件'.repeat(500));
    writeFileSync(f, junk);
    expect(codeOf(() => openLedger(f))).toBe('CORRUPT');
    expect(readFileSync(f).equals(junk)).toBe(true);
  });

  it('refuses a ledger whose references are broken instead of silently opening it', () => {
    const t = makeTestLedger({ file: true, today: '2024-03-15' });
    newProblemAndTask(t.as(t.users.entry), stage(t));
    const path = t.ledger.path;
    t.ledger.sqlite.pragma('foreign_keys = OFF');
    t.ledger.sqlite.prepare("UPDATE tasks SET problem_id = '0190a0c0-0000-7000-8000-00000000dead'").run();
    t.ledger.close();
    expect(codeOf(() => openLedger(path, { checkIntegrity: true }))).toBe('CORRUPT');
  });

  it('re-opens a populated ledger with WAL, foreign keys on and the engine counters restored', () => {
    const t = makeTestLedger({ file: true, today: '2024-03-15' });
    newProblemAndTask(t.as(t.users.entry), stage(t));
    const { version, lastAuditSeq } = t.ledger.state;
    const path = t.ledger.path;
    t.ledger.close();
    const again = openLedger(path);
    try {
      expect(again.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(again.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(again.state.version).toBe(version);
      expect(again.state.lastAuditSeq).toBe(lastAuditSeq);
      expect(again.state.officeId).not.toBeNull();
    } finally {
      again.close();
    }
  });
});
