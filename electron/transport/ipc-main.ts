/**
 * The desktop transport (SPEC §1, STYLE rule 5): every channel of the contract table is
 * bound with `ipcMain.handle` through one wrapper that
 *   1. checks the sender — the main frame of OUR window's webContents, showing an app URL
 *      (a foreign frame, another webContents or a navigated-away page is refused);
 *   2. hands channel and payload to the API's one `dispatch` (zod validation, handler,
 *      `ApiResult` envelope — a bad payload answers INVALID_REQUEST, nothing throws).
 * Events go to the window with `webContents.send` on the one event channel.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, type ApiEvent, type ApiResult } from '../../shared/api';
import type { Dispatch } from '../api/dispatch';
import { EVENT_CHANNEL, ipcChannel } from '../preload/ipc-channels';

/** The webContents the app talks to: the main window's, or null while there is none. */
export type TrustedContents = () => Pick<WebContents, 'id' | 'mainFrame' | 'isDestroyed'> | null;

export interface IpcBindingOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  trusted: TrustedContents;
  /** True for URLs of the app itself. */
  isAppUrl: (url: string) => boolean;
  /** Told about each refused sender (for the log); never gets the payload. */
  onRefused?: (channel: string, reason: string) => void;
}

export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** Binds every channel; returns the disposer that removes the handlers. */
export function bindIpcApi(options: IpcBindingOptions): () => void {
  for (const channel of CHANNELS) {
    options.ipcMain.handle(ipcChannel(channel), async (event, payload: unknown): Promise<ApiResult<unknown>> => {
      const refusal = senderRefusal(event, options.trusted, options.isAppUrl);
      if (refusal !== null) {
        options.onRefused?.(channel, refusal);
        return { ok: false, error: { code: 'UNAUTHORIZED', message: `request refused: ${refusal}` } };
      }
      return options.dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of CHANNELS) options.ipcMain.removeHandler(ipcChannel(channel));
  };
}

/** Why `event` may not call the API, or null when it may. */
export function senderRefusal(event: SenderEvent, trusted: TrustedContents, isAppUrl: (url: string) => boolean): string | null {
  const contents = trusted();
  if (!contents || contents.isDestroyed()) return 'the app window is not open';
  if (event.sender.id !== contents.id) return 'the sender is not the app window';
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  const main = contents.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return 'the sender is not the main frame of the app window';
  if (!isAppUrl(frame.url)) return 'the sending page is not the app';
  return null;
}

/** Sends every API event to the trusted window while it is open; returns the disposer. */
export function forwardEvents(subscribe: (listener: (event: ApiEvent) => void) => () => void, trusted: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  return subscribe((event) => {
    const contents = trusted();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
}
