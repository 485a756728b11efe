/**
 * The object the preload exposes as `window.waymark`: one method per channel of the
 * contract table, plus `onEvent` with a disposer (STYLE rules 2, 4, 15). Built over a
 * narrow slice of `ipcRenderer` so it is tested without Electron; `ipcRenderer` itself
 * never leaves this closure.
 *
 * A failed request rejects with a plain object `{ name: 'ApiError', message, code, error }`
 * rather than an Error: contextBridge copies only the message of an Error, and the
 * renderer compares `code` (STYLE rule 6).
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiResult, Channel, WaymarkApi } from '../../shared/api';
import type { WaymarkErrorData } from '../../shared/errors';
import { CHANNELS } from './channel-list';
import { EVENT_CHANNEL, ipcChannel } from './ipc-channels';

/** What a failed request rejects with, once it has crossed the context bridge. */
export interface BridgedApiError {
  name: 'ApiError';
  message: string;
  code: WaymarkErrorData['code'];
  error: WaymarkErrorData;
}

export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createPreloadApi(ipc: PreloadIpc): WaymarkApi {
  const invoker = <C extends Channel>(channel: C): WaymarkApi[C] => {
    const call = async (payload: unknown) => {
      const result = (await ipc.invoke(ipcChannel(channel), payload ?? {})) as ApiResult<unknown>;
      if (result.ok) return result.value;
      const rejection: BridgedApiError = { name: 'ApiError', message: result.error.message, code: result.error.code, error: result.error };
      throw rejection;
    };
    return call as WaymarkApi[C];
  };

  // One IPC listener, fanned out: any number of subscribers, nothing left behind.
  const listeners = new Set<(event: ApiEvent) => void>();
  const deliver = (_event: IpcRendererEvent, payload: ApiEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(payload);
      } catch {
        // one failing subscriber must not starve the others
      }
    }
  };
  const onEvent = (listener: (event: ApiEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    if (listeners.size === 0) ipc.on(EVENT_CHANNEL, deliver);
    listeners.add(listener);
    return () => {
      if (!listeners.delete(listener)) return;
      if (listeners.size === 0) ipc.removeListener(EVENT_CHANNEL, deliver);
    };
  };

  const methods = Object.fromEntries(CHANNELS.map((channel) => [channel, invoker(channel)])) as { [C in Channel]: WaymarkApi[C] };
  return { ...methods, onEvent } satisfies WaymarkApi;
}
