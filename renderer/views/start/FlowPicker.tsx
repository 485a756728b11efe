/** The flow files the app can run, as a list of radio buttons. */
import type { FlowFileInfo } from '../../../shared/api';

export function FlowPicker({ flows, selected, onPick }: { flows: FlowFileInfo[] | null; selected: string | null; onPick: (path: string) => void }) {
  if (flows === null) return <p className="muted">Looking for flows…</p>;
  if (flows.length === 0) return <p className="muted">No flow files found.</p>;
  return (
    <fieldset className="flow-picker">
      <legend>Flow</legend>
      <div className="flow-options" role="radiogroup">
        {flows.map((f) => (
          <label key={f.path} className={`flow-option${selected === f.path ? ' checked' : ''}`} data-testid={`flow-option-${f.name}`}>
            <input type="radio" name="flow" value={f.path} checked={selected === f.path} onChange={() => onPick(f.path)} />
            <span className="flow-name">{f.name}</span>
            <span className="flow-path muted">{f.path}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
