/**
 * Where the renderer's one API object comes from: the host's bridge `window.waymark`
 * when there is one (the Electron preload, or a test's stand-in), otherwise serve mode's
 * WebSocket at the page's own host with the page's `?token=`. Both are made into the API
 * by the same client code (shared/api-client.ts): the bridge answers envelopes, like the
 * socket. Nothing else in the renderer knows which.
 */
import type { WaymarkApi } from '../../shared/api';
import { apiOverBridge, type WaymarkBridge } from '../../shared/api-client';
import { wsUrlForPage } from '../../shared/ws-protocol';
import { createWsApi, type ConnectionStatus } from './ws-client';

declare global {
  interface Window {
    waymark?: WaymarkBridge;
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
  if (window.waymark) return { api: apiOverBridge(window.waymark), desktop: true, onStatus: () => () => {} };
  const url = wsUrlForPage(window.location.href);
  if (!url) throw new Error('This page needs the address printed by `waymark serve`, including its ?token=.');
  const ws = createWsApi(url);
  return { api: ws, desktop: false, onStatus: (listener) => ws.onStatus(listener) };
}
