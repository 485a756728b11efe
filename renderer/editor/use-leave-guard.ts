/**
 * Unsaved edits are never lost silently: leaving the editor or switching files asks
 * first (the route's leave guard), closing or reloading the tab asks through
 * `beforeunload`, and the document title carries a dot while there are unsaved edits.
 */
import { useEffect } from 'react';
import { setLeaveGuard } from '../app/hash-route';
import { isDirty } from '../state/editor-slice';
import { appStore, useWaymark } from '../state/store';

/** True when nothing unsaved would be lost, or the user agrees to lose it. */
export function confirmDiscard(): boolean {
  const doc = appStore.getState().editorDoc;
  if (!doc || !isDirty(doc)) return true;
  return window.confirm(`${doc.path} has unsaved changes.\n\nDiscard them?`);
}

export function useLeaveGuard(): void {
  useEffect(
    () =>
      setLeaveGuard((to) => {
        const doc = appStore.getState().editorDoc;
        if (to.view === 'editor' && to.path === doc?.path) return true;
        return confirmDiscard();
      }),
    [],
  );

  const dirty = useWaymark((s) => isDirty(s.editorDoc));
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const path = useWaymark((s) => s.editorDoc?.path ?? null);
  useEffect(() => {
    const before = document.title;
    const file = path?.split('/').pop();
    document.title = file ? `${dirty ? '● ' : ''}${file} — Waymark editor` : 'Waymark editor';
    return () => {
      document.title = before;
    };
  }, [path, dirty]);
}
