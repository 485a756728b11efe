/**
 * What a transport mounts: the dispatch every request goes through and the event
 * stream. The WebSocket server, the Electron IPC binding and the in-memory test pair
 * are thin adapters over this.
 */
import type { ApiEvent, ApiResult } from '../../shared/api';
import { createDispatch, type DispatchOptions } from './dispatch';
import { createEventHub, type EventHubOptions } from './event-hub';
import { createHandlers, type HandlerDeps } from './handlers';

export interface ApiServer {
  request(channel: unknown, payload: unknown): Promise<ApiResult<unknown>>;
  /** Returns the disposer. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Stops the event hub; the engine and its store stay open (their owner closes them). */
  close(): Promise<void>;
}

export interface ApiServerOptions extends DispatchOptions, HandlerDeps {
  pollMs?: number;
  onPollError?: EventHubOptions['onError'];
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const request = createDispatch(createHandlers(options), options);
  const hub = await createEventHub({ engine: options.engine, ...(options.pollMs ? { pollMs: options.pollMs } : {}), ...(options.onPollError ? { onError: options.onPollError } : {}) });
  return { request, subscribe: hub.subscribe, close: hub.close };
}
