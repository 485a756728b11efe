/**
 * The sandboxed preload: exposes `window.waymark` (preload-api.ts) and nothing else —
 * never `ipcRenderer`. Bundled to one CommonJS file (dist/electron/preload.cjs) by
 * scripts/build-electron.mjs: a sandboxed preload cannot load ES modules or other files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('waymark', createPreloadApi(ipcRenderer));
