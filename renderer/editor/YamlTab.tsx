/** The flow's text, editable: each change is validated like any other edit, and typing is one undo step until the box loses focus. */
import { currentSource } from '../state/editor-slice';
import { useWaymark } from '../state/store';
import type { FlowAnalysis } from './model';

export function YamlTab({ analysis }: { analysis: FlowAnalysis }) {
  const source = useWaymark((s) => (s.editorDoc ? currentSource(s.editorDoc) : ''));
  const setSource = useWaymark((s) => s.editorSetSource);
  const breakCoalescing = useWaymark((s) => s.editorBreakCoalescing);
  const lines = new Set(analysis.problems.map((p) => p.line));
  return (
    <div className="yaml-tab">
      <textarea
        className="yaml-source mono"
        value={source}
        spellCheck={false}
        aria-label="Flow file text"
        data-testid="yaml-source"
        onChange={(e) => setSource(e.target.value, 'yaml')}
        onBlur={breakCoalescing}
      />
      {lines.size > 0 && <p className="yaml-lines muted">Problems on {lines.size === 1 ? 'line' : 'lines'} {[...lines].sort((a, b) => a - b).join(', ')}: see the side panel.</p>}
    </div>
  );
}
