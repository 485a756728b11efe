/**
 * The view in the address, so a reload or a link opens the same place:
 * `#/runs/<id>` (the runs view with that run open), `#/editor?path=<flow file>` and
 * `#/settings`. A view may install a leave guard (the editor, with unsaved changes):
 * `navigate` and the browser's back/forward both ask it before the route changes.
 */
import { useSyncExternalStore } from 'react';
import { createEmitter } from '../../shared/emitter';
import type { Commands } from '../state/commands';
import type { WaymarkStore } from '../state/store';

export type Route = { view: 'runs'; runId: string | null } | { view: 'editor'; path: string | null } | { view: 'settings' };

const RUN_PATTERN = /^#\/runs\/([a-z0-9]{6,40})$/;

export function parseRoute(hash: string): Route {
  if (hash === '#/settings') return { view: 'settings' };
  if (hash === '#/editor' || hash.startsWith('#/editor?')) {
    const path = new URLSearchParams(hash.slice('#/editor?'.length)).get('path');
    return { view: 'editor', path: path || null };
  }
  return { view: 'runs', runId: RUN_PATTERN.exec(hash)?.[1] ?? null };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'settings':
      return '#/settings';
    case 'editor':
      return route.path ? `#/editor?${new URLSearchParams({ path: route.path }).toString()}` : '#/editor';
    case 'runs':
      return route.runId ? `#/runs/${route.runId}` : '#/';
  }
}

/** Returns true when leaving for `to` is fine (it may ask the user). */
export type LeaveGuard = (to: Route) => boolean;

let guard: LeaveGuard | null = null;
const inBrowser = typeof window !== 'undefined';
let shownHash = inBrowser ? window.location.hash : '';
/** A hash `navigate` already cleared with the guard, so its hashchange does not ask twice. */
let approvedHash: string | null = null;
const shownChanged = createEmitter();

function setShown(hash: string): void {
  if (hash === shownHash) return;
  shownHash = hash;
  shownChanged.emit();
}

if (inBrowser) {
  window.addEventListener('hashchange', () => {
    const hash = window.location.hash;
    const approved = approvedHash === hash;
    approvedHash = null;
    if (!approved && guard && !guard(parseRoute(hash))) {
      // Back/forward or a typed address: put the view's address back.
      history.pushState(null, '', `${window.location.pathname}${window.location.search}${shownHash}`);
      return;
    }
    setShown(hash);
  });
}

/** Installs the leave guard; returns its disposer. */
export function setLeaveGuard(next: LeaveGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = null;
  };
}

/** Goes to `route` unless the leave guard says no; returns whether it went. */
export function navigate(route: Route): boolean {
  const hash = routeHash(route);
  if (hash === shownHash || (hash === '#/' && shownHash === '')) return true;
  if (guard && !guard(route)) return false;
  approvedHash = hash;
  window.location.hash = hash;
  return true;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(shownChanged.on, () => shownHash);
  return parseRoute(hash);
}

/**
 * Keeps the open run in the address (`#/runs/<id>`) while the runs view is shown, and
 * opens the run an address names. Returns the disposer of the store subscription.
 */
export function syncRunWithHash(store: WaymarkStore, commands: Pick<Commands, 'openRun'>): () => void {
  const fromHash = () => {
    const route = parseRoute(window.location.hash);
    return route.view === 'runs' ? route.runId : null;
  };
  const initial = fromHash();
  if (initial) commands.openRun(initial);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.openRunId === previous.openRunId || parseRoute(window.location.hash).view !== 'runs') return;
    const hash = state.openRunId ? `#/runs/${state.openRunId}` : '';
    if (window.location.hash !== hash) {
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
      setShown(hash);
    }
  });
  const onHashChange = () => {
    const id = fromHash();
    if (id && id !== store.getState().openRunId) commands.openRun(id);
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
  };
}
