/**
 * Where the editor draws each phase: the file's `layout:` position when it has one; for
 * a phase added by a click, the spot it was put in (`spots`, until it is dragged or
 * tidied); otherwise where elk (`layoutGraph`, the run view's layout) puts it, relative
 * to its placed neighbours (tidy.ts `placeUnplaced`), never on top of another phase.
 */
import type { Positions } from '../graph/layout-constants';
import type { FlowModel } from './model';
import { placeUnplaced, type Point } from './tidy';

export { freePosition } from './free-spot';

const NO_SPOTS: ReadonlyMap<string, Point> = new Map();

/** Whether some phase has no position in the file, so elk must place it. */
export function needsAutoLayout(model: FlowModel): boolean {
  return model.phases.some((p) => !model.layout.has(p.id));
}

/** The phases without a position in the file: what "Tidy layout" arranges. */
export function unplacedPhases(model: FlowModel): string[] {
  return model.phases.filter((p) => !model.layout.has(p.id)).map((p) => p.id);
}

/** The structure elk lays out: ids and edges; positions are recomputed only when it changes. */
export function structureKey(model: FlowModel): string {
  return model.phases.map((p) => `${p.id}<${p.dependsOn.join(',')}`).join(';');
}

/**
 * Every phase's position (see the file comment). A phase elk has not placed yet (it is
 * still laying out a new structure) waits in a free spot. Null before the first layout.
 */
export function resolvePositions(model: FlowModel, auto: Positions | null, spots: ReadonlyMap<string, Point> = NO_SPOTS): Map<string, Point> | null {
  const positions = new Map<string, Point>();
  for (const phase of model.phases) {
    const pos = model.layout.get(phase.id) ?? spots.get(phase.id);
    if (pos) positions.set(phase.id, pos);
  }
  if (positions.size === model.phases.length) return positions;
  if (auto === null) return null;
  const placed = placeUnplaced(model.phases, positions, auto);
  return new Map(model.phases.map((p) => [p.id, positions.get(p.id) ?? (placed.get(p.id) as Point)]));
}

/** A new phase id for `kind`: `agent_1`, `agent_2`… the first one not taken. */
export function newPhaseId(kind: string, taken: readonly string[]): string {
  const base = kind.replace(/[^a-z0-9_-]/g, '') || 'phase';
  for (let n = 1; ; n++) if (!taken.includes(`${base}_${n}`)) return `${base}_${n}`;
}
