/** A phase's dependencies: remove one, or add one that would not close a cycle (the same check as dragging an edge). */
import { wouldCreateCycle } from '../../shared/flow/graph';
import { useWaymark } from '../state/store';
import type { FlowModel, ModelPhase } from './model';

export function DependsOnField({ phase, model }: { phase: ModelPhase; model: FlowModel }) {
  const apply = useWaymark((s) => s.editorApply);
  const graph = model.phases.map((p) => ({ id: p.id, depends_on: p.dependsOn }));
  const candidates = model.phases.filter((p) => p.id !== phase.id && !phase.dependsOn.includes(p.id));
  return (
    <div className="depends-on" data-testid="field-depends_on">
      {phase.dependsOn.length === 0 && <span className="muted">none: starts with the run</span>}
      {phase.dependsOn.map((dep) => (
        <span key={dep} className="dep-chip">
          <code>{dep}</code>
          <button type="button" className="chip-remove" aria-label={`Remove dependency on ${dep}`} onClick={() => apply({ type: 'remove-dependency', phase: phase.id, dependsOn: dep })}>
            ×
          </button>
        </span>
      ))}
      {candidates.length > 0 && (
        <select
          aria-label="Add a dependency"
          value=""
          onChange={(e) => e.target.value && apply({ type: 'add-dependency', phase: phase.id, dependsOn: e.target.value })}
        >
          <option value="">+ add…</option>
          {candidates.map((p) => {
            const cycle = wouldCreateCycle(graph, p.id, phase.id);
            return (
              <option key={p.id} value={p.id} disabled={Boolean(cycle)}>
                {p.id}
                {cycle ? ` (cycle: ${cycle.join(' → ')})` : ''}
              </option>
            );
          })}
        </select>
      )}
    </div>
  );
}
