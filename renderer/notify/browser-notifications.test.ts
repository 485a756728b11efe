import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { createEmitter } from '../../shared/emitter';
import { createWaymarkStore } from '../state/store';
import { persisted, runRecord } from '../test/fixtures';
import { watchRunsForNotifications, type NotifyHost, type ShownNotification } from './browser-notifications';

function setup() {
  const events = createEmitter<ApiEvent>();
  const store = createWaymarkStore();
  store.getState().mergeNewestPage({ runs: [runRecord({ id: 'run001', flowName: 'release' })], next: null });
  const shown: { title: string; body: string; tag: string; note: ShownNotification & { closed: boolean } }[] = [];
  const opened: string[] = [];
  const state = { enabled: true, background: true };
  const host: NotifyHost = {
    enabled: () => state.enabled,
    inBackground: () => state.background,
    show(title, { body, tag }) {
      const note = {
        onclick: null,
        closed: false,
        close() {
          this.closed = true;
        },
      };
      shown.push({ title, body, tag, note });
      return note;
    },
    openRun: (runId) => opened.push(runId),
  };
  const dispose = watchRunsForNotifications({ onEvent: events.on }, store, host);
  return { emit: events.emit, shown, opened, state, dispose };
}

const waiting = persisted(4, { type: 'phase.waiting', phaseId: 'review', attempt: 1, reason: 'approval', prompt: 'Ship it?' });
const failed = persisted(5, { type: 'run.finished', attempt: 1, status: 'failed', error: { code: 'APPROVAL_REJECTED', message: 'rejected by bob: not yet' } });

describe('browser notifications (serve mode)', () => {
  it('notifies in the background with the flow’s name; a click closes it and opens the run', () => {
    const { emit, shown, opened } = setup();
    emit(waiting);
    expect(shown.map(({ title, body, tag }) => ({ title, body, tag }))).toEqual([{ title: 'Approval needed: release', body: 'review waits for your decision: Ship it?', tag: 'run001:approval:review:1' }]);
    shown[0]?.note.onclick?.(new Event('click'));
    expect(opened).toEqual(['run001']);
    expect(shown[0]?.note.closed).toBe(true);
  });

  it('stays quiet while the tab is in front, when not enabled, and once disposed', () => {
    const { emit, shown, state, dispose } = setup();
    state.background = false;
    emit(failed);
    state.background = true;
    state.enabled = false;
    emit(failed);
    expect(shown).toHaveLength(0);
    state.enabled = true;
    emit(failed);
    expect(shown.map((s) => s.title)).toEqual(['Run failed: release']);
    dispose();
    emit(failed);
    expect(shown).toHaveLength(1);
  });

  it('names a run it has not loaded by its id, and ignores events that notify nothing', () => {
    const { emit, shown } = setup();
    emit({ type: 'runs.changed', runId: 'run002' });
    emit({ type: 'phase.delta', runId: 'run002', phaseId: 'a', text: 'x' });
    emit(persisted(2, { type: 'run.finished', attempt: 1, status: 'succeeded' }, 'run002'));
    expect(shown.map((s) => s.title)).toEqual(['Run succeeded: run run002']);
  });
});
