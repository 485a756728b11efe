/** The shared emitter: order, isolation of failing listeners, disposers, first/last hooks. */
import { describe, expect, it } from 'vitest';
import { createEmitter } from './emitter';

describe('createEmitter', () => {
  it('calls every listener in subscription order; a throwing one neither stops the others nor escapes', () => {
    const errors: unknown[] = [];
    const emitter = createEmitter<number>({ onError: (e) => errors.push(e) });
    const seen: string[] = [];
    emitter.on((n) => seen.push(`a${n}`));
    emitter.on(() => {
      throw new Error('broken listener');
    });
    emitter.on((n) => seen.push(`c${n}`));
    expect(() => emitter.emit(1)).not.toThrow();
    expect(seen).toEqual(['a1', 'c1']);
    expect(errors).toEqual([new Error('broken listener')]);
  });

  it('runs onFirst and onLast once each per period with listeners; disposers are idempotent', () => {
    const hooks: string[] = [];
    const emitter = createEmitter({ onFirst: () => hooks.push('first'), onLast: () => hooks.push('last') });
    const offA = emitter.on(() => {});
    const offB = emitter.on(() => {});
    expect([hooks, emitter.size]).toEqual([['first'], 2]);
    offA();
    offA();
    expect([hooks, emitter.size]).toEqual([['first'], 1]);
    offB();
    expect([hooks, emitter.size]).toEqual([['first', 'last'], 0]);
    emitter.on(() => {});
    emitter.clear();
    emitter.clear();
    expect(hooks).toEqual(['first', 'last', 'first', 'last']);
  });

  it('does not call a listener removed by an earlier one during the same emit, nor one added during it', () => {
    const emitter = createEmitter<string>();
    const seen: string[] = [];
    let offB = () => {};
    emitter.on((v) => {
      seen.push(`a:${v}`);
      offB();
      emitter.on((w) => seen.push(`late:${w}`));
    });
    offB = emitter.on((v) => seen.push(`b:${v}`));
    emitter.emit('x');
    expect(seen).toEqual(['a:x']);
    emitter.emit('y');
    expect(seen).toEqual(['a:x', 'a:y', 'late:y']);
  });

  it('refuses a listener that is not a function', () => {
    const emitter = createEmitter();
    expect(() => emitter.on('nope' as unknown as () => void)).toThrow(TypeError);
    expect(emitter.size).toBe(0);
  });
});
