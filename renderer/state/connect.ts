/**
 * Wires one API connection to the store: subscribes to events (through the one event
 * module), loads the runs list, and reloads what is shown after a reconnect, because
 * events sent while the socket was down are lost. Returns the disposer that undoes it.
 */
import type { ApiConnection } from '../api/get-api';
import { navigate } from '../app/hash-route';
import { createEventPump, type EventPump } from './apply-event';
import { createCommands, type Commands } from './commands';
import type { WaymarkStore } from './store';

export interface Connected {
  commands: Commands;
  pump: EventPump;
  dispose(): void;
}

export function connectStore(connection: ApiConnection, store: WaymarkStore): Connected {
  // The callbacks run on a later frame, after `commands` exists.
  const pump = createEventPump({
    store,
    onRunsChanged: (runIds) => void commands.refreshRuns(runIds),
    onRunFinished: (runId) => void commands.reloadRun(runId),
    // The runs view with that run open (the address opens it: hash-route.ts).
    onOpenRun: (runId) => void navigate({ view: 'runs', runId }),
  });
  const commands: Commands = createCommands(connection.api, store, pump);
  const offEvents = connection.api.onEvent(pump.push);
  let wasDown = false;
  const offStatus = connection.onStatus((status) => {
    store.getState().setConnection(status);
    if (status === 'reconnecting') wasDown = true;
    if (status === 'open' && wasDown) {
      wasDown = false;
      void commands.refreshRuns();
      const open = store.getState().openRunId;
      if (open) void commands.reloadRun(open);
    }
  });
  void commands.refreshRuns();
  return {
    commands,
    pump,
    dispose() {
      offEvents();
      offStatus();
    },
  };
}
