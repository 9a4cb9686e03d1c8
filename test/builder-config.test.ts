/**
 * electron-builder.yml checked against electron-builder's own schema, loaded from the installed
 * package (no build, no download: building needs Electron, which cannot be fetched here).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shellPaths } from '../electron/paths.js';

const root = join(import.meta.dirname, '..');

interface BuilderConfig {
  [key: string]: unknown;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
}

// app-builder-lib is electron-builder's engine; resolve it from electron-builder itself so the
// test uses exactly the copy `electron-builder` would (it is not a direct dependency).
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const builder = requireFromBuilder('app-builder-lib/out/util/config/config.js') as ConfigModule;
const quietLogger = { isEnabled: false, add() {} };

async function loadAndValidate(dir: string): Promise<BuilderConfig> {
  const config = await builder.getConfig(dir, join(dir, 'electron-builder.yml'), null);
  await builder.validateConfiguration(config, quietLogger);
  return config;
}

let tmp: string | null = null;
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
});

function withExtra(yaml: string): string {
  tmp = mkdtempSync(join(tmpdir(), 'builder-config-'));
  copyFileSync(join(root, 'package.json'), join(tmp, 'package.json'));
  writeFileSync(join(tmp, 'electron-builder.yml'), `${readFileSync(join(root, 'electron-builder.yml'), 'utf8')}\n${yaml}\n`);
  return tmp;
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    const c = await loadAndValidate(root);
    expect(c.productName).toBe('巡视整改监督台账');
  });

  it('would be rejected if it carried an unknown key', async () => {
    await expect(loadAndValidate(withExtra('notAnElectronBuilderOption: true'))).rejects.toThrow(/notAnElectronBuilderOption/);
  });

  it('would be rejected if a target section carried an unknown key', async () => {
    const dir = withExtra('');
    const yml = readFileSync(join(dir, 'electron-builder.yml'), 'utf8').replace('nsis:\n', 'nsis:\n  notAnNsisOption: 1\n');
    writeFileSync(join(dir, 'electron-builder.yml'), yml);
    await expect(loadAndValidate(dir)).rejects.toThrow(/configuration\.nsis/);
  });

  it('never rebuilds the native SQLite binding and publishes nothing', async () => {
    const c = await loadAndValidate(root);
    expect(c.npmRebuild).toBe(false);
    expect(c.publish).toBeNull();
    expect(c.asarUnpack).toContain('**/*.node');
  });

  it('ships the compiled app and puts migrations where the shell looks for them', async () => {
    const c = await loadAndValidate(root);
    const files = JSON.stringify(c.files);
    expect(files).toContain('dist/**');
    expect((c.directories as { output: string }).output).not.toMatch(/^dist\/?$/);
    const extra = c.extraResources as { from: string; to: string }[];
    const migrations = extra.find((e) => e.from === 'db/migrations');
    expect(migrations).toBeDefined();
    const packaged = shellPaths({ isPackaged: true, resourcesPath: '/res', appPath: '/app', userData: '/u', mainDir: '/app/dist/electron' });
    expect(packaged.migrationsFolder).toBe(join('/res', migrations!.to));
  });

  // Electron security checklist item 19 (docs/security.md). Exact: a fuse missing, flipped or
  // added without review fails here.
  it('flips the Electron fuses: no run-as-Node, NODE_OPTIONS or inspector, only the checked app.asar', async () => {
    const c = await loadAndValidate(root);
    expect(c.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    // onlyLoadAppFromAsar and the integrity check mean something only if the app is an asar.
    expect(c.asar).toBe(true);
  });

  it('keeps the file:// privileges the page inside app.asar needs, until it moves to a custom protocol', async () => {
    const c = await loadAndValidate(root);
    // With grantFileProtocolExtraPrivileges off, Electron cannot read a file:// page inside app.asar.
    expect(c.electronFuses).not.toHaveProperty('grantFileProtocolExtraPrivileges');
    const packaged = shellPaths({ isPackaged: true, resourcesPath: '/res', appPath: '/res/app.asar', userData: '/u', mainDir: '/res/app.asar/dist/electron' });
    expect(packaged.rendererIndex).toBe(join('/res/app.asar', 'dist', 'renderer', 'index.html'));
  });

  it('would be rejected if a fuse name were misspelt', async () => {
    const dir = withExtra('');
    const yml = readFileSync(join(dir, 'electron-builder.yml'), 'utf8').replace('electronFuses:\n', 'electronFuses:\n  runAsNodeX: false\n');
    writeFileSync(join(dir, 'electron-builder.yml'), yml);
    await expect(loadAndValidate(dir)).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('builds an NSIS installer for Windows and deb + AppImage for Linux', async () => {
    const c = await loadAndValidate(root);
    const targets = (section: unknown) => ((section as { target: { target: string }[] }).target ?? []).map((t) => t.target);
    expect(targets(c.win)).toEqual(['nsis']);
    expect(targets(c.linux).sort()).toEqual(['AppImage', 'deb']);
  });
});
