import { describe, expect, it } from 'vitest';
import { runRecord } from '../test/fixtures';
import { resumableRunsOf } from './flow-runs';

describe('resumableRunsOf', () => {
  it('finds the failed, interrupted and cancelled runs of the open file', () => {
    const runs = [
      runRecord({ id: 'r1', flowFile: '/srv/flows/team/build.yaml', status: 'failed' }),
      runRecord({ id: 'r2', flowFile: '/srv/flows/team/build.yaml', status: 'succeeded' }),
      runRecord({ id: 'r3', flowFile: '/srv/flows/other/build.yaml', status: 'failed' }),
      runRecord({ id: 'r4', flowFile: '/srv/flows/team/build.yaml', status: 'interrupted' }),
      runRecord({ id: 'r5', flowFile: null, status: 'failed' }),
      runRecord({ id: 'r6', flowFile: '/srv/flows/team/mybuild.yaml', status: 'failed' }),
    ];
    expect(resumableRunsOf(runs, 'team/build.yaml').map((r) => r.id)).toEqual(['r1', 'r4']);
    expect(resumableRunsOf(runs, '/srv/flows/team/build.yaml').map((r) => r.id)).toEqual(['r1', 'r4']);
  });
});
