import { describe, expect, it } from 'vitest';
import type { FlowFileInfo } from '../../shared/api';
import { filterFlows } from './flow-filter';

const flows: FlowFileInfo[] = [
  { path: 'examples/build.yaml', name: 'build', description: 'Fetch, compile and test the service', mtimeMs: 1 },
  { path: 'examples/review.yaml', name: 'Code review', mtimeMs: 2 },
  { path: 'ops/deploy.yaml', name: 'deploy', description: 'Ship to staging', mtimeMs: 3 },
];

describe('filterFlows', () => {
  it('matches every word, in any order, against name, path and description, ignoring case', () => {
    expect(filterFlows(flows, '').map((f) => f.name)).toEqual(['build', 'Code review', 'deploy']);
    expect(filterFlows(flows, 'REVIEW').map((f) => f.name)).toEqual(['Code review']);
    expect(filterFlows(flows, 'staging ops').map((f) => f.name)).toEqual(['deploy']);
    expect(filterFlows(flows, 'examples test').map((f) => f.name)).toEqual(['build']);
    expect(filterFlows(flows, 'examples nothing')).toEqual([]);
  });
});
