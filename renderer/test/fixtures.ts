/** Test builders for run details and events (pure data, no DOM). */
import type { RunDetail } from '../../shared/api';
import type { PersistedEvent, RunFact } from '../../shared/events';
import type { PhaseRecord, RunRecord } from '../../shared/records';
import { emptyTotals } from '../../shared/usage';

export function runRecord(over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run001', flowName: 'demo', flowFile: null, status: 'running', inputs: {}, error: null,
    createdAt: 1000, updatedAt: 1000, finishedAt: null, attempt: 1, lastSeq: 0, owner: null, waitingFor: null,
    usage: emptyTotals(), rerunOf: null, activeMs: 0, attemptStartedAt: over.status === undefined || over.status === 'running' ? 1000 : null, ...over,
  };
}

export function phaseRecord(phaseId: string, position: number, dependsOn: string[] = [], over: Partial<PhaseRecord> = {}): PhaseRecord {
  return {
    runId: 'run001', phaseId, position, kind: 'command', dependsOn, defHash: `h-${phaseId}`, status: 'pending', attempts: 0,
    error: null, startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, waiting: null, decision: null,
    usage: emptyTotals(), ...over,
  };
}

/** a → (b, c) → d */
export function diamond(over: Partial<RunDetail> = {}): RunDetail {
  return {
    run: runRecord({ lastSeq: 1 }),
    phases: [phaseRecord('a', 0), phaseRecord('b', 1, ['a']), phaseRecord('c', 2, ['a']), phaseRecord('d', 3, ['b', 'c'])],
    attempts: [],
    lastSeq: 1,
    frontier: [],
    live: true,
    ...over,
  };
}

export function persisted(seq: number, fact: RunFact, runId = 'run001'): PersistedEvent {
  return { ...fact, runId, seq, at: 1000 + seq } as PersistedEvent;
}
