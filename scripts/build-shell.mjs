// Bundles what tsc alone cannot produce for the Electron shell:
// - the preload as CommonJS (a sandboxed preload cannot be an ES module and can require only
//   'electron' and a few built-ins, so everything it uses is bundled into one file);
// - a placeholder renderer page, until the real UI's vite build takes over (then skipped).
// Usage: node scripts/build-shell.mjs   (scripts/start.mjs calls it too)
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundle electron/preload.ts to CommonJS; fails if it would require anything but 'electron'. */
export async function bundlePreload(outfile = join(root, 'dist/electron/preload.cjs')) {
  const result = await build({
    entryPoints: [join(root, 'electron/preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    metafile: true,
    logLevel: 'warning',
  });
  // Anything else left as a require() would throw inside the sandbox at start-up.
  const externals = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && i.path !== 'electron')
    .map((i) => i.path);
  if (externals.length > 0) {
    throw new Error(`preload pulls in modules a sandboxed preload cannot load: ${[...new Set(externals)].join(', ')}`);
  }
  return outfile;
}

/** The placeholder page; skipped once the renderer has its own (vite) build. */
export async function buildPlaceholderRenderer() {
  const hasVite = readdirSync(join(root, 'renderer')).some((f) => f.startsWith('vite.config.'));
  const outDir = join(root, 'dist/renderer');
  if (hasVite) return null;
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'renderer/src/main.tsx')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  const html = readFileSync(join(root, 'renderer/index.html'), 'utf8').replace(
    '<script type="module" src="./src/main.tsx"></script>',
    '<script defer src="./main.js"></script>',
  );
  if (!html.includes('./main.js')) throw new Error('renderer/index.html: script tag for ./src/main.tsx not found');
  writeFileSync(join(outDir, 'index.html'), html);
  return outDir;
}

export async function buildShell() {
  await bundlePreload();
  await buildPlaceholderRenderer();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildShell().catch((e) => {
    console.error(`构建失败 / build failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

