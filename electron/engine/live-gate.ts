import type { LiveEvent } from '../../shared/events';

/**
 * Holds a phase's live events (its output as it runs) until its `phase.started` has been
 * emitted: the phase runs while that commit is in flight, but no client sees it running
 * before its start is durable, nor its output before its start (which resets a client's
 * view of the phase's streams).
 */
export class LiveGate {
  private held: LiveEvent[] | undefined = [];

  constructor(private readonly forward: (event: LiveEvent) => void) {}

  emit(event: LiveEvent): void {
    if (this.held) this.held.push(event);
    else this.forward(event);
  }

  open(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.forward(event);
  }
}
