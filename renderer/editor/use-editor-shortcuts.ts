/** Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, Ctrl/Cmd+S save: anywhere in the editor, text boxes included (their text is the flow's). */
import { useEffect } from 'react';
import { appStore } from '../state/store';

export function useEditorShortcuts(save: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const s = appStore.getState();
      if (key === 'z') s[e.shiftKey ? 'editorRedo' : 'editorUndo']();
      else if (key === 'y' && !e.shiftKey) s.editorRedo();
      else if (key === 's') save();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [save]);
}
