import { describe, expect, it } from 'vitest';
import { deriveEditorEdges } from './editor-graph';
import { readModel } from './model';
import { freePosition, needsAutoLayout, newPhaseId, resolvePositions } from './positions';

describe('readModel', () => {
  it('reads phases, dependencies and layout even from an invalid flow', () => {
    const model = readModel(`name: x
defaults: { model: "openai:gpt-4o-mini" }
phases:
  - id: a
    kind: command
  - id: b
    kind: mystery
    depends_on: [a, a, nope]
  - id: a
    kind: command
  - "not a mapping"
layout:
  a: { x: 10, y: 20 }
  b: { x: "left", y: 0 }
`);
    expect(model.name).toBe('x');
    expect(model.defaultModel).toBe('openai:gpt-4o-mini');
    expect(model.phases.map((p) => [p.id, p.kind, p.dependsOn, p.index])).toEqual([
      ['a', 'command', [], 0],
      ['b', 'mystery', ['a', 'nope'], 1],
    ]);
    expect(model.idAt).toEqual(['a', 'b', 'a', undefined]);
    expect([...model.layout]).toEqual([['a', { x: 10, y: 20 }]]);
    expect(model.hasLayout).toBe(true);
    expect(deriveEditorEdges(model, null).map((e) => e.id)).toEqual(['a->b']);
  });

  it('gives an empty model for text that is not a flow', () => {
    expect(readModel('phases: [').phases).toEqual([]);
    expect(readModel('42').phases).toEqual([]);
  });
});

describe('positions', () => {
  const model = readModel('phases:\n  - { id: a, kind: command, run: x }\n  - { id: b, kind: command, run: y }\nlayout:\n  a: { x: 0, y: 0 }\n');

  it('uses the file\'s positions, elk\'s for the rest, and waits for elk when it must', () => {
    expect(needsAutoLayout(model)).toBe(true);
    expect(resolvePositions(model, null)).toBeNull();
    expect(resolvePositions(model, new Map([['b', { x: 300, y: 0 }], ['a', { x: 99, y: 99 }]]))).toEqual(new Map([['a', { x: 0, y: 0 }], ['b', { x: 300, y: 0 }]]));
  });

  it('puts a phase elk has not placed yet in a free spot instead of hiding it', () => {
    const positions = resolvePositions(model, new Map());
    expect(positions?.get('a')).toEqual({ x: 0, y: 0 });
    expect(positions?.get('b')).toEqual({ x: 0, y: 84 });
  });

  it('finds a free spot below taken ones', () => {
    expect(freePosition([{ x: 0, y: 0 }], { x: 500, y: 0 })).toEqual({ x: 500, y: 0 });
    expect(freePosition([{ x: 0, y: 0 }, { x: 0, y: 84 }], { x: 10, y: 10 })).toEqual({ x: 10, y: 178 });
  });

  it('names new phases after their kind', () => {
    expect(newPhaseId('agent', ['agent_1', 'agent_3'])).toBe('agent_2');
    expect(newPhaseId('command', [])).toBe('command_1');
  });
});
