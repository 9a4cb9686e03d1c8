// The Debian packages the test suite needs besides npm's: Chromium for the end-to-end tests,
// CJK fonts for screenshots and printed ledgers, poppler-utils (pdftotext, pdftoppm) to read the
// printed PDFs, and sqlcipher (Debian's SQLCipher 3.4.1 shell, not our SQLite build) to prove that
// an encrypted ledger opens in a standard tool given its key, and age (the reference age v1 CLI,
// 1.1.1) as the interoperability oracle for our exchange-package encryption, and LibreOffice Calc
// (headless, no GUI) to prove that an exported .xlsx opens in another office suite with its merged
// cells, and LibreOffice Writer (headless) to turn a report draft's .docx into a PDF the tests read. `npm test` runs this first, so the README's test command is the whole set-up on a
// fresh Debian machine and CI runs exactly that command (.ci/run).
//
// Installs what is missing with apt-get when it can (root, or sudo without a password); otherwise
// stops with the one command to run. Installs nothing when everything is already there.
import { execFileSync, spawnSync } from 'node:child_process';

const PACKAGES = ['chromium', 'fonts-noto-cjk', 'poppler-utils', 'sqlcipher', 'age', 'libreoffice-calc-nogui', 'libreoffice-writer-nogui'];

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
if (!hasDpkg) {
  console.warn(`system-deps: not a Debian system; make sure these are installed: ${PACKAGES.join(', ')} (Chromium at /usr/bin/chromium or CHROMIUM_PATH).`);
  process.exit(0);
}

const missing = PACKAGES.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!isRoot && !sudo) {
  console.error(`测试需要以下 Debian 软件包：${missing.join(' ')}\n请先运行：sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  process.exit(1);
}

const run = (args) => execFileSync(isRoot ? args[0] : 'sudo', isRoot ? args.slice(1) : args, {
  stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
});
console.log(`system-deps: installing ${missing.join(', ')} with apt-get`);
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
