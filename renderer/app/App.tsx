/** The window: header with the views, then the runs list and the open run, the editor, or Settings; banners over them. */
import { useRef, useState } from 'react';
import { EditorView } from '../editor/EditorView';
import { SettingsView } from '../settings/SettingsView';
import { appStore, useWaymark } from '../state/store';
import { Banners } from '../views/common/Banners';
import { RunsList } from '../views/runs/RunsList';
import { RunView } from '../views/run/RunView';
import { StartRunDialog } from '../views/start/StartRunDialog';
import { EmptyState } from '../views/run/EmptyState';
import { navigate, useRoute, type Route } from './hash-route';

const NAV: { view: Route['view']; label: string }[] = [
  { view: 'runs', label: 'Runs' },
  { view: 'editor', label: 'Editor' },
  { view: 'settings', label: 'Settings' },
];

export function App() {
  const [starting, setStarting] = useState(false);
  const openRunId = useWaymark((s) => s.openRunId);
  const route = useRoute();
  const openBeforeStart = useRef<string | null>(null);
  const startRun = () => {
    openBeforeStart.current = appStore.getState().openRunId;
    setStarting(true);
  };
  const go = (view: Route['view']) => {
    if (view === route.view) return;
    navigate(view === 'runs' ? { view, runId: openRunId } : view === 'editor' ? { view, path: null } : { view });
  };
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Waymark
        </div>
        <nav className="app-nav" aria-label="Views">
          {NAV.map(({ view, label }) => (
            <a
              key={view}
              href={view === 'runs' ? '#/' : `#/${view}`}
              className={`nav-link${route.view === view ? ' active' : ''}`}
              aria-current={route.view === view ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                go(view);
              }}
              data-testid={`nav-${view}`}
            >
              {label}
            </a>
          ))}
        </nav>
        <button type="button" className="button primary" onClick={startRun}>
          New run
        </button>
      </header>
      <Banners />
      {route.view === 'runs' && (
        <div className="app-body">
          <RunsList />
          <main className="app-main" aria-label="Run">
            {openRunId ? <RunView runId={openRunId} /> : <EmptyState onStart={startRun} />}
          </main>
        </div>
      )}
      {route.view === 'editor' && (
        <main className="app-page" aria-label="Editor">
          <EditorView path={route.path} />
        </main>
      )}
      {route.view === 'settings' && (
        <main className="app-page" aria-label="Settings">
          <SettingsView />
        </main>
      )}
      {starting && (
        <StartRunDialog
          onClose={() => {
            setStarting(false);
            // A run started from another view opens in the runs view.
            const started = appStore.getState().openRunId;
            if (route.view !== 'runs' && started && started !== openBeforeStart.current) navigate({ view: 'runs', runId: started });
          }}
        />
      )}
    </div>
  );
}
