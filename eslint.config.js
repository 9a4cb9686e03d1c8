// Lint rules that keep the layers honest (ARCHITECTURE.md "Enforce the layering with tools").
// Each restriction's message says what to do instead. test/layering.test.ts proves they bite.
// Not type-aware on purpose: it stays fast enough to run on every `npm test`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Includes subpath modules such as fs/promises and path/posix.
const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];

// Plain-JS files (scripts, this config) run in Node.
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone'].map(
    (g) => [g, 'readonly'],
  ),
);

const DB_MSG = {
  electron:
    "db/ is the engine and runs without Electron (tests, the browser harness). Take what you need as an argument (a path, a callback) and let electron/main.ts pass it in.",
  ui: 'db/ never imports UI code (React/antd). Return plain data; the renderer decides how to show it.',
  shell:
    'db/ must not import from electron/ or renderer/: the dependency goes the other way. Move the shared piece into db/ (types or pure functions) and import it from there.',
};

const RENDERER_MSG = {
  node: 'The renderer is a browser page: no Node built-ins. Ask the engine through window.api (a channel in db/bridge/contract.ts) instead.',
  engine:
    'The renderer never opens the database. Call the engine through window.api; add a channel to db/bridge/contract.ts if one is missing.',
  electron: "The renderer knows nothing of Electron: use window.api (the preload exposes it) instead of importing 'electron'.",
  db: "The renderer may only `import type` from db/ (e.g. `import type { WindowApi } from '../../db/bridge/api.js'`), and import values only from the shared pure layer db/domain/. Runtime engine code stays in the main process; reach it through window.api, or move a pure rule (no SQL, no Node) into db/domain/.",
};

const DOMAIN_MSG = {
  node: 'db/domain/ is the shared pure layer the renderer also runs: no Node built-ins. Pass the value in as an argument from a service.',
  sql: 'db/domain/ holds no SQL and opens nothing: read the ledger in db/services or db/queries and hand plain values to the rule here.',
  outside:
    'db/domain/ imports nothing outside itself (only valibot): the renderer bundles it. Move the pure piece you need into db/domain/, or keep the code that needs the engine in db/services.',
};

const ELECTRON_MSG =
  "Only the entry files electron/main.ts and electron/preload.ts import values from 'electron'. Here use `import type` and take the Electron object as a parameter, so this module is unit-tested with a fake.";

export default defineConfig(
  {
    // Build output, generated migrations and the scratch folders .gitignore lists.
    ignores: [
      'dist/**', 'node_modules/**', 'db/migrations/**', 'release/**', 'coverage/**', 'renderer/dist/**',
      'data/**', 'bench/out/**', 'test-output/**',
    ],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // db/: the engine. Plain Node: no Electron, no UI, no DOM.
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: DB_MSG.electron },
            ...['react', 'react-dom', 'antd', 'echarts', 'echarts-for-react'].map((name) => ({ name, message: DB_MSG.ui })),
          ],
          patterns: [
            { regex: '^electron/', message: DB_MSG.electron },
            { regex: '^(react|react-dom|antd|@ant-design)/', message: DB_MSG.ui },
            { regex: '^(\\.{1,2}/)+(.*/)?(electron|renderer)(/|$)', message: DB_MSG.shell },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage'].map((name) => ({
          name,
          message: `db/ runs in plain Node, where \`${name}\` does not exist. Take the value as an argument, or move browser code to renderer/.`,
        })),
      ],
    },
  },

  // db/domain/: the shared pure layer (engine and renderer). No Node, no SQL, nothing from outside it.
  {
    files: ['db/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: DOMAIN_MSG.node })),
            ...['better-sqlite3', 'drizzle-orm'].map((name) => ({ name, message: DOMAIN_MSG.sql })),
            { name: 'electron', message: DB_MSG.electron },
            ...['react', 'react-dom', 'antd', 'echarts', 'echarts-for-react'].map((name) => ({ name, message: DB_MSG.ui })),
          ],
          patterns: [
            { regex: '^node:', message: DOMAIN_MSG.node },
            { regex: '^(better-sqlite3|drizzle-orm)/', message: DOMAIN_MSG.sql },
            { regex: '^\\.\\./', message: DOMAIN_MSG.outside },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'window', 'document', 'localStorage', '__dirname'].map((name) => ({
          name,
          message: `db/domain/ runs in the engine and in the page alike, where \`${name}\` may not exist. Take the value as an argument.`,
        })),
      ],
    },
  },

  // renderer/: a browser page. Reaches the engine only through window.api.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: RENDERER_MSG.node })),
            { name: 'better-sqlite3', message: RENDERER_MSG.engine },
            { name: 'drizzle-orm', message: RENDERER_MSG.engine },
            { name: 'electron', message: RENDERER_MSG.electron },
          ],
          patterns: [
            { regex: '^node:', message: RENDERER_MSG.node },
            { regex: '^(better-sqlite3|drizzle-orm)/', message: RENDERER_MSG.engine },
            { regex: '^electron/', message: RENDERER_MSG.electron },
            { regex: '^(\\.{1,2}/)+(.*/)?electron(/|$)', message: RENDERER_MSG.electron },
            { regex: '^(\\.{1,2}/)+(.*/)?db(/(?!domain/)|$)', message: RENDERER_MSG.db, allowTypeImports: true },
          ],
        },
      ],
    },
  },

  // The renderer's type-check sees Node's types anyway once it imports result types from
  // db/bridge/contract.ts (@types/better-sqlite3 pulls them in), so Node's globals are refused here.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: `The renderer is a browser page: \`${name}\` does not exist there. Ask the engine through window.api, or use the browser's own API.`,
        })),
      ],
    },
  },

  // electron/: the shell. Only the entry files touch Electron's runtime.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: ELECTRON_MSG, allowTypeImports: true }],
          patterns: [
            { regex: '^electron/', message: ELECTRON_MSG, allowTypeImports: true },
            {
              regex: '^(\\.{1,2}/)+(.*/)?renderer(/|$)',
              message: 'The shell does not import the renderer: the page is loaded as a file and talks back through window.api.',
            },
          ],
        },
      ],
    },
  },
);
