/**
 * One shared one-second clock for every running timer on screen: components that show
 * elapsed time re-render once a second together, with a single interval behind them.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated every second while `active`; a fixed value otherwise. */
export function useNow(active: boolean): number {
  return useSyncExternalStore(active ? subscribe : noSubscribe, () => (active ? now : 0));
}

const noSubscribe = () => () => {};
