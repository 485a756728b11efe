/** The window: header, runs list, the open run, and the banners over them. */
import { useState } from 'react';
import { useWaymark } from '../state/store';
import { Banners } from '../views/common/Banners';
import { RunsList } from '../views/runs/RunsList';
import { RunView } from '../views/run/RunView';
import { StartRunDialog } from '../views/start/StartRunDialog';
import { EmptyState } from '../views/run/EmptyState';

export function App() {
  const [starting, setStarting] = useState(false);
  const openRunId = useWaymark((s) => s.openRunId);
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Waymark
        </div>
        <button type="button" className="button primary" onClick={() => setStarting(true)}>
          New run
        </button>
      </header>
      <Banners />
      <div className="app-body">
        <RunsList />
        <main className="app-main" aria-label="Run">
          {openRunId ? <RunView runId={openRunId} /> : <EmptyState onStart={() => setStarting(true)} />}
        </main>
      </div>
      {starting && <StartRunDialog onClose={() => setStarting(false)} />}
    </div>
  );
}
