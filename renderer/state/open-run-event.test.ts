import { describe, expect, it } from 'vitest';
import { createEventPump } from './apply-event';
import { createWaymarkStore } from './store';

describe('a click on a desktop notification', () => {
  it('asks to show the run it was about, and changes nothing else', () => {
    const store = createWaymarkStore();
    const frames: (() => void)[] = [];
    const opened: string[] = [];
    const changed: string[][] = [];
    const pump = createEventPump({ store, schedule: (f) => frames.push(f), onOpenRun: (id) => opened.push(id), onRunsChanged: (ids) => changed.push([...ids]) });
    const before = store.getState();
    pump.push({ type: 'notification.clicked', runId: 'run042' });
    frames.splice(0).forEach((f) => f());
    expect(opened).toEqual(['run042']);
    expect(changed).toEqual([]);
    expect(store.getState()).toBe(before);
  });
});
