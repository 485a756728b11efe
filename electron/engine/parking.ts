/**
 * Approval phases parked in `PhaseContext.awaitDecision` (scheduler.ts): each waits for
 * a decision handed over with `take`, for its phase's signal to abort (cancel,
 * shutdown), or for the run to end without a decision (`releaseAll`).
 */
import type { Decision } from './phase-kind';

interface Parked {
  attempt: number;
  resolve(decision: Decision): void;
  reject(reason: unknown): void;
}

export class Parking {
  private readonly parked = new Map<string, Parked>();

  get size(): number {
    return this.parked.size;
  }

  has(phaseId: string): boolean {
    return this.parked.has(phaseId);
  }

  /** The parked phases and the try each parked in. */
  entries(): [string, number][] {
    return [...this.parked].map(([id, p]) => [id, p.attempt]);
  }

  /**
   * Parks `phaseId` at once (synchronously). The promise resolves with the decision
   * `take`'s caller hands over, or rejects when `signal` aborts (then `onAbort` runs,
   * the phase no longer parked) or on `releaseAll`.
   */
  park(phaseId: string, attempt: number, signal: AbortSignal, onAbort: () => void): Promise<Decision> {
    return new Promise<Decision>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const aborted = () => {
        this.parked.delete(phaseId);
        onAbort();
        reject(signal.reason);
      };
      signal.addEventListener('abort', aborted, { once: true });
      const done = () => signal.removeEventListener('abort', aborted);
      this.parked.set(phaseId, {
        attempt,
        resolve: (decision) => (done(), resolve(decision)),
        reject: (reason) => (done(), reject(reason)),
      });
    });
  }

  /** Unparks `phaseId`: its try, and the function that hands it the decision. Undefined when it is not parked. */
  take(phaseId: string): { attempt: number; resolve(decision: Decision): void } | undefined {
    const parked = this.parked.get(phaseId);
    this.parked.delete(phaseId);
    return parked;
  }

  /** The run ended without a decision: every wait rejects with `reason`. */
  releaseAll(reason: Error): void {
    for (const parked of this.parked.values()) parked.reject(reason);
    this.parked.clear();
  }
}
