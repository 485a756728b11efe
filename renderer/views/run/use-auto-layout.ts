/**
 * Lays the open run's graph out whenever its structure (ids and edges) changes, and
 * only then: status changes keep the structure object, so nodes never jump while a
 * run streams. A stale answer (the structure changed meanwhile) is dropped by setLayout.
 */
import { useEffect } from 'react';
import { layeredLayout } from '../../graph/layered-layout';
import { layoutGraph } from '../../graph/layout';
import { useWaymark } from '../../state/store';

export function useAutoLayout(): void {
  const structure = useWaymark((s) => s.view?.structure ?? null);
  const setLayout = useWaymark((s) => s.setLayout);
  useEffect(() => {
    if (!structure) return;
    let current = true;
    layoutGraph(structure)
      .catch(() => layeredLayout(structure))
      .then((positions) => current && setLayout(structure, positions));
    return () => {
      current = false;
    };
  }, [structure, setLayout]);
}
