/**
 * `npm run preview`: serve the renderer in a local browser over a ledger file, through the
 * loopback server in preview-server.ts (development and testing only).
 *   npm run preview                     the preview ledger in data/ (created on first use)
 *   npm run preview -- --demo           a demo ledger in data/ (generated on first use)
 *   npm run preview -- --ledger <file>  any ledger file
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../db/core/clock.js';
import { uuidv7Source } from '../db/core/ids.js';
import { LedgerHost } from '../db/session/host.js';
import { generateDemoLedger } from '../db/seed/demo.js';
import { startPreviewServer } from './preview-server.js';

const args = process.argv.slice(2);
const at = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(import.meta.dirname, '..');
const dataDir = join(root, 'data');
mkdirSync(dataDir, { recursive: true });
let file = at('--ledger');
if (!file) {
  file = join(dataDir, args.includes('--demo') ? 'demo-ledger.sqlite' : 'preview-ledger.sqlite');
  if (args.includes('--demo') && !existsSync(file)) {
    console.log('正在生成演示台账… / generating the demo ledger…');
    generateDemoLedger(file, { log: (l) => console.log(l) });
  }
}
const staticDir = join(root, 'dist', 'renderer');
if (!existsSync(join(staticDir, 'index.html'))) {
  console.error('未找到界面构建结果（dist/renderer）。请先运行 npm run build:renderer。');
  process.exit(1);
}
const ids = uuidv7Source();
const hostFor = (path: string) => new LedgerHost({ path, clock: systemClock, ids });
const host = hostFor(file);
const server = await startPreviewServer({
  host, hostFor, staticDir, port: Number(at('--port') ?? 0), demoPath: join(dataDir, 'demo-ledger.sqlite'), backupDir: join(dataDir, 'backups'),
});
console.log(`台账文件 / ledger: ${file}`);
console.log(`在浏览器中打开 / open in a browser (one-time link, 127.0.0.1 only):\n  ${server.loginUrl}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
