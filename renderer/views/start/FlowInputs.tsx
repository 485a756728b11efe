/** The chosen flow: its problems when invalid, otherwise its inputs with their defaults. */
import type { FlowDocument } from '../../../shared/api';

interface Props {
  doc: FlowDocument;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}

export function FlowInputs({ doc, values, onChange }: Props) {
  if (!doc.flow) {
    return (
      <div className="flow-problems" role="alert">
        <p>This flow cannot run:</p>
        <ul>
          {doc.problems.map((p, i) => (
            <li key={i}>
              line {p.line}:{p.column}: 
              {p.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const { flow } = doc;
  return (
    <div className="flow-summary">
      <p className="muted">
        {flow.description ? `${flow.description} · ` : ''}
        {flow.phases.length} {flow.phases.length === 1 ? 'phase' : 'phases'}
      </p>
      {flow.inputs.length === 0 ? (
        <p className="muted">This flow takes no inputs.</p>
      ) : (
        <fieldset className="flow-inputs">
          <legend>Inputs</legend>
          {flow.inputs.map((input) => (
            <label key={input.name} className="field">
              <span className="field-label">{input.name}</span>
              <input
                type="text"
                name={`input-${input.name}`}
                value={values[input.name] ?? ''}
                placeholder={input.default ?? ''}
                onChange={(e) => onChange({ ...values, [input.name]: e.target.value })}
              />
              {input.description && <span className="field-help muted">{input.description}</span>}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
