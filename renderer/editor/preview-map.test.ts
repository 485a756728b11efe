import { describe, expect, it } from 'vitest';
import { deriveEditorNodes } from './editor-graph';
import { readModel } from './model';
import { mapProblems } from './problem-map';
import { previewByPhase, previewClassName, previewLabel, previewTitle } from './preview-map';

const preview = {
  reused: ['fetch'],
  frontier: ['lint', 'test'],
  rerun: [
    { id: 'lint', reason: 'changed' as const },
    { id: 'docs', reason: 'ancestor-reruns' as const },
    { id: 'test', reason: 'failed-before' as const },
    { id: 'package', reason: 'never-ran' as const },
  ],
};

describe('resume preview on the graph', () => {
  const map = previewByPhase(preview);

  it('gives each phase its state, reason and frontier flag', () => {
    expect(map.get('fetch')).toEqual({ state: 'reused', reason: null, frontier: false });
    expect(map.get('lint')).toEqual({ state: 'rerun', reason: 'changed', frontier: true });
    expect(map.get('docs')).toEqual({ state: 'rerun', reason: 'ancestor-reruns', frontier: false });
    expect(map.get('package')).toEqual({ state: 'rerun', reason: 'never-ran', frontier: false });
  });

  it('turns them into node classes and labels', () => {
    expect(previewClassName(map.get('fetch'))).toBe('preview-reused');
    expect(previewClassName(map.get('test'))).toBe('preview-rerun reason-failed-before preview-frontier');
    expect(previewClassName(map.get('docs'))).toBe('preview-rerun reason-ancestor-reruns');
    expect(previewClassName(undefined)).toBe('');
    expect(previewLabel(map.get('fetch')!)).toBe('reused');
    expect(previewLabel(map.get('lint')!)).toBe('↻ changed');
    expect(previewLabel(map.get('docs')!)).toBe('↻ ancestor re-runs');
    expect(previewTitle(map.get('lint')!)).toBe('Re-runs: definition changed; runs first');
  });

  it('reaches the nodes, with the problems', () => {
    const model = readModel('phases:\n  - { id: fetch, kind: command, run: git fetch }\n  - { id: lint, kind: agent, depends_on: [fetch] }\n');
    const problems = mapProblems([{ message: 'phase "lint": missing required key "prompt"', line: 3, column: 5, path: ['phases', 1, 'prompt'], phaseId: 'lint' }], model.idAt);
    const nodes = deriveEditorNodes({ model, positions: new Map(), selection: { type: 'phase', id: 'lint' }, problems, preview: map });
    expect(nodes.map((n) => [n.id, n.data.preview?.state, n.data.problems.length, n.selected])).toEqual([
      ['fetch', 'reused', 0, false],
      ['lint', 'rerun', 1, true],
    ]);
    expect(nodes[0]?.data.summary).toBe('git fetch');
  });
});
