/**
 * Progress on stderr: a live, compact per-phase display when stderr is a terminal,
 * plain timestamped lines when it is not (CI logs, pipes). Stdout is left to results.
 */
import { formatDuration } from '../../shared/duration';
import type { RunEvent } from '../../shared/events';
import { addStepUsage, emptyTotals, type UsageTotals } from '../../shared/usage';
import { formatCost, formatTokenUsage } from '../../shared/usage-format';
import { LiveDisplay } from './live-display';

export interface ProgressSink {
  handle(event: RunEvent): void;
  /** Prints a message without breaking the live display. */
  note(message: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, runId: () => string | undefined): ProgressSink {
  return stream.isTTY && process.env.TERM !== 'dumb' ? new LiveDisplay(stream, runId) : new PlainProgress(stream, runId);
}

export class PlainProgress implements ProgressSink {
  /** What this attempt's model steps used so far: the last line says it. */
  private readonly spent = emptyTotals();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly runId: () => string | undefined,
  ) {}

  handle(event: RunEvent): void {
    if (event.runId !== this.runId()) return;
    if (event.type === 'transcript.appended' && event.usage) addStepUsage(this.spent, event.usage);
    const line = describe(event);
    if (line) this.note(event.type === 'run.finished' ? `${line}${spentNote(this.spent)}` : line);
  }

  note(message: string): void {
    this.out.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
  }

  stop(): void {}
}

/** "; this attempt used 12.4k in · 3.1k out tokens, $0.0213", or nothing without model steps. */
export function spentNote(u: UsageTotals): string {
  return u.steps > 0 ? `; this attempt used ${formatTokenUsage(u)}, ${formatCost(u)}` : '';
}

/** One line for an event, or nothing for events too small to mention. */
export function describe(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run.started': {
      const reused = event.reused.length > 0 ? `, reusing ${event.reused.length} completed phase${event.reused.length === 1 ? '' : 's'}` : '';
      return `${event.resumed ? 'resumed' : 'started'} run ${event.runId} of ${event.flowName} (attempt ${event.attempt}, ${event.phases.length} phases${reused})`;
    }
    case 'phase.started':
      return `${event.phaseId}: started${event.attempt > 1 ? ` (try ${event.attempt})` : ''}`;
    case 'phase.finished': {
      const took = event.attempt > 0 ? ` in ${formatDuration(event.durationMs)}` : '';
      const error = event.error ? `: ${event.error.message}` : '';
      const retry = event.retryInMs !== undefined ? `; retrying in ${formatDuration(event.retryInMs)}` : '';
      return `${event.phaseId}: ${event.status}${took}${error}${retry}`;
    }
    case 'phase.waiting':
      return `${event.phaseId}: waiting ${event.reason === 'approval' ? 'for approval' : `for budget${event.message ? `: ${event.message}` : ''}`}`;
    case 'approval.decided':
      return `${event.phaseId}: ${event.decision} by ${event.by}${event.comment ? `: ${event.comment.split('\n')[0]}` : ''}`;
    case 'run.finished':
      return `run ${event.runId} ${event.status}${event.error ? `: ${event.error.message}` : ''}`;
    case 'run.queued':
      return `run ${event.runId} queued for a worker${event.requeues ? ` again (re-queue ${event.requeues})` : ''}`;
    case 'store.failed':
      return `warning: ${event.message}`;
    case 'store.recovered':
      return event.message;
    case 'transcript.appended':
    case 'phase.delta':
    case 'phase.log':
      return undefined;
  }
}
