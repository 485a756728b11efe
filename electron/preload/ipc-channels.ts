/**
 * The IPC channel names of the desktop transport, derived from the API contract table so
 * none is written by hand (STYLE rule 2). Shared by the preload and the main-process
 * binding (electron/transport/ipc-main.ts).
 */
import type { Channel } from '../../shared/api';

/** The one channel the main process pushes `ApiEvent`s on. */
export const EVENT_CHANNEL = 'waymark:event';

/** The `ipcMain.handle` channel of an API channel: `waymark:runs.list`, ... */
export function ipcChannel(channel: Channel): `waymark:${Channel}` {
  return `waymark:${channel}`;
}
