/** `dispatch` turns every outcome into an envelope: handler values, coded errors, crashes. */
import { describe, expect, it } from 'vitest';
import { WaymarkError } from '../../shared/errors';
import { createDispatch } from './dispatch';
import type { Handlers } from './handlers';

function handlersWith(overrides: Partial<Handlers>): Handlers {
  const notUsed = () => {
    throw new Error('not used');
  };
  return new Proxy(overrides, { get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? notUsed }) as Handlers;
}

describe('dispatch', () => {
  it('passes parsed requests (defaults applied) and wraps the value', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(handlersWith({ 'runs.list': (req) => (seen.push(req), { runs: [], next: null }) }));
    expect(await dispatch('runs.list', {})).toEqual({ ok: true, value: { runs: [], next: null } });
    expect(await dispatch('runs.list', undefined)).toEqual({ ok: true, value: { runs: [], next: null } });
    expect(seen).toEqual([{ limit: 200 }, { limit: 200 }]);
  });

  it('keeps the code of a WaymarkError and hides nothing of its location', async () => {
    const dispatch = createDispatch(handlersWith({ 'flows.list': () => Promise.reject(new WaymarkError('FLOW_NOT_FOUND', 'gone', { where: { file: 'a.yaml' } })) }));
    expect(await dispatch('flows.list', {})).toEqual({ ok: false, error: { code: 'FLOW_NOT_FOUND', message: 'gone', where: { file: 'a.yaml' } } });
  });

  it('turns anything else thrown into INTERNAL and tells the log', async () => {
    const logged: string[] = [];
    const dispatch = createDispatch(
      handlersWith({
        'flows.list': () => {
          throw new TypeError('boom');
        },
        'runs.list': () => {
          throw 'a string';
        },
      }),
      {
        onInternalError: (channel) => {
          logged.push(channel);
          throw new Error('the logger itself fails');
        },
      },
    );
    expect(await dispatch('flows.list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    expect(await dispatch('runs.list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'a string' } });
    expect(logged).toEqual(['flows.list', 'runs.list']);
  });

  it('lists several invalid fields at once', async () => {
    const dispatch = createDispatch(handlersWith({}));
    const result = await dispatch('runs.transcript', { runId: 'X', phaseId: 'Y', limit: -1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_REQUEST');
      expect(result.error.message).toMatch(/^runs\.transcript: runId: .*; phaseId: .*; limit: /);
    }
  });
});
