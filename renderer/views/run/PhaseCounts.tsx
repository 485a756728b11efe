/** "3 / 5 done": the open run's progress. */
import { useShallow } from 'zustand/react/shallow';
import { useWaymark } from '../../state/store';

export function PhaseCounts() {
  const [done, total] = useWaymark(
    useShallow((s) => {
      const phases = s.view ? Object.values(s.view.phases) : [];
      return [phases.filter((p) => p.status === 'succeeded' || p.status === 'skipped').length, phases.length];
    }),
  );
  return (
    <>
      {done} / {total} done
    </>
  );
}
