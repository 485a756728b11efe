/** The flow files the app can run, as a list of radio buttons with descriptions and a search box. */
import { useState } from 'react';
import type { FlowFileInfo } from '../../../shared/api';
import { filterFlows, FLOW_SEARCH_FROM } from '../../util/flow-filter';

export function FlowPicker({ flows, selected, onPick }: { flows: FlowFileInfo[] | null; selected: string | null; onPick: (path: string) => void }) {
  const [query, setQuery] = useState('');
  if (flows === null) return <p className="muted">Looking for flows…</p>;
  if (flows.length === 0) return <p className="muted">No flow files found (a flow is a .yaml file with a top-level <code>phases:</code> list).</p>;
  const shown = filterFlows(flows, query);
  return (
    <fieldset className="flow-picker">
      <legend>Flow</legend>
      {flows.length >= FLOW_SEARCH_FROM && (
        <input type="search" className="flow-search" placeholder="Search flows" aria-label="Search flows" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="flow-search" />
      )}
      <div className="flow-options" role="radiogroup" aria-label="Flow">
        {shown.map((f) => (
          <label key={f.path} className={`flow-option${selected === f.path ? ' checked' : ''}`} data-testid={`flow-option-${f.name}`}>
            <input type="radio" name="flow" value={f.path} checked={selected === f.path} onChange={() => onPick(f.path)} />
            <span className="flow-name">{f.name}</span>
            <span className="flow-path muted">{f.path}</span>
            {f.description && <span className="flow-description muted">{f.description}</span>}
          </label>
        ))}
        {shown.length === 0 && <p className="muted">No flow matches “{query}”.</p>}
      </div>
    </fieldset>
  );
}
