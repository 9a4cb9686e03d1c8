/**
 * The icons kept in the repository are what `npm run icons` makes from build/icon.svg now: a
 * changed drawing without regenerated icons fails here. Also the sizes each file must hold.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellPaths } from '../electron/paths.js';
import { windowOptions } from '../electron/window-options.js';
import { LINUX_SIZES, makeIcons, PAGE_SIZES, SOURCE, WINDOWS_SIZES } from '../scripts/icons.mjs';

const root = join(import.meta.dirname, '..');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): [number, number] {
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** The image sizes listed in an .ico file's directory (0 stands for 256). */
function icoSizes(b: Buffer): number[] {
  expect([b.readUInt16LE(0), b.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: b.readUInt16LE(4) }, (_, i) => b.readUInt8(6 + 16 * i) || 256);
}

describe('app icons', () => {
  it('are the files npm run icons makes from the current drawing', async () => {
    const made = await makeIcons(readFileSync(join(root, SOURCE)));
    const stale: string[] = [];
    for (const [file, bytes] of made) {
      const path = join(root, file);
      if (!existsSync(path) || !readFileSync(path).equals(bytes)) stale.push(file);
    }
    expect(stale, 'run `npm run icons` after changing build/icon.svg').toEqual([]);
  });

  it('hold the sizes the installers and the page ask for', () => {
    const read = (f: string) => readFileSync(join(root, f));
    expect(pngSize(read('build/icon.png'))).toEqual([512, 512]);
    for (const n of LINUX_SIZES) expect(pngSize(read(`build/icons/${n}x${n}.png`))).toEqual([n, n]);
    expect(LINUX_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
    expect(icoSizes(read('build/icon.ico'))).toEqual(WINDOWS_SIZES);
    expect(WINDOWS_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(icoSizes(read('renderer/public/favicon.ico'))).toEqual(PAGE_SIZES);
    expect(pngSize(read('renderer/public/icon.png'))).toEqual([256, 256]);
  });

  it('draw with shapes only (no text that would need a font)', () => {
    const svg = readFileSync(join(root, SOURCE), 'utf8');
    expect(svg).not.toMatch(/<text|<tspan|font-family|@font-face/);
  });
});

describe('the window icon', () => {
  it('is the PNG the renderer build carries, passed to the window', () => {
    const paths = shellPaths({ isPackaged: true, resourcesPath: '/opt/app/resources', appPath: '/opt/app/resources/app.asar', userData: '/home/u/.config/台账', mainDir: '/opt/app/resources/app.asar/dist/electron' });
    expect(paths.icon).toBe('/opt/app/resources/app.asar/dist/renderer/icon.png');
    expect(windowOptions({ preload: paths.preload, isDev: false, icon: paths.icon }).icon).toBe(paths.icon);
    expect(windowOptions({ preload: paths.preload, isDev: false }).icon).toBeUndefined();
    // vite copies renderer/public into dist/renderer: the file the path names is the one made here.
    expect(existsSync(join(root, 'renderer/public/icon.png'))).toBe(true);
  });
});
