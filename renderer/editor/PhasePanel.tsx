/** The selected phase in the side panel: its id (rename), kind, every field of its kind, and Delete. */
import { useState } from 'react';
import { useWaymark } from '../state/store';
import { FieldEditor } from './FieldEditor';
import { fieldsOf } from './fields';
import type { FlowAnalysis, ModelPhase } from './model';
import { shortMessage } from './problem-map';

export function PhasePanel({ phase, analysis }: { phase: ModelPhase; analysis: FlowAnalysis }) {
  const apply = useWaymark((s) => s.editorApply);
  const problems = analysis.byPhase.phases.get(phase.id);
  const fields = fieldsOf(phase.kind);
  // Problems about keys the panel has no editor for (an unknown key, say) are listed on top.
  const elsewhere = [...(problems?.general ?? []), ...[...(problems?.byField ?? [])].filter(([key]) => key !== 'id' && !fields.includes(key)).flatMap(([, list]) => list)];
  return (
    <div className="phase-panel" data-testid="phase-panel" data-phase-id={phase.id}>
      <header className="panel-head">
        <span className={`kind-icon kind-${phase.kind}`} aria-hidden="true">
          {phase.kind === 'agent' ? '✦' : '›_'}
        </span>
        <span className="panel-kind">{phase.kind} phase</span>
      </header>
      {elsewhere.length > 0 && (
        <ul className="panel-problems" role="alert">
          {elsewhere.map((p, i) => (
            <li key={i}>{shortMessage(p)}</li>
          ))}
        </ul>
      )}
      <IdField key={phase.id} id={phase.id} problems={problems?.byField.get('id')?.map(shortMessage) ?? []} />
      {fields.map((field) => (
        <FieldEditor key={`${phase.id}:${field}`} phase={phase} field={field} model={analysis.model} problems={problems?.byField.get(field) ?? []} />
      ))}
      <footer className="panel-foot">
        <button type="button" className="button danger small" onClick={() => apply({ type: 'delete-phase', id: phase.id })} data-testid="delete-phase">
          Delete phase
        </button>
      </footer>
    </div>
  );
}

/** Renaming on every keystroke would rename through half-typed ids: it happens on Enter or when the box loses focus. */
function IdField({ id, problems }: { id: string; problems: string[] }) {
  const apply = useWaymark((s) => s.editorApply);
  const [draft, setDraft] = useState(id);
  const commit = () => {
    if (draft !== id && !apply({ type: 'rename-phase', from: id, to: draft })) setDraft(id);
  };
  return (
    <div className={`editor-field${problems.length > 0 ? ' invalid' : ''}`}>
      <label className="editor-field-label" htmlFor="field-id">
        Id<code className="field-key">id</code>
      </label>
      <input
        id="field-id"
        type="text"
        className="mono"
        value={draft}
        spellCheck={false}
        data-testid="field-id"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(id);
        }}
      />
      <span className="field-help muted">Renaming updates depends_on, templates and the layout.</span>
      {problems.map((p, i) => (
        <span key={i} className="field-problem" role="alert">
          {p}
        </span>
      ))}
    </div>
  );
}
