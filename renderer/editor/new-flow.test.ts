import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../shared/flow/edit';
import { parseFlow } from '../../shared/flow/load';
import { flowNameFor, newFlowPath, newFlowSource } from './new-flow';

describe('new flow', () => {
  it('checks the file name and adds .yaml', () => {
    expect(newFlowPath(' release ', [])).toEqual({ path: 'release.yaml' });
    expect(newFlowPath('team/deploy.yml', [])).toEqual({ path: 'team/deploy.yml' });
    expect(newFlowPath('hello.yaml', ['hello.yaml'])).toEqual({ error: 'hello.yaml already exists: open it instead.' });
    for (const bad of ['', '../x.yaml', '/etc/x.yaml', '.hidden.yaml', 'notes.txt', 'a//b.yaml']) expect(newFlowPath(bad, [])).toHaveProperty('error');
  });

  it('starts from a valid flow named after the file, where an added agent phase is valid too', () => {
    expect(flowNameFor('team/Deploy Docs.yaml')).toBe('deploy-docs');
    const source = newFlowSource('team/deploy.yaml');
    expect(parseFlow(source).ok).toBe(true);
    const added = applyEdit(source, { type: 'add-phase', id: 'agent_1', kind: 'agent' });
    expect(added.ok && parseFlow(added.source).ok).toBe(true);
  });
});
