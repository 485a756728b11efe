/**
 * Builds a `WaymarkApi` from one "send this request" function: one method per channel,
 * generated from `CHANNELS`, so no transport writes a channel name by hand (STYLE rule 2).
 * A failed envelope becomes a rejected `ApiError`; compare its `code`. Every client the
 * renderer, the tests and the CLI use is built here: the browser's WebSocket client, the
 * desktop app's (over the preload's bridge) and the in-memory one.
 */
import { ApiError, CHANNELS, type ApiEvent, type ApiResult, type Channel, type Req, type Res, type WaymarkApi } from './api';

/** Sends one request and settles with the server's envelope. */
export type RequestFn = (channel: Channel, payload: unknown) => Promise<ApiResult<unknown>>;

/**
 * What the desktop preload exposes as `window.waymark`: one method per channel that
 * resolves with the `ApiResult` envelope unchanged, plus events. An envelope is plain
 * data and crosses Electron's context bridge intact, where a thrown error would arrive
 * with its message only (or as "[object Object]"); `apiOverBridge` makes the API of it.
 */
export type WaymarkBridge = { [C in Channel]: (req: Req<C>) => Promise<ApiResult<Res<C>>> } & Pick<WaymarkApi, 'onEvent'>;

export function createApiClient(request: RequestFn, onEvent: (listener: (event: ApiEvent) => void) => () => void): WaymarkApi {
  const methods = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async (payload: unknown) => {
        const result = await request(channel, payload ?? {});
        if (result.ok) return result.value;
        throw new ApiError(result.error);
      },
    ]),
  );
  return { ...methods, onEvent } as WaymarkApi;
}

/** The API over a host's bridge (the desktop preload): the same client code as the browser's. */
export function apiOverBridge(bridge: WaymarkBridge): WaymarkApi {
  return createApiClient(
    (channel, payload) => (bridge[channel] as (payload: unknown) => Promise<ApiResult<unknown>>)(payload),
    (listener) => bridge.onEvent(listener),
  );
}
