/** The open run: header with its actions, the live graph (or the list of phases), and the phase inspector over it. */
import { useWaymark } from '../../state/store';
import { PhaseInspector } from '../inspector/PhaseInspector';
import { BudgetBanner } from './BudgetBanner';
import { Legend } from './Legend';
import { PhaseList } from './PhaseList';
import { RunGraph } from './RunGraph';
import { RunHeader } from './RunHeader';
import { RunToolbar } from './RunToolbar';
import '../../styles/run-tools.css';

export function RunView({ runId }: { runId: string }) {
  const loaded = useWaymark((s) => s.view !== null);
  const error = useWaymark((s) => s.viewError);
  const inspecting = useWaymark((s) => s.selectedPhaseId !== null);
  const display = useWaymark((s) => s.runDisplay);
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
      <BudgetBanner />
      <RunToolbar />
      <div className={`run-body${inspecting ? ' inspecting' : ''}`}>
        {display === 'graph' ? (
          <>
            <RunGraph />
            <Legend />
          </>
        ) : (
          <PhaseList />
        )}
        {inspecting && <PhaseInspector />}
      </div>
    </section>
  );
}
