/**
 * The editor's layout actions, over the graph's top right corner (tidy.ts):
 * - "Tidy layout" places the phases that have no saved position (added by a click, in
 *   the YAML, or by another editor) next to their neighbours; every phase you placed
 *   stays where it is;
 * - "Tidy all" arranges every phase with the automatic layout.
 * Each is one edit of the file's `layout:`, so one Undo puts the graph back. A file
 * without `layout:` is laid out automatically anyway: both wait for a first move.
 */
import { Panel, useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { layeredLayout } from '../graph/layered-layout';
import { layoutGraph } from '../graph/layout';
import { appStore, useWaymark } from '../state/store';
import type { FlowModel } from './model';
import { unplacedPhases } from './positions';
import { placeUnplaced, tidyAll, type Point } from './tidy';

const FIT = { padding: { top: '64px', bottom: '48px', left: '32px', right: '32px' }, maxZoom: 1.1, minZoom: 0.2, duration: 300 } as const;

export function LayoutTools({ model, drawn }: { model: FlowModel; drawn: ReadonlyMap<string, Point> | null }) {
  const apply = useWaymark((s) => s.editorApply);
  const say = useWaymark((s) => s.editorSetMessage);
  const { fitView } = useReactFlow();
  const [busy, setBusy] = useState(false);
  const unplaced = model.hasLayout ? unplacedPhases(model) : [];
  const count = model.phases.length;
  const automatic = 'Laid out automatically: positions are kept once you move a phase';

  const tidy = async (all: boolean) => {
    const before = appStore.getState().editorDoc;
    const input = model.phases.map((p) => ({ id: p.id, dependsOn: p.dependsOn }));
    setBusy(true);
    const auto = await layoutGraph(input).catch(() => layeredLayout(input));
    setBusy(false);
    // An edit made while elk worked wins: this layout was for the text before it.
    if (appStore.getState().editorDoc !== before) return;
    const positions = all ? tidyAll(auto, drawn?.values() ?? []) : placeUnplaced(model.phases, model.layout, auto);
    if (!apply({ type: 'move-phases', positions: Object.fromEntries(positions) })) return;
    const moved = appStore.getState().editorDoc !== before;
    const what = all ? `Arranged all ${count} phases` : `Placed ${positions.size} ${positions.size === 1 ? 'phase' : 'phases'} next to ${positions.size === 1 ? 'its' : 'their'} neighbours`;
    say({ tone: 'info', text: moved ? `${what}. Undo (Ctrl+Z) puts ${positions.size === 1 ? 'it' : 'them'} back.` : 'The layout is already tidy.' });
    // Show the result once React Flow has the new positions: the whole graph, or the placed phases with their neighbours.
    const near = (p: FlowModel['phases'][number]) => positions.has(p.id) || p.dependsOn.some((d) => positions.has(d)) || model.phases.some((q) => positions.has(q.id) && q.dependsOn.includes(p.id));
    const nodes = all ? undefined : model.phases.filter(near).map((p) => ({ id: p.id }));
    requestAnimationFrame(() => void fitView({ ...FIT, ...(nodes ? { nodes } : {}) }));
  };

  return (
    <Panel position="top-right" className="layout-tools" aria-label="Layout">
      <button
        type="button"
        className="button small"
        disabled={busy || unplaced.length === 0}
        onClick={() => void tidy(false)}
        title={
          !model.hasLayout
            ? automatic
            : unplaced.length === 0
            ? 'Every phase has a position you gave it. Tidy all arranges them all again.'
            : `Place the ${unplaced.length} ${unplaced.length === 1 ? 'phase' : 'phases'} without a saved position next to their neighbours; phases you placed stay where they are`
        }
        data-testid="tidy-new"
      >
        Tidy layout
        {unplaced.length > 0 && <span className="count">{unplaced.length} new</span>}
      </button>
      <button
        type="button"
        className="button small"
        disabled={busy || count === 0 || !model.hasLayout}
        onClick={() => void tidy(true)}
        title={model.hasLayout ? 'Arrange every phase with the automatic layout, replacing the positions you gave them (Undo puts them back)' : automatic}
        data-testid="tidy-all"
      >
        Tidy all
      </button>
    </Panel>
  );
}
