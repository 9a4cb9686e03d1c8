/**
 * The layering rules in eslint.config.js bite, and say how to fix the problem
 * (ARCHITECTURE.md "Enforce the layering with tools").
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-imports', 'no-restricted-globals']);

async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  const messages = result?.messages ?? [];
  return {
    layer: messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => m.message),
    all: messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`),
  };
}

async function expectRefused(file: string, code: string, explanation: RegExp) {
  const r = await lint(file, code);
  expect(r.layer, `${file}: ${code}`).toHaveLength(1);
  expect(r.layer[0]).toMatch(explanation);
}

async function expectAllowed(file: string, code: string) {
  const r = await lint(file, code);
  expect(r.all, `${file}: ${code}`).toEqual([]);
}

describe('db/ (the engine) stays plain Node', () => {
  it('refuses electron and says to pass the value in as an argument', async () => {
    await expectRefused('db/probe.ts', "import { app } from 'electron';\nexport const a = app;", /Take what you need as an argument/);
    await expectRefused('db/services/probe.ts', "import { x } from 'electron/main';\nexport const a = x;", /runs without Electron/);
  });

  it('refuses React, react-dom and antd', async () => {
    await expectRefused('db/probe.ts', "import React from 'react';\nexport const r = React;", /never imports UI code/);
    await expectRefused('db/probe.ts', "import { createRoot } from 'react-dom/client';\nexport const r = createRoot;", /never imports UI code/);
    await expectRefused('db/reports/probe.ts', "import { Table } from 'antd';\nexport const t = Table;", /never imports UI code/);
  });

  it('refuses imports from electron/ and renderer/, even type-only ones', async () => {
    await expectRefused('db/probe.ts', "import { registerIpc } from '../electron/ipc.js';\nexport const r = registerIpc;", /dependency goes the other way/);
    await expectRefused('db/services/probe.ts', "import type { X } from '../../renderer/src/main.js';\nexport type Y = X;", /dependency goes the other way/);
  });

  it('refuses the DOM globals window and document', async () => {
    await expectRefused('db/probe.ts', 'export const w = window.innerWidth;', /`window` does not exist/);
    await expectRefused('db/services/probe.ts', "export function t() { return document.title; }", /`document` does not exist/);
  });

  it('allows Node built-ins, drizzle and its own modules', async () => {
    await expectAllowed(
      'db/services/probe.ts',
      "import { join } from 'node:path';\nimport { eq } from 'drizzle-orm';\nimport { invalid } from '../errors.js';\nexport const x = [join, eq, invalid];",
    );
  });
});

describe('renderer/ (a browser page) reaches the engine only through window.api', () => {
  it('refuses Node built-ins, with or without the node: prefix', async () => {
    for (const spec of ['node:fs', 'fs', 'path', 'node:path', 'fs/promises', 'child_process']) {
      await expectRefused('renderer/src/probe.ts', `import * as m from '${spec}';\nexport const x = m;`, /no Node built-ins/);
    }
  });

  it('refuses Node globals such as process and Buffer', async () => {
    await expectRefused('renderer/src/probe.ts', 'export const env = process.env.HOME;', /`process` does not exist there/);
    await expectRefused('renderer/src/pages/probe.tsx', "export const b = Buffer.from('x');", /`Buffer` does not exist there/);
  });

  it('refuses the database libraries', async () => {
    await expectRefused('renderer/src/probe.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /never opens the database/);
    await expectRefused('renderer/src/probe.ts', "import { eq } from 'drizzle-orm';\nexport const e = eq;", /never opens the database/);
    await expectRefused('renderer/src/pages/probe.tsx', "import { sqliteTable } from 'drizzle-orm/sqlite-core';\nexport const s = sqliteTable;", /never opens the database/);
  });

  it('refuses electron and the shell', async () => {
    await expectRefused('renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", /use window\.api/);
    await expectRefused('renderer/src/probe.ts', "import { createWindowApi } from '../../electron/preload-api.js';\nexport const c = createWindowApi;", /use window\.api/);
  });

  it('refuses runtime code from db/ and explains that only `import type` is allowed', async () => {
    await expectRefused('renderer/src/probe.ts', "import { dispatch } from '../../db/bridge.js';\nexport const d = dispatch;", /may only `import type` from db\//);
    await expectRefused('renderer/src/pages/probe.tsx', "import { MENU_COMMANDS } from '../../../db/bridge/api.js';\nexport const m = MENU_COMMANDS;", /through window\.api/);
  });

  it('allows value imports from the shared pure layer db/domain/', async () => {
    await expectAllowed('renderer/src/screens/probe.ts', "import { CLUE_TRANSITIONS } from '../../../db/domain/clue-rules.js';\nexport const c = CLUE_TRANSITIONS;");
    await expectRefused('renderer/src/screens/probe.ts', "import { requireRow } from '../../../db/core/write.js';\nexport const r = requireRow;", /only from the shared pure layer db\/domain\//);
  });

  it('allows type-only imports from db/', async () => {
    await expectAllowed('renderer/src/probe.ts', "import type { WindowApi } from '../../db/bridge/api.js';\nexport type A = WindowApi;");
    await expectAllowed('renderer/src/probe.ts', "import { type ErrorPayload } from '../../db/domain/errors.js';\nexport type E = ErrorPayload;");
  });
});

describe('db/domain/ (the shared pure layer) stays pure', () => {
  it('refuses Node built-ins and says to pass the value in', async () => {
    await expectRefused('db/domain/probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /no Node built-ins/);
  });

  it('refuses SQL and the driver', async () => {
    await expectRefused('db/domain/probe.ts', "import { eq } from 'drizzle-orm';\nexport const e = eq;", /holds no SQL/);
    await expectRefused('db/domain/probe.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /holds no SQL/);
  });

  it('refuses imports from the rest of the engine, type-only ones too', async () => {
    await expectRefused('db/domain/probe.ts', "import { requireRow } from '../core/write.js';\nexport const r = requireRow;", /imports nothing outside itself/);
    await expectRefused('db/domain/probe.ts', "import type { Ledger } from '../core/open.js';\nexport type L = Ledger;", /imports nothing outside itself/);
  });

  it('refuses the globals of Node and of the page', async () => {
    await expectRefused('db/domain/probe.ts', 'export const e = process.env.HOME;', /may not exist/);
  });

  it('allows its own modules and valibot', async () => {
    await expectAllowed('db/domain/probe.ts', "import * as v from 'valibot';\nimport { ROLES } from './enums.js';\nexport const x = [v, ROLES];");
  });
});

describe('electron/ (the shell): only the entry files touch Electron at run time', () => {
  it('refuses a value import from electron in a module, saying to take it as a parameter', async () => {
    await expectRefused('electron/probe.ts', "import { BrowserWindow } from 'electron';\nexport const b = BrowserWindow;", /take the Electron object as a parameter/);
  });

  it('allows type-only imports from electron in a module', async () => {
    await expectAllowed('electron/probe.ts', "import type { BrowserWindow } from 'electron';\nexport type B = BrowserWindow;");
  });

  it('allows value imports from electron in the entry files', async () => {
    await expectAllowed('electron/main.ts', "import { app } from 'electron';\nexport const a = app;");
    await expectAllowed('electron/preload.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;");
  });

  it('refuses imports from renderer/', async () => {
    await expectRefused('electron/probe.ts', "import { x } from '../renderer/src/main.js';\nexport const y = x;", /does not import the renderer/);
  });
});

describe('the repository itself', () => {
  it('has no layering violations in db/, electron/ or renderer/', async () => {
    const results = await eslint.lintFiles(['db', 'electron', 'renderer']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(violations).toEqual([]);
    expect(results.length).toBeGreaterThan(10);
  });
});
