/** Renderer entry: find the API, connect it to the store, render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api/get-api';
import { App } from './app/App';
import { CommandsContext } from './app/commands-context';
import { syncRunWithHash } from './app/hash-route';
import { StartupError } from './app/StartupError';
import { browserNotifyHost } from './notify/browser-host';
import { watchRunsForNotifications } from './notify/browser-notifications';
import { connectStore } from './state/connect';
import { appStore } from './state/store';
import '@xyflow/react/dist/style.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/runs.css';
import './styles/run.css';
import './styles/graph.css';
import './styles/inspector.css';
import './styles/dialog.css';
import './styles/approvals.css';
import './styles/spend.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  const connection = getApi();
  const { commands } = connectStore(connection, appStore);
  syncRunWithHash(appStore, commands);
  // The desktop app notifies from its main process (electron/shell/run-notifications.ts).
  if (!connection.desktop) watchRunsForNotifications(connection.api, appStore, browserNotifyHost());
  root.render(
    <StrictMode>
      <CommandsContext value={commands}>
        <App />
      </CommandsContext>
    </StrictMode>,
  );
} catch (err) {
  root.render(<StartupError message={err instanceof Error ? err.message : String(err)} />);
}
