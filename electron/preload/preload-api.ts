/**
 * The object the preload exposes as `window.waymark` (a `WaymarkBridge`): one method per
 * channel of the contract table that resolves with the `ApiResult` envelope exactly as the
 * main process answered it, plus `onEvent` with a disposer (STYLE rules 2, 4, 15). The
 * renderer turns it into its API with the same client code as in the browser
 * (shared/api-client.ts), so a failed request rejects with the same `ApiError`, message
 * and code intact: an envelope is plain data, which the context bridge copies whole.
 *
 * Built over a narrow slice of `ipcRenderer` so it is tested without Electron;
 * `ipcRenderer` itself never leaves this closure.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiResult, Channel } from '../../shared/api';
import type { WaymarkBridge } from '../../shared/api-client';
import { createEmitter } from '../../shared/emitter';
import { CHANNELS } from './channel-list';
import { EVENT_CHANNEL, ipcChannel } from './ipc-channels';

export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createPreloadApi(ipc: PreloadIpc): WaymarkBridge {
  const invoker = <C extends Channel>(channel: C): WaymarkBridge[C] => {
    const call = (payload: unknown) => ipc.invoke(ipcChannel(channel), payload ?? {}) as Promise<ApiResult<unknown>>;
    return call as WaymarkBridge[C];
  };

  // One IPC listener, attached while anyone listens; one failing subscriber never starves the others.
  const deliver = (_event: IpcRendererEvent, payload: ApiEvent) => events.emit(payload);
  const events = createEmitter<ApiEvent>({
    onFirst: () => ipc.on(EVENT_CHANNEL, deliver),
    onLast: () => ipc.removeListener(EVENT_CHANNEL, deliver),
  });

  const methods = Object.fromEntries(CHANNELS.map((channel) => [channel, invoker(channel)])) as { [C in Channel]: WaymarkBridge[C] };
  return { ...methods, onEvent: (listener) => events.on(listener) } satisfies WaymarkBridge;
}
