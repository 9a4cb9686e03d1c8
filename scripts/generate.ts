/**
 * 生成演示台账: npm run demo -- <file> [--seed N] [--problems N] [--today YYYY-MM-DD] [--force]
 * Writes a seeded, reproducible demo ledger (db/seed/demo.ts) and prints what it holds.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_PROBLEMS, DEMO_SEED, DEMO_TODAY, generateDemoLedger } from '../db/seed/demo.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string' },
    problems: { type: 'string' },
    today: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('用法：npm run demo -- <文件> [--seed N] [--problems N] [--today YYYY-MM-DD] [--force]');
  process.exit(2);
}
if (values.force) for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.keys`]) rmSync(f, { force: true });
try {
  const s = generateDemoLedger(file, {
    seed: values.seed === undefined ? DEMO_SEED : Number(values.seed),
    problems: values.problems === undefined ? DEMO_PROBLEMS : Number(values.problems),
    today: values.today ?? DEMO_TODAY,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(s, null, 2));
} catch (e) {
  console.error(`生成失败：${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof Error && !e.message.startsWith('文件已存在')) console.error(e.stack);
  process.exit(1);
}
