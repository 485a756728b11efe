/**
 * Coalesces streamed text into `phase.delta` live events: at most one every
 * `intervalMs`, plus a final flush at the end of each step. Never stored.
 */
import type { PhaseContext } from '../phase-kind';

export const DELTA_INTERVAL_MS = 50;

export class DeltaBuffer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: Pick<PhaseContext, 'emit' | 'runId' | 'phase'>,
    private readonly intervalMs = DELTA_INTERVAL_MS,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.ctx.emit({ type: 'phase.delta', runId: this.ctx.runId, phaseId: this.ctx.phase.id, text });
  }
}
