/**
 * What the user can do, as calls to the API followed by store actions: load the run
 * list, open a run (snapshot), page a transcript, start, resume, cancel. A refused
 * action becomes a notice the user sees, never an unhandled rejection.
 */
import type { FlowDocument, FlowFileInfo, ResumePreview, WaymarkApi } from '../../shared/api';
import type { EventPump } from './apply-event';
import type { WaymarkStore } from './store';

export const TRANSCRIPT_PAGE = 200;

export interface Commands {
  refreshRuns(): Promise<void>;
  openRun(runId: string | null): void;
  reloadRun(runId: string): Promise<void>;
  selectPhase(phaseId: string | null): void;
  loadMoreTranscript(): Promise<void>;
  listFlows(): Promise<FlowFileInfo[]>;
  openFlow(path: string): Promise<FlowDocument>;
  /** Starts a run and opens it; resolves with its id (throws what the API threw). */
  startRun(flowPath: string, inputs: Record<string, string>): Promise<string>;
  previewResume(runId: string): Promise<ResumePreview>;
  resumeRun(runId: string, restartPhase?: string): Promise<void>;
  cancelRun(runId: string): Promise<void>;
}

export function createCommands(api: WaymarkApi, store: WaymarkStore, pump: Pick<EventPump, 'wake'>): Commands {
  const s = () => store.getState();
  const fail = (what: string, err: unknown) => s().notify({ kind: 'action-failed', message: `${what}: ${messageOf(err)}` });

  let listing: Promise<void> | null = null;
  let listAgain = false;
  const refreshRuns = (): Promise<void> => {
    if (listing) {
      listAgain = true;
      return listing;
    }
    listing = (async () => {
      do {
        listAgain = false;
        try {
          s().setRuns(await api['runs.list']({ limit: 200 }));
        } catch (err) {
          fail('Could not load the runs', err);
        }
      } while (listAgain);
      listing = null;
    })();
    return listing;
  };

  const reloadRun = async (runId: string) => {
    try {
      const detail = await api['runs.get']({ runId });
      s().setSnapshot(detail);
      s().upsertRun(detail.run);
    } catch (err) {
      s().setViewError(runId, messageOf(err));
    } finally {
      pump.wake();
    }
  };

  const loadTranscript = async (runId: string, phaseId: string, fromIndex: number) => {
    s().transcriptLoading(runId, phaseId);
    try {
      const page = await api['runs.transcript']({ runId, phaseId, fromIndex, limit: TRANSCRIPT_PAGE });
      s().transcriptPage(runId, phaseId, page.entries, page.nextIndex);
    } catch (err) {
      s().transcriptFailed(runId, phaseId, messageOf(err));
    }
  };

  return {
    refreshRuns,
    reloadRun,
    openRun(runId) {
      s().openRun(runId);
      if (runId) void reloadRun(runId);
    },
    selectPhase(phaseId) {
      s().selectPhase(phaseId);
      const runId = s().openRunId;
      if (runId && phaseId) void loadTranscript(runId, phaseId, 0);
    },
    async loadMoreTranscript() {
      const t = s().transcript;
      if (t && t.nextIndex !== null && !t.loading) await loadTranscript(t.runId, t.phaseId, t.nextIndex);
    },
    listFlows: () => api['flows.list']({}),
    openFlow: (path) => api['flows.open']({ path }),
    async startRun(flowPath, inputs) {
      const { runId } = await api['runs.start']({ flowPath, inputs });
      void refreshRuns();
      this.openRun(runId);
      return runId;
    },
    previewResume: (runId) => api['runs.previewResume']({ runId }),
    async resumeRun(runId, restartPhase) {
      try {
        await api['runs.resume']({ runId, ...(restartPhase ? { restartPhase } : {}) });
        if (s().openRunId !== runId) this.openRun(runId);
      } catch (err) {
        fail(`Could not resume run ${runId}`, err);
      }
    },
    async cancelRun(runId) {
      try {
        const { cancelled } = await api['runs.cancel']({ runId });
        if (!cancelled) {
          const owner = s().runs.find((r) => r.id === runId)?.owner;
          const who = owner ? `process ${owner.pid}` : 'another process';
          s().notify({ kind: 'action-failed', message: `Run ${runId} is executed by ${who}, not this one: stop it there (Ctrl+C in its terminal).` });
        }
      } catch (err) {
        fail(`Could not cancel run ${runId}`, err);
      }
    },
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
