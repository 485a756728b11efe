/** The right-hand panel: the selected phase's fields, the selected dependency, or the flow and its problems. */
import { useWaymark } from '../state/store';
import type { FlowAnalysis } from './model';
import { PhasePanel } from './PhasePanel';
import { ProblemList } from './ProblemList';

export function SidePanel({ analysis }: { analysis: FlowAnalysis }) {
  const selection = useWaymark((s) => s.editorSelection);
  const apply = useWaymark((s) => s.editorApply);
  const phase = selection?.type === 'phase' ? analysis.model.phases.find((p) => p.id === selection.id) : undefined;
  return (
    <aside className="editor-panel" aria-label="Properties" data-testid="editor-panel">
      {phase ? (
        <PhasePanel phase={phase} analysis={analysis} />
      ) : selection?.type === 'edge' ? (
        <div className="edge-panel" data-testid="edge-panel">
          <header className="panel-head">Dependency</header>
          <p>
            <code>{selection.to}</code> depends on <code>{selection.from}</code>: it starts after <code>{selection.from}</code> succeeds and may use its output.
          </p>
          <button type="button" className="button danger small" onClick={() => apply({ type: 'remove-dependency', phase: selection.to, dependsOn: selection.from })}>
            Remove dependency
          </button>
        </div>
      ) : (
        <div className="flow-panel">
          <header className="panel-head">{analysis.model.name ?? 'Flow'}</header>
          <p className="muted panel-hint">
            Select a phase to edit it. Drag from a phase&apos;s right handle to another&apos;s left handle to make it a dependency; select a phase or an edge and press Delete to remove it.
          </p>
          <ProblemList analysis={analysis} />
        </div>
      )}
      {phase && analysis.problems.length > 0 && <ProblemList analysis={analysis} />}
    </aside>
  );
}
