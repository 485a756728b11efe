/**
 * What the user can do, as calls to the API followed by store actions: load the run
 * list, open a run (snapshot), page a transcript, start, resume, cancel. A refused
 * action becomes a notice the user sees, never an unhandled rejection.
 */
import type { FlowDocument, FlowFileInfo, ResumePreview, WaymarkApi } from '../../shared/api';
import type { EventPump } from './apply-event';
import type { WaymarkStore } from './store';

export const TRANSCRIPT_PAGE = 200;
/** Runs per page of the runs list. */
export const RUNS_PAGE = 200;
/** Runs loaded one by one after a change (their owner changed beyond the newest page), at most, per refresh. */
const RUNS_REFETCH = 20;

export interface Commands {
  /**
   * Reloads the newest page of the runs list (merged into what is loaded); `changed` runs
   * loaded beyond it are reloaded one by one (events do not carry the owner they show).
   */
  refreshRuns(changed?: Iterable<string>): Promise<void>;
  /** Loads the next page of older runs, unless one is loading or all are loaded. */
  loadMoreRuns(): Promise<void>;
  openRun(runId: string | null): void;
  reloadRun(runId: string): Promise<void>;
  selectPhase(phaseId: string | null): void;
  /** Shows one try of the inspected phase (null: the latest). */
  selectTry(attempt: number | null): void;
  loadMoreTranscript(): Promise<void>;
  listFlows(): Promise<FlowFileInfo[]>;
  openFlow(path: string): Promise<FlowDocument>;
  /** Starts a run and opens it; resolves with its id (throws what the API threw). */
  startRun(flowPath: string, inputs: Record<string, string>): Promise<string>;
  previewResume(runId: string): Promise<ResumePreview>;
  /** What running `runId` again from `phaseId` would do (rejects with the API's error). */
  previewRerun(runId: string, phaseId: string): Promise<ResumePreview>;
  /** Runs `runId` again from `phaseId` as a new run and opens it; resolves with its id (rejects with the API's error). */
  rerunRun(runId: string, phaseId: string): Promise<string>;
  resumeRun(runId: string, restartPhase?: string): Promise<void>;
  /**
   * Records a decision on an approval phase that waits (the run goes on where it is, or
   * in this server's process for a waiting run). Rejects with the API's error, which the
   * approval panel shows where the user is.
   */
  decide(runId: string, phaseId: string, decision: Decision): Promise<void>;
  /** Resumes a run stopped at its budget under a higher USD limit; rejects with the API's error. */
  raiseBudget(runId: string, budgetUsd: number): Promise<void>;
  cancelRun(runId: string): Promise<void>;
}

/** A reviewer's decision: approve with an optional comment, or reject with the reason. */
export type Decision = { approve: true; comment: string } | { approve: false; reason: string };

export function createCommands(api: WaymarkApi, store: WaymarkStore, pump: Pick<EventPump, 'wake'>): Commands {
  const s = () => store.getState();
  const fail = (what: string, err: unknown) => s().notify({ kind: 'action-failed', message: `${what}: ${messageOf(err)}` });

  let listing: Promise<void> | null = null;
  let listAgain = false;
  const changedRuns = new Set<string>();
  const loadNewestPage = async () => {
    const first = !s().runsLoaded;
    // At launch, every interrupted run counts for the notice, not only the newest page's.
    const [page, interrupted] = await Promise.all([
      api['runs.list']({ limit: RUNS_PAGE }),
      first ? api['runs.list']({ limit: 500, status: 'interrupted' }) : undefined,
    ]);
    s().mergeNewestPage(page, interrupted?.runs.map((r) => r.id));
    const changed = [...changedRuns];
    changedRuns.clear();
    const fresh = new Set(page.runs.map((r) => r.id));
    const beyond = changed.filter((id) => !fresh.has(id) && s().runs.some((r) => r.id === id)).slice(0, RUNS_REFETCH);
    // A run that cannot be read now keeps what its events made of it.
    await Promise.all(beyond.map((runId) => api['runs.get']({ runId }).then((d) => s().upsertRun(d.run), () => undefined)));
  };
  const refreshRuns = (changed: Iterable<string> = []): Promise<void> => {
    for (const id of changed) changedRuns.add(id);
    if (listing) {
      listAgain = true;
      return listing;
    }
    listing = (async () => {
      do {
        listAgain = false;
        try {
          await loadNewestPage();
        } catch (err) {
          fail('Could not load the runs', err);
        }
      } while (listAgain);
      listing = null;
    })();
    return listing;
  };

  const loadMoreRuns = async () => {
    const { runsNext: from, runsLoadingMore } = s();
    if (!from || runsLoadingMore) return;
    s().olderPageLoading();
    try {
      s().appendOlderPage(await api['runs.list']({ limit: RUNS_PAGE, before: from }), from);
    } catch (err) {
      s().olderPageFailed(messageOf(err));
    }
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

  const loadTries = async (runId: string, phaseId: string) => {
    s().triesLoading(runId, phaseId);
    try {
      s().triesLoaded(runId, phaseId, await api['runs.tries']({ runId, phaseId }));
    } catch (err) {
      s().triesFailed(runId, phaseId, messageOf(err));
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
    loadMoreRuns,
    reloadRun,
    openRun(runId) {
      s().openRun(runId);
      if (runId) void reloadRun(runId);
    },
    selectPhase(phaseId) {
      s().selectPhase(phaseId);
      const runId = s().openRunId;
      if (runId && phaseId) {
        void loadTranscript(runId, phaseId, 0);
        void loadTries(runId, phaseId);
      }
    },
    selectTry(attempt) {
      const { openRunId, selectedPhaseId } = s();
      if (openRunId && selectedPhaseId) s().selectTry(openRunId, selectedPhaseId, attempt);
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
    previewRerun: (runId, fromPhase) => api['runs.previewRerun']({ runId, fromPhase }),
    async rerunRun(runId, fromPhase) {
      const { runId: newRunId } = await api['runs.rerun']({ runId, fromPhase });
      void refreshRuns();
      this.openRun(newRunId);
      return newRunId;
    },
    async resumeRun(runId, restartPhase) {
      try {
        await api['runs.resume']({ runId, ...(restartPhase ? { restartPhase } : {}) });
        if (s().openRunId !== runId) this.openRun(runId);
      } catch (err) {
        fail(`Could not resume run ${runId}`, err);
      }
    },
    async decide(runId, phaseId, decision) {
      if (decision.approve) await api['runs.approve']({ runId, phaseId, ...(decision.comment.trim() ? { comment: decision.comment } : {}) });
      else await api['runs.reject']({ runId, phaseId, reason: decision.reason });
    },
    async raiseBudget(runId, budgetUsd) {
      await api['runs.resume']({ runId, budgetUsd });
    },
    async cancelRun(runId) {
      try {
        const { cancelled } = await api['runs.cancel']({ runId });
        if (!cancelled) {
          const known = s().runs.find((r) => r.id === runId);
          const who = known?.owner ? `process ${known.owner.pid}` : 'another process';
          const message = known && known.status !== 'running' ? `Run ${runId} had already ended.` : `Run ${runId} is executed by ${who}, not this one: stop it there (Ctrl+C in its terminal).`;
          s().notify({ kind: 'action-failed', message });
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
