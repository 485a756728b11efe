/**
 * An in-memory client for an `ApiServer`: the contract test's transport (STYLE rule 3).
 * Payloads, answers and events are structured-cloned both ways, so nothing passes by
 * reference that a real transport would copy.
 */
import type { ApiEvent, WaymarkApi } from '../../shared/api';
import { createApiClient } from '../../shared/api-client';
import type { ApiServer } from '../api/api-server';

export function createInMemoryApi(server: ApiServer): WaymarkApi {
  return createApiClient(
    async (channel, payload) => structuredClone(await server.request(channel, structuredClone(payload))),
    (listener: (event: ApiEvent) => void) => server.subscribe((event) => listener(structuredClone(event))),
  );
}
