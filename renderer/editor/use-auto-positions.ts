/**
 * elk positions for a flow whose file does not place every phase. Laid out only when
 * the structure (ids and edges) changes; a stale answer is dropped.
 */
import { useEffect, useState } from 'react';
import { layeredLayout } from '../graph/layered-layout';
import { layoutGraph } from '../graph/layout';
import type { Positions } from '../graph/layout-constants';
import type { FlowModel } from './model';
import { needsAutoLayout, structureKey } from './positions';

export interface AutoPositions {
  positions: Positions | null;
  /** elk is laying out a structure it has not answered for yet. */
  pending: boolean;
}

export function useAutoPositions(model: FlowModel): AutoPositions {
  const needed = needsAutoLayout(model);
  const key = needed ? structureKey(model) : null;
  const [laidOut, setLaidOut] = useState<{ key: string; positions: Positions } | null>(null);
  const phases = model.phases;
  useEffect(() => {
    if (key === null) return;
    let current = true;
    const input = phases.map((p) => ({ id: p.id, dependsOn: p.dependsOn }));
    layoutGraph(input)
      .catch(() => layeredLayout(input))
      .then((positions) => current && setLaidOut({ key, positions }));
    return () => {
      current = false;
    };
    // `phases` is a new array after every edit; the layout depends only on the structure key.
  }, [key]);

  if (key === null) return { positions: null, pending: false };
  // The previous layout stays drawn until the new one arrives (no flash of an empty graph);
  // resolvePositions places phases it does not know yet.
  return { positions: laidOut?.positions ?? null, pending: laidOut?.key !== key };
}
