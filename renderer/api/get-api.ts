/**
 * Where the renderer's one API object comes from: `window.waymark` when a host provides
 * it (the Electron preload, or a test's fake), otherwise serve mode's WebSocket at the
 * page's own host with the page's `?token=`. Nothing else in the renderer knows which.
 */
import type { WaymarkApi } from '../../shared/api';
import { wsUrlForPage } from '../../shared/ws-protocol';
import { createWsApi, type ConnectionStatus } from './ws-client';

declare global {
  interface Window {
    waymark?: WaymarkApi;
  }
}

export interface ApiConnection {
  api: WaymarkApi;
  /** True in the desktop app (a host-provided API): native file dialogs are available. */
  desktop: boolean;
  /** Connection changes; a host-provided API is always connected. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export type { ConnectionStatus };

let connection: ApiConnection | null = null;

/** The page's one connection: later calls (the editor, settings) share the first one's socket. */
export function getApi(): ApiConnection {
  connection ??= connect();
  return connection;
}

function connect(): ApiConnection {
  if (window.waymark) return { api: window.waymark, desktop: true, onStatus: () => () => {} };
  const url = wsUrlForPage(window.location.href);
  if (!url) throw new Error('This page needs the address printed by `waymark serve`, including its ?token=.');
  const ws = createWsApi(url);
  return { api: ws, desktop: false, onStatus: (listener) => ws.onStatus(listener) };
}
