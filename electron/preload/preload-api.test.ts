/** window.waymark as the preload builds it: one method per channel, envelopes passed through, disposable events. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type ApiEvent } from '../../shared/api';
import { EVENT_CHANNEL, ipcChannel } from './ipc-channels';
import { createPreloadApi, type PreloadIpc } from './preload-api';

function fakeIpc(answer: (channel: string, payload: unknown) => unknown) {
  const emitter = new EventEmitter();
  const invoked: { channel: string; payload: unknown }[] = [];
  const ipc = {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push({ channel, payload });
      return answer(channel, payload);
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => emitter.on(channel, listener),
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => emitter.removeListener(channel, listener),
  };
  return { ipc: ipc as unknown as PreloadIpc, emitter, invoked };
}

describe('createPreloadApi', () => {
  it('has exactly one method per channel of the table, plus onEvent', () => {
    const api = createPreloadApi(fakeIpc(() => ({ ok: true, value: null })).ipc);
    expect(Object.keys(api).sort()).toEqual([...CHANNELS, 'onEvent'].sort());
  });

  it('invokes the channel of the method and resolves with the envelope exactly as the main process answered', async () => {
    const { ipc, invoked } = fakeIpc((channel) => (channel === ipcChannel('runs.list') ? { ok: true, value: [{ id: 'r1' }] } : { ok: true, value: [] }));
    const api = createPreloadApi(ipc);
    expect(await api['runs.list']({ limit: 5 })).toEqual({ ok: true, value: [{ id: 'r1' }] });
    await api['flows.list']({});
    expect(invoked).toEqual([
      { channel: ipcChannel('runs.list'), payload: { limit: 5 } },
      { channel: ipcChannel('flows.list'), payload: {} },
    ]);
  });

  it('passes a failed envelope through as plain data, which survives the context bridge whole', async () => {
    const error = { code: 'RUN_NOT_FOUND', message: 'no run abc123', where: { phaseId: 'build' } };
    const api = createPreloadApi(fakeIpc(() => ({ ok: false, error })).ipc);
    const answer = await api['runs.get']({ runId: 'abc123' });
    expect(answer).toEqual({ ok: false, error });
    expect(structuredClone(answer)).toEqual(answer);
  });

  it('delivers events to every subscriber through one IPC listener, removed with the last disposer', () => {
    const { ipc, emitter } = fakeIpc(() => null);
    const api = createPreloadApi(ipc);
    const a: ApiEvent[] = [];
    const b: ApiEvent[] = [];
    const offA = api.onEvent((e) => a.push(e));
    const offB = api.onEvent((e) => {
      b.push(e);
      throw new Error('a broken subscriber');
    });
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(1);
    const event: ApiEvent = { type: 'runs.changed', runId: 'abc123' };
    emitter.emit(EVENT_CHANNEL, {}, event);
    expect([a, b]).toEqual([[event], [event]]);
    offA();
    offA();
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(1);
    offB();
    expect(emitter.listenerCount(EVENT_CHANNEL)).toBe(0);
    emitter.emit(EVENT_CHANNEL, {}, event);
    expect(a).toHaveLength(1);
  });
});
