/**
 * The editor without a file: the flow files under the flow folder (flows.list, the same
 * list in the browser and the desktop app), "New flow", and in the desktop app
 * "Open file…" with the OS dialog (flows.pick).
 */
import { useEffect, useState } from 'react';
import type { FlowFileInfo } from '../../shared/api';
import { getApi } from '../api/get-api';
import { navigate } from '../app/hash-route';
import { messageOf } from '../state/commands';
import { filterFlows, FLOW_SEARCH_FROM } from '../util/flow-filter';
import { editorCommands } from './editor-api';
import { NewFlowDialog } from './NewFlowDialog';

export function FileChooser() {
  const [flows, setFlows] = useState<FlowFileInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [query, setQuery] = useState('');
  const shown = flows && filterFlows(flows, query);
  useEffect(() => {
    let current = true;
    editorCommands()
      .listFlows()
      .then((list) => current && setFlows(list))
      .catch((err) => current && setError(`Could not list the flow files: ${messageOf(err)}`));
    return () => {
      current = false;
    };
  }, []);
  return (
    <section className="file-chooser" data-testid="file-chooser">
      <header className="chooser-head">
        <div>
          <h1>Edit a flow</h1>
          <p className="muted">Open a flow file from the flow folder, or start a new one.</p>
        </div>
        <div className="chooser-actions">
          {getApi().desktop && (
            <button type="button" className="button" onClick={() => void openPicked(setError)} data-testid="pick-flow">
              Open file…
            </button>
          )}
          <button type="button" className="button primary" onClick={() => setCreating(true)} data-testid="new-flow">
            + New flow
          </button>
        </div>
      </header>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {flows === null && !error && <p className="muted">Looking for flows…</p>}
      {flows?.length === 0 && <p className="muted">No flow files yet (a flow is a .yaml file with a top-level <code>phases:</code> list). Create one with “New flow”.</p>}
      {flows && flows.length >= FLOW_SEARCH_FROM && (
        <input type="search" className="flow-search" placeholder="Search flows" aria-label="Search flows" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="flow-search" />
      )}
      {shown?.length === 0 && flows?.length !== 0 && <p className="muted">No flow matches “{query}”.</p>}
      <ul className="chooser-list">
        {shown?.map((f) => (
          <li key={f.path}>
            <button type="button" className="chooser-item" onClick={() => navigate({ view: 'editor', path: f.path })} data-testid={`open-flow-${f.path}`}>
              <span className="flow-name">{f.name}</span>
              <span className="flow-path muted">{f.path}</span>
              {f.description && <span className="flow-description muted">{f.description}</span>}
            </button>
          </li>
        ))}
      </ul>
      {creating && <NewFlowDialog onClose={() => setCreating(false)} />}
    </section>
  );
}

async function openPicked(setError: (message: string) => void): Promise<void> {
  try {
    const path = await editorCommands().pickFlow();
    if (path) navigate({ view: 'editor', path });
  } catch (err) {
    setError(`Could not open the file: ${messageOf(err)}`);
  }
}
