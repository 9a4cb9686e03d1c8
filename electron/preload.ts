/**
 * Preload (entry file): runs sandboxed, bundled to CommonJS by scripts/build-shell.mjs
 * (a sandboxed preload can require only 'electron' and a few built-ins, so everything it uses
 * is bundled in; db/bridge/channels.ts has no runtime imports). Exposes `window.api` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../db/bridge/channels.js';
import { createWindowApi } from './preload-api.js';

contextBridge.exposeInMainWorld('api', createWindowApi(ipcRenderer, CHANNELS));
