/**
 * Preload (entry file): runs sandboxed, bundled to CommonJS by scripts/build-shell.mjs
 * (a sandboxed preload can require only 'electron' and a few built-ins, so everything it uses
 * is bundled in). Exposes `window.api` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createWindowApi } from './preload-api.js';

contextBridge.exposeInMainWorld('api', createWindowApi(ipcRenderer));
