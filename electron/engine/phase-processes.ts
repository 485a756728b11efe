/**
 * The process groups of an engine's phases (SPEC §4: an old copy of a command never
 * runs beside its resumed copy). Each group a phase spawns is written to the store
 * before the command gets far, and deleted when it ends; it is also kept in memory so
 * this process can SIGKILL all of them on an exit that cannot wait. A row that outlives
 * its owner names a group the next Waymark process stops (process-groups.ts) when it
 * reaps the run, or before a resume runs the run's phases again.
 */
import { WaymarkError } from '../../shared/errors';
import type { CheckpointStore, PhaseProcess } from '../store/types';
import type { TrackedProcess } from './child-process';
import { killGroupsNow, processStartTime, stopGroup, type StopOutcome } from './process-groups';

export interface TrackedPhase {
  runId: string;
  phaseId: string;
  attempt: number;
}

export class PhaseProcesses {
  /** Groups this process spawned that have not ended yet. */
  private readonly live = new Set<number>();
  /** Stops in flight by run and pgid: reaping and a resume may ask for the same group at once. */
  private readonly stopping = new Map<string, Promise<StopOutcome>>();

  constructor(
    private readonly store: CheckpointStore,
    private readonly host: string,
    private readonly now: () => number,
    private readonly graceMs?: number,
  ) {}

  /**
   * Records group `pgid` (just spawned by `phase`); `recorded` settles once the row is
   * durable (runShellCommand holds the command until then). Never throws: a store
   * failure goes to `onStoreError` and the command runs on untracked. `forget` deletes
   * the row (after it landed); call it once the group has ended.
   */
  track(phase: TrackedPhase, pgid: number, onStoreError: (err: unknown) => void): TrackedProcess {
    this.live.add(pgid);
    const row: PhaseProcess = { ...phase, host: this.host, pgid, startTime: processStartTime(pgid), startedAt: this.now() };
    const recorded = this.store.recordProcess(row).catch(onStoreError);
    let ended = false;
    return {
      recorded,
      forget: () => {
        if (ended) return;
        ended = true;
        this.live.delete(pgid);
        void recorded.then(() => this.forget(row));
      },
    };
  }

  /** SIGKILLs every group this process still runs, synchronously: for an exit that cannot wait. */
  killAllNow(): number {
    const count = this.live.size;
    killGroupsNow(this.live);
    return count;
  }

  /**
   * Stops the groups on this host of runs that are no longer running (their owner died
   * or ended), then forgets them. Never rejects; a failure leaves rows for the next try.
   */
  async stopStrays(): Promise<StopOutcome[]> {
    try {
      return await Promise.all((await this.store.strayProcesses(this.host)).map((row) => this.stop(row)));
    } catch {
      return [];
    }
  }

  /**
   * Stops the run's recorded groups on this host; the caller holds the run's lease, so
   * they belong to an earlier owner. Groups on another host are left to that host.
   * Rejects when a group is still there after SIGKILL: the phase must not run beside it.
   */
  async stopRun(runId: string): Promise<void> {
    const rows = (await this.store.processesOf(runId)).filter((row) => row.host === this.host);
    const outcomes = await Promise.all(rows.map((row) => this.stop(row)));
    const stuck = rows.filter((_, i) => outcomes[i] === 'survived');
    if (stuck.length === 0) return;
    const list = stuck.map((r) => `phase "${r.phaseId}" (process group ${r.pgid})`).join(', ');
    const kill = stuck.map((r) => `kill -KILL -${r.pgid}`).join('; ');
    throw new WaymarkError('ORPHAN_RUNNING', `run ${runId}: the previous copy of ${list} is still running after SIGKILL, so the phase was not run again beside it; stop it (${kill}), then resume again`, {
      where: { phaseId: stuck[0]?.phaseId as string },
    });
  }

  private stop(row: PhaseProcess): Promise<StopOutcome> {
    const key = `${row.runId}:${row.pgid}`;
    const pending = this.stopping.get(key);
    if (pending) return pending;
    const stopping = stopGroup(row, { here: this.host, ...(this.graceMs === undefined ? {} : { graceMs: this.graceMs }) }).then((outcome) => {
      this.stopping.delete(key);
      // A group that survived SIGKILL stays recorded, so the next start tries again.
      if (outcome !== 'survived') void this.forget(row);
      return outcome;
    });
    this.stopping.set(key, stopping);
    return stopping;
  }

  private async forget(row: PhaseProcess): Promise<void> {
    try {
      await this.store.forgetProcess(row.runId, row.host, row.pgid);
    } catch {
      // store closed or busy: the row stays, and the next start finds its group gone
    }
  }
}
