// `npm start`: build the shell and the engine, then launch Electron on the development ledger
// in data/. Works on a fresh clone, before or after `npm test` (tsc -b is incremental).
//
// On machines where Electron's binary cannot be downloaded (the `electron` package fetches it on
// first use, from outside the npm registry) this says so plainly instead of printing a stack.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildShell } from './build-shell.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const dataDir = join(root, 'data');

function fail(zh, en, detail) {
  console.error(`\n${zh}\n${en}`);
  if (detail) console.error(`\n${detail}`);
  process.exit(1);
}

/**
 * The Electron executable, or null when it is not on this machine. Deliberately does not
 * `require('electron')`: that tries to download the binary (and prints a stack when it cannot).
 */
function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const bin = override ? join(override, rel ?? 'electron') : rel ? join(pkgDir, 'dist', rel) : null;
  return bin && existsSync(bin) ? bin : null;
}

function electronUnavailable(detail) {
  fail(
    '本机没有可用的 Electron 程序文件（electron 需要在首次运行时从网络下载，本机无法下载），因此无法启动桌面窗口。\n' +
      '请改用浏览器预览：npm run preview',
    'The Electron binary is not available on this machine (it is downloaded on first use, which is not possible here),\n' +
      'so the desktop window cannot start. Use the browser preview instead: npm run preview',
    detail,
  );
}

async function main() {
  console.log('构建中 / building (tsc -b electron)…');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'electron'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) fail('编译失败，请先修正上面列出的类型错误。', 'The TypeScript build failed: fix the errors listed above.');

  try {
    await buildShell();
  } catch (e) {
    fail('打包预加载脚本或页面失败。', 'Bundling the preload or the page failed.', e instanceof Error ? e.message : String(e));
  }

  mkdirSync(dataDir, { recursive: true });

  const bin = electronBinary();
  if (!bin) electronUnavailable();

  console.log(`启动 / launching Electron (台账文件 / ledger: ${join(dataDir, 'ledger.sqlite')})`);
  const child = spawn(bin, ['.'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, XZ_DATA_DIR: dataDir },
  });
  child.on('error', (e) => electronUnavailable(`(${e.code ?? e.message})`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((e) => fail('启动失败。', 'Start failed.', e instanceof Error ? e.message : String(e)));
