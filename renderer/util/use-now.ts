/**
 * One shared one-second clock for every running timer on screen: components that show
 * elapsed time re-render once a second together, with a single interval behind them
 * that runs only while some component listens.
 */
import { useSyncExternalStore } from 'react';
import { createEmitter } from '../../shared/emitter';

let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

const ticks = createEmitter({
  onFirst: () => {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      ticks.emit();
    }, 1000);
  },
  onLast: () => {
    clearInterval(timer);
    timer = undefined;
  },
});

/** The current time, updated every second while `active`; a fixed value otherwise. */
export function useNow(active: boolean): number {
  return useSyncExternalStore(active ? ticks.on : noSubscribe, () => (active ? now : 0));
}

const noSubscribe = () => () => {};
