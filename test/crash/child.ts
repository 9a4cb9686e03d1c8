/**
 * The crash trial's child process (started by test/crash/trial.ts with `node --import tsx`):
 * opens the encrypted ledger and does real work through the services until it is SIGKILLed,
 * one transaction per unit of work, alternating at random between
 *  - bulk creation: 1–200 problems, each with 2 tasks, in one transaction (up to 1,200 rows
 *    with their audit rows); and
 *  - evidence uploads: 1–2 files of 1–8 MB of random bytes, each added with addEvidence to a
 *    task created earlier (blob + evidence row + the task's material_revision bump + audit),
 *    in one transaction.
 * After each commit returns, one JSON line on stdout names the transaction's marker and the
 * rows it created: that line is the "reported as committed" the parent checks against.
 *
 * Environment: CRASH_LEDGER (path), CRASH_KEY (data key, hex), CRASH_SETUP (JSON CrashSetup),
 * CRASH_SEED, CRASH_MAX_TX (stop after this many; 0 = until killed), CRASH_MAX_MS (safety stop).
 */
import { createHash, randomBytes } from 'node:crypto';
import { systemClock } from '../../db/core/clock.js';
import type { ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { uuidv7Source } from '../../db/core/ids.js';
import { openLedger } from '../../db/core/open.js';
import { addEvidence } from '../../db/services/evidence.js';
import { createProblem } from '../../db/services/problems.js';
import { createTask } from '../../db/services/tasks.js';
import { marker, mulberry32, TASKS_PER_PROBLEM, type CrashSetup, type Report } from './trial.js';

const MB = 1024 * 1024;

function emit(line: object): void {
  // A pipe: written synchronously on Linux, so the line is out before the next transaction starts.
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function main(): void {
  const path = process.env.CRASH_LEDGER;
  const keyHex = process.env.CRASH_KEY;
  const setupJson = process.env.CRASH_SETUP;
  if (!path || !keyHex || !setupJson) throw new Error('CRASH_LEDGER, CRASH_KEY and CRASH_SETUP are required');
  const setup = JSON.parse(setupJson) as CrashSetup;
  const rand = mulberry32(Number(process.env.CRASH_SEED ?? 1));
  const maxTx = Number(process.env.CRASH_MAX_TX ?? 0);
  const stopAt = Date.now() + Number(process.env.CRASH_MAX_MS ?? 60_000);
  const ledger = openLedger(path, { key: Buffer.from(keyHex, 'hex') });
  const ctx: ServiceContext = { ledger, clock: systemClock, ids: uuidv7Source(), user: setup.user };
  const today = systemClock.today();
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const taskIds: string[] = [];
  emit({ ready: true });

  for (let tx = 1; (maxTx === 0 || tx <= maxTx) && Date.now() < stopAt; tx++) {
    // The first transaction is a small bulk one (there must be tasks to upload to), the second
    // an upload; then either, at random.
    const kind = tx === 1 ? 'bulk' : tx === 2 ? 'evidence' : rand() < 0.5 ? 'bulk' : 'evidence';
    let report: Report;
    if (kind === 'bulk') {
      const n = tx === 1 ? 3 : rand() < 0.3 ? 1 : int(2, 200);
      report = inTransaction(ctx, () => {
        const problems: string[] = [];
        const tasks: string[] = [];
        for (let i = 1; i <= n; i++) {
          const p = createProblem(ctx, {
            unitId: setup.unitId, roundId: setup.roundId, categoryId: setup.categoryId,
            description: `落实全面从严治党主体责任不够到位（第${tx}批第${i}项）。`,
            remark: marker.problem(tx, i, n),
          });
          problems.push(p.id);
          for (let j = 1; j <= TASKS_PER_PROBLEM; j++) {
            const t = createTask(ctx, {
              problemId: p.id, measures: `制定专项整改方案，明确责任和时限（措施${j}）。`, term: j === 1 ? 'immediate' : 'concentrated',
              deadline: '2099-06-30', responsibleDepartment: '办公室', remark: marker.task(tx, i, n, j),
            });
            tasks.push(t.id);
          }
        }
        return { tx, marker: marker.tx(tx), kind: 'bulk' as const, problems, tasks };
      });
      taskIds.push(...report.tasks);
    } else {
      const n = rand() < 0.8 ? 1 : 2;
      // The upload is read (here: made) before the transaction, as the app reads a file first.
      const files = Array.from({ length: n }, () => {
        const bytes = randomBytes(int(1 * MB, 8 * MB));
        return {
          taskId: taskIds[int(0, taskIds.length - 1)]!,
          dataBase64: bytes.toString('base64'),
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
        };
      });
      report = inTransaction(ctx, () => ({
        tx, marker: marker.tx(tx), kind: 'evidence' as const,
        files: files.map((f, k) => {
          const ev = addEvidence(ctx, {
            ownerType: 'task', ownerId: f.taskId, fileName: `整改佐证材料-${tx}-${k + 1}.pdf`, mimeType: 'application/pdf',
            formedOn: today, description: marker.file(tx, k + 1, n), dataBase64: f.dataBase64,
          });
          if (ev.sha256 !== f.sha256 || ev.size !== f.size) throw new Error(`tx ${tx}: stored ${ev.size} bytes ${ev.sha256}, expected ${f.size} ${f.sha256}`);
          return { id: ev.id, taskId: f.taskId, sha256: ev.sha256, size: ev.size };
        }),
      }));
    }
    emit(report);
  }
  ledger.close();
}

main();
