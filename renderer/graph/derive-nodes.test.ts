import { describe, expect, it } from 'vitest';
import { viewFromDetail } from '../state/run-view';
import { diamond, phaseRecord } from '../test/fixtures';
import { deriveEdges, deriveNodes, nodeState, phaseNodeState, reuseUnchanged } from './derive-nodes';
import { layeredLayout } from './layered-layout';
import { emptyTotals } from '../../shared/usage';

function source(over: Parameters<typeof diamond>[0] = {}) {
  const view = viewFromDetail(diamond(over));
  return { view, positions: layeredLayout(view.structure) };
}

describe('deriveNodes', () => {
  it('makes one fixed-size node per phase, in dependency order, at the laid-out position', () => {
    const { view, positions } = source();
    const nodes = deriveNodes(view.structure, positions, 'c');
    expect(nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(nodes[3]?.position).toEqual(positions.get('d'));
    expect(nodes.every((n) => n.type === 'phase' && n.width === 200 && n.height === 60 && n.measured?.width === 200)).toBe(true);
    expect(nodes.map((n) => n.selected)).toEqual([false, false, true, false]);
    expect(nodes[0]?.data).toEqual({ phaseId: 'a', kind: 'command' });
  });

  it('skips phases that have no position yet', () => {
    const { view } = source();
    expect(deriveNodes(view.structure, new Map([['a', { x: 0, y: 0 }]]), null).map((n) => n.id)).toEqual(['a']);
  });

  it('does not depend on phase statuses: a status change leaves the node list as it was', () => {
    const { view, positions } = source();
    const first = deriveNodes(view.structure, positions, null);
    const next = viewFromDetail(diamond({ phases: diamond().phases.map((p) => ({ ...p, status: 'running' })) }));
    expect(reuseUnchanged(first, deriveNodes(next.structure, positions, null))).toBe(first);
  });
});

describe('phaseNodeState', () => {
  it('colours by status and marks the frontier, keeping a failed frontier phase drawn as failed', () => {
    const detail = diamond({ frontier: ['b', 'c'] });
    detail.phases = [
      phaseRecord('a', 0, [], { status: 'succeeded', usage: { ...emptyTotals(), inputTokens: 30, outputTokens: 12 } }),
      phaseRecord('b', 1, ['a'], { status: 'failed', attempts: 2, error: { code: 'COMMAND_FAILED', message: 'exit 1' } }),
      phaseRecord('c', 2, ['a'], { status: 'interrupted' }),
      phaseRecord('d', 3, ['b', 'c']),
    ];
    const view = viewFromDetail(detail);
    const state = (id: string) => phaseNodeState(view.phases[id], view.frontier)!;
    expect(nodeState(state('a'))).toBe('succeeded');
    expect(state('a').tokens).toBe(42);
    expect(nodeState(state('b'))).toBe('failed');
    expect(state('b')).toMatchObject({ frontier: true, attempts: 2, errorMessage: 'exit 1' });
    expect(nodeState(state('c'))).toBe('frontier');
    expect(nodeState(state('d'))).toBe('pending');
    expect(phaseNodeState(view.phases.ghost, view.frontier)).toBeNull();
  });
});

describe('deriveEdges', () => {
  it('draws one edge per dependency on a known phase', () => {
    const { view } = source();
    expect(deriveEdges(view.structure).map((e) => [e.id, e.source, e.target])).toEqual([
      ['a->b', 'a', 'b'],
      ['a->c', 'a', 'c'],
      ['b->d', 'b', 'd'],
      ['c->d', 'c', 'd'],
    ]);
    expect(deriveEdges([{ id: 'x', kind: 'command', dependsOn: ['ghost'] }])).toEqual([]);
  });
});

describe('reuseUnchanged', () => {
  it('keeps the identity of nodes that did not change', () => {
    const { view, positions } = source();
    const first = deriveNodes(view.structure, positions, null);
    const second = reuseUnchanged(first, deriveNodes(view.structure, positions, 'b'));
    expect(second).not.toBe(first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.selected).toBe(true);
    expect(second[2]).toBe(first[2]);
  });
});
