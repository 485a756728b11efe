import { describe, expect, it } from 'vitest';
import { planResume, type PlanPhase, type SavedPhase } from './resume-plan';

/**
 * `flow('a b:a c:a,b', { b: 'v2' })`: phases in the given (sorted) order, each with its
 * dependencies; the definition hash is "v1" unless overridden.
 */
function flow(spec: string, hashes: Record<string, string> = {}): PlanPhase[] {
  return spec.split(/\s+/).filter(Boolean).map((item) => {
    const [id, deps] = item.split(':') as [string, string | undefined];
    return { id, dependsOn: deps ? deps.split(',') : [], defHash: hashes[id] ?? 'v1' };
  });
}

/** Saved successful results, all at hash "v1" unless given as `id=hash`. */
function saved(...entries: string[]): Map<string, SavedPhase> {
  return new Map(entries.map((e) => {
    const [id, hash] = e.split('=') as [string, string | undefined];
    return [id, { defHash: hash ?? 'v1' }];
  }));
}

const sorted = (set: ReadonlySet<string>) => [...set].sort();

describe('planResume', () => {
  it('unchanged flow after a failure: succeeded phases are reused, the failed one is the frontier', () => {
    // research → write → test → summary; "notes" is independent and never started.
    const phases = flow('research notes write:research test:write summary:test');
    const plan = planResume(phases, saved('research', 'write'), { attempted: new Set(['research', 'write', 'test']) });
    expect(sorted(plan.complete)).toEqual(['research', 'write']);
    expect(plan.frontier).toEqual(['notes', 'test']);
    expect(Object.fromEntries(plan.reasons)).toEqual({ notes: 'never-ran', test: 'failed-before', summary: 'never-ran' });
  });

  it('a run that succeeded entirely has nothing left to do', () => {
    const plan = planResume(flow('a b:a'), saved('a', 'b'));
    expect(sorted(plan.complete)).toEqual(['a', 'b']);
    expect(plan.frontier).toEqual([]);
    expect(plan.reasons.size).toBe(0);
  });

  it('nothing saved: every root is the frontier', () => {
    const plan = planResume(flow('a b c:a,b d:c'), saved());
    expect(plan.complete.size).toBe(0);
    expect(plan.frontier).toEqual(['a', 'b']);
    expect([...plan.reasons.values()]).toEqual(['never-ran', 'never-ran', 'never-ran', 'never-ran']);
  });

  it('a new ancestor inserted before a completed phase makes it and its descendants re-run', () => {
    // First attempt ran fetch → parse → report; the edited flow puts lint between fetch and parse.
    const phases = flow('fetch lint:fetch parse:lint report:parse');
    const plan = planResume(phases, saved('fetch', 'parse', 'report'), { attempted: new Set(['fetch', 'parse', 'report']) });
    expect(sorted(plan.complete)).toEqual(['fetch']);
    expect(plan.frontier).toEqual(['lint']);
    expect(Object.fromEntries(plan.reasons)).toEqual({ lint: 'never-ran', parse: 'ancestor-reruns', report: 'ancestor-reruns' });
  });

  it('an edited phase re-runs with its descendants, while its siblings are reused', () => {
    //        ┌─ left ──┐
    //  root ─┤         ├─ join ─ tail
    //        └─ right ─┘
    const phases = flow('root left:root right:root join:left,right tail:join', { left: 'v2' });
    const plan = planResume(phases, saved('root', 'left', 'right', 'join', 'tail'));
    expect(sorted(plan.complete)).toEqual(['right', 'root']);
    expect(plan.frontier).toEqual(['left']);
    expect(Object.fromEntries(plan.reasons)).toEqual({ left: 'changed', join: 'ancestor-reruns', tail: 'ancestor-reruns' });
  });

  it('a changed phase is reported as changed even when its ancestor also re-runs', () => {
    const plan = planResume(flow('a b:a', { a: 'v2', b: 'v2' }), saved('a', 'b'));
    expect(Object.fromEntries(plan.reasons)).toEqual({ a: 'changed', b: 'changed' });
    expect(plan.frontier).toEqual(['a']);
  });

  it('a saved result under another hash is not reused', () => {
    const plan = planResume(flow('a'), saved('a=old'));
    expect(plan.complete.size).toBe(0);
    expect(plan.reasons.get('a')).toBe('changed');
  });

  it('a dependency that was removed from the flow no longer matters', () => {
    // b used to depend on gone; the current flow has b as a root.
    const plan = planResume(flow('b c:b'), saved('gone', 'b', 'c'));
    expect(sorted(plan.complete)).toEqual(['b', 'c']);
  });

  it('restartPhase re-runs that phase and its descendants even when saved and unchanged', () => {
    const phases = flow('a b:a c:b side:a');
    const plan = planResume(phases, saved('a', 'b', 'c', 'side'), { restartPhase: 'b' });
    expect(sorted(plan.complete)).toEqual(['a', 'side']);
    expect(plan.frontier).toEqual(['b']);
    expect(Object.fromEntries(plan.reasons)).toEqual({ b: 'restart-requested', c: 'ancestor-reruns' });
  });

  it('restartPhase on a phase whose dependencies re-run is not in the frontier', () => {
    const plan = planResume(flow('a b:a', { a: 'v2' }), saved('a', 'b'), { restartPhase: 'b' });
    expect(plan.frontier).toEqual(['a']);
    expect(Object.fromEntries(plan.reasons)).toEqual({ a: 'changed', b: 'restart-requested' });
  });

  it('the frontier is exactly the phases that are not complete but whose dependencies all are', () => {
    const phases = flow('a b c:a d:b e:c,d f:e g', { b: 'v2' });
    const plan = planResume(phases, saved('a', 'b', 'c', 'd', 'e'), { attempted: new Set(['f']) });
    const deps = new Map(phases.map((p) => [p.id, p.dependsOn]));
    const expected = phases.filter((p) => !plan.complete.has(p.id) && (deps.get(p.id) ?? []).every((d) => plan.complete.has(d))).map((p) => p.id);
    expect(plan.frontier).toEqual(expected);
    expect(plan.frontier).toEqual(['b', 'g']);
    expect(sorted(plan.complete)).toEqual(['a', 'c']);
    // Every phase is either complete or has a reason, never both.
    for (const p of phases) expect(plan.complete.has(p.id)).toBe(!plan.reasons.has(p.id));
  });

  it('keeps the frontier in flow order', () => {
    const plan = planResume(flow('z y x w:z'), saved());
    expect(plan.frontier).toEqual(['z', 'y', 'x']);
  });
});
