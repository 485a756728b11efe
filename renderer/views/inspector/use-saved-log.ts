/**
 * The saved log of a try, loaded once the try has ended: its tail first; the whole of it
 * on request. A try without a saved log (an agent phase, a run recorded before Waymark
 * kept whole logs) reads as `none`.
 */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../state/commands';
import { loadTail, loadWhole, type SavedLog, type TryRef } from './log-source';

export type SavedLogState =
  | { status: 'waiting' }
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; log: SavedLog };

export interface SavedLogHandle {
  state: SavedLogState;
  /** Loading the whole log: bytes so far of the total; null when not loading it. */
  progress: { loaded: number; total: number } | null;
  /** Loads every page (once); resolves with the whole log, or null when there is none. */
  loadAll(): Promise<SavedLog | null>;
}

/** `ended`: the try is over, so its log is saved (or never will be). */
export function useSavedLog(ref: TryRef, ended: boolean): SavedLogHandle {
  const { runId, phaseId, attempt } = ref;
  const key = `${runId}\u0000${phaseId}\u0000${attempt}`;
  const [state, setState] = useState<{ key: string; value: SavedLogState }>({ key, value: { status: 'waiting' } });
  const [progress, setProgress] = useState<{ key: string; loaded: number; total: number } | null>(null);
  const current: SavedLogState = state.key === key ? state.value : { status: 'waiting' };

  useEffect(() => {
    if (!ended || attempt < 1) return;
    let live = true;
    setState({ key, value: { status: 'loading' } });
    loadTail({ runId, phaseId, attempt }).then(
      (log) => live && setState({ key, value: log ? { status: 'ready', log } : { status: 'none' } }),
      (err: unknown) => live && setState({ key, value: { status: 'failed', message: messageOf(err) } }),
    );
    return () => {
      live = false;
    };
  }, [key, ended, runId, phaseId, attempt]);

  const loadAll = useCallback(async (): Promise<SavedLog | null> => {
    if (current.status === 'ready' && current.log.whole) return current.log;
    try {
      const whole = await loadWhole({ runId, phaseId, attempt }, (loaded, total) => setProgress({ key, loaded, total }));
      setState((s) => (s.key === key ? { key, value: whole ? { status: 'ready', log: whole } : { status: 'none' } } : s));
      return whole;
    } finally {
      setProgress(null);
    }
  }, [current, key, runId, phaseId, attempt]);

  return { state: current, progress: progress && progress.key === key ? { loaded: progress.loaded, total: progress.total } : null, loadAll };
}
