/** The open run: header with its actions, the live graph, and the phase inspector over it. */
import { useWaymark } from '../../state/store';
import { PhaseInspector } from '../inspector/PhaseInspector';
import { Legend } from './Legend';
import { RunGraph } from './RunGraph';
import { RunHeader } from './RunHeader';

export function RunView({ runId }: { runId: string }) {
  const loaded = useWaymark((s) => s.view !== null);
  const error = useWaymark((s) => s.viewError);
  const inspecting = useWaymark((s) => s.selectedPhaseId !== null);
  if (!loaded) {
    return (
      <div className="run-view-status" role={error ? 'alert' : 'status'}>
        {error ? `Could not load run ${runId}: ${error}` : 'Loading run…'}
      </div>
    );
  }
  return (
    <section className="run-view" data-testid="run-view" data-run-id={runId}>
      <RunHeader />
      <div className={`run-body${inspecting ? ' inspecting' : ''}`}>
        <RunGraph />
        <Legend />
        {inspecting && <PhaseInspector />}
      </div>
    </section>
  );
}
