/**
 * The one fan-out behind every "subscribe, get a disposer" in Waymark (STYLE rule 15):
 * the engine's and the event hub's events, the preload's and the WebSocket client's
 * events and connection status, the renderer's clock and address.
 *
 * What each of those needs, and small libraries such as mitt or nanoevents do not give:
 *  - a listener that throws never keeps the others from their value;
 *  - `onFirst` / `onLast`, so a source is attached only while someone listens (the
 *    preload's one IPC listener, the one-second timer);
 *  - a disposer that is safe to call twice, and a listener removed during an emit is
 *    not called afterwards.
 */

export interface Emitter<T> {
  /** Adds `listener`; returns its disposer. */
  on(listener: (value: T) => void): () => void;
  /** Calls every current listener with `value`, in subscription order. */
  emit(value: T): void;
  /** How many listeners there are. */
  readonly size: number;
  /** Removes every listener (`onLast` runs if there were any). */
  clear(): void;
}

export interface EmitterOptions {
  /** Runs when the first listener is added (attach the source). */
  onFirst?: () => void;
  /** Runs when the last listener is removed (detach the source). */
  onLast?: () => void;
  /** Told about a listener that threw; by default the error is dropped (it is the listener's own). */
  onError?: (error: unknown) => void;
}

export function createEmitter<T = void>(options: EmitterOptions = {}): Emitter<T> {
  const listeners = new Set<(value: T) => void>();

  const remove = (listener: (value: T) => void) => {
    if (!listeners.delete(listener)) return;
    if (listeners.size === 0) options.onLast?.();
  };

  return {
    on(listener) {
      if (typeof listener !== 'function') throw new TypeError('a listener must be a function');
      const first = listeners.size === 0;
      // A function added twice is still one listener, with one disposer that removes it.
      listeners.add(listener);
      if (first) options.onFirst?.();
      return () => remove(listener);
    },
    emit(value) {
      for (const listener of [...listeners]) {
        if (!listeners.has(listener)) continue;
        try {
          listener(value);
        } catch (err) {
          report(options.onError, err);
        }
      }
    },
    get size() {
      return listeners.size;
    },
    clear() {
      if (listeners.size === 0) return;
      listeners.clear();
      options.onLast?.();
    },
  };
}

function report(onError: ((error: unknown) => void) | undefined, err: unknown): void {
  try {
    onError?.(err);
  } catch {
    // reporting a listener's failure must not fail the emit
  }
}
