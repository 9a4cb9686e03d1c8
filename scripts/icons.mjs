// The app's icons, all made from one drawing, build/icon.svg (shapes only, no font):
//   build/icon.png            512×512, Linux installers' default icon
//   build/icons/<n>x<n>.png    16 … 512, the Linux icon set (deb, AppImage)
//   build/icon.ico            16, 24, 32, 48, 64, 128, 256: Windows executable and NSIS installer
//   renderer/public/favicon.ico  16, 32, 48: the page's icon (vite copies public/ into dist/renderer)
//   renderer/public/icon.png  256×256: the window's icon (electron/paths.ts, window-options.ts)
// The generated files are kept in the repository (packaging cannot run on the build machines);
// test/icons.test.ts renders the drawing again and fails when a file differs from what this makes.
// Usage: npm run icons
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngToIco from 'png-to-ico';

const root = fileURLToPath(new URL('..', import.meta.url));

export const SOURCE = 'build/icon.svg';
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const WINDOWS_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const PAGE_SIZES = [16, 32, 48];

/** The drawing rendered as a square PNG of `size` pixels. */
export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

/** Every icon file (path from the repository root → its bytes) made from the drawing `svg`. */
export async function makeIcons(svg = readFileSync(join(root, SOURCE))) {
  const png = new Map(LINUX_SIZES.map((n) => [n, renderPng(svg, n)]));
  const at = (n) => png.get(n) ?? renderPng(svg, n);
  const files = new Map();
  files.set('build/icon.png', at(512));
  for (const n of LINUX_SIZES) files.set(`build/icons/${n}x${n}.png`, at(n));
  files.set('build/icon.ico', await pngToIco(WINDOWS_SIZES.map(at)));
  files.set('renderer/public/favicon.ico', await pngToIco(PAGE_SIZES.map(at)));
  files.set('renderer/public/icon.png', at(256));
  return files;
}

async function main() {
  for (const [file, bytes] of await makeIcons()) {
    const out = join(root, file);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, bytes);
    console.log(`${file}  ${bytes.length} bytes`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
