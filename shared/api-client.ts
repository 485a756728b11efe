/**
 * Builds a `WaymarkApi` from one "send this request" function: one method per channel,
 * generated from `CHANNELS`, so no transport writes a channel name by hand (STYLE rule 2).
 * A failed envelope becomes a rejected `ApiError`; compare its `code`.
 */
import { ApiError, CHANNELS, type ApiEvent, type ApiResult, type Channel, type WaymarkApi } from './api';

/** Sends one request and settles with the server's envelope. */
export type RequestFn = (channel: Channel, payload: unknown) => Promise<ApiResult<unknown>>;

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
