/** Every problem the loader found, with its line; a click selects the phase it concerns. */
import type { FlowProblem } from '../../shared/flow/problems';
import { useWaymark } from '../state/store';
import type { FlowAnalysis } from './model';

export function ProblemList({ analysis }: { analysis: FlowAnalysis }) {
  const select = useWaymark((s) => s.editorSelect);
  const phaseOf = (p: FlowProblem) => p.phaseId ?? (p.path[0] === 'phases' && typeof p.path[1] === 'number' ? analysis.model.idAt[p.path[1]] : undefined);
  if (analysis.problems.length === 0) {
    return (
      <p className="problems-ok" data-testid="problems-ok">
        ✓ Valid: the engine accepts this flow.
      </p>
    );
  }
  return (
    <div className="problem-list" data-testid="problem-list">
      <h3>
        {analysis.problems.length} {analysis.problems.length === 1 ? 'problem' : 'problems'}: fix {analysis.problems.length === 1 ? 'it' : 'them'} to save
      </h3>
      <ul>
        {analysis.problems.map((p, i) => {
          const id = phaseOf(p);
          return (
            <li key={i}>
              <button type="button" className="problem-item" disabled={!id} onClick={() => id && select({ type: 'phase', id })}>
                <span className="problem-where num">line {p.line}</span>
                <span>{p.message}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
