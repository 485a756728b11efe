import { describe, expect, it } from 'vitest';
import { viewFromDetail } from '../state/run-view';
import { diamond, phaseRecord } from '../test/fixtures';
import { deriveEdges, deriveNodes, nodeState, reuseUnchanged } from './derive-nodes';
import { rankLayout } from './layout';

function source(over: Parameters<typeof diamond>[0] = {}) {
  const view = viewFromDetail(diamond(over));
  return { view, positions: rankLayout(view.structure) };
}

describe('deriveNodes', () => {
  it('makes one fixed-size node per phase, in dependency order, at the laid-out position', () => {
    const { view, positions } = source();
    const nodes = deriveNodes(view, positions, null);
    expect(nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(nodes[3]?.position).toEqual(positions.get('d'));
    expect(nodes.every((n) => n.type === 'phase' && n.width === 200 && n.height === 60)).toBe(true);
  });

  it('marks the frontier, keeping a failed frontier phase drawn as failed', () => {
    const detail = diamond({ frontier: ['b', 'c'] });
    detail.phases = [
      phaseRecord('a', 0, [], { status: 'succeeded' }),
      phaseRecord('b', 1, ['a'], { status: 'failed', error: { code: 'COMMAND_FAILED', message: 'exit 1' } }),
      phaseRecord('c', 2, ['a'], { status: 'interrupted' }),
      phaseRecord('d', 3, ['b', 'c']),
    ];
    const view = viewFromDetail(detail);
    const nodes = deriveNodes(view, rankLayout(view.structure), 'b');
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(nodeState(byId.get('a')!.data)).toBe('succeeded');
    expect(nodeState(byId.get('b')!.data)).toBe('failed');
    expect(byId.get('b')!.data.frontier).toBe(true);
    expect(byId.get('b')!.selected).toBe(true);
    expect(byId.get('b')!.data.errorMessage).toBe('exit 1');
    expect(nodeState(byId.get('c')!.data)).toBe('frontier');
    expect(nodeState(byId.get('d')!.data)).toBe('pending');
  });

  it('skips phases that have no position yet', () => {
    const { view } = source();
    expect(deriveNodes(view, new Map([['a', { x: 0, y: 0 }]]), null).map((n) => n.id)).toEqual(['a']);
  });
});

describe('deriveEdges', () => {
  it('draws one edge per dependency, styled by whether the dependency is done', () => {
    const detail = diamond();
    detail.phases[0] = phaseRecord('a', 0, [], { status: 'succeeded' });
    detail.phases[1] = phaseRecord('b', 1, ['a'], { status: 'running' });
    const edges = deriveEdges(viewFromDetail(detail));
    expect(edges.map((e) => e.id)).toEqual(['a->b', 'a->c', 'b->d', 'c->d']);
    expect(edges[0]).toMatchObject({ className: 'edge-done', animated: true });
    expect(edges[1]).toMatchObject({ className: 'edge-done', animated: false });
    expect(edges[2]).toMatchObject({ className: 'edge-waiting' });
  });
});

describe('reuseUnchanged', () => {
  it('keeps the identity of nodes whose data did not change', () => {
    const { view, positions } = source();
    const first = deriveNodes(view, positions, null);
    const phases = { ...view.phases, b: { ...view.phases.b!, status: 'running' as const } };
    const second = reuseUnchanged(first, deriveNodes({ ...view, phases }, positions, null));
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.data.status).toBe('running');
    expect(second[2]).toBe(first[2]);
  });

  it('returns the previous array when nothing changed', () => {
    const { view, positions } = source();
    const first = deriveNodes(view, positions, null);
    expect(reuseUnchanged(first, deriveNodes(view, positions, null))).toBe(first);
  });
});
