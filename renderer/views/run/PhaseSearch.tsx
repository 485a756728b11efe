/**
 * Find a phase by id: type to see how many match (matches are outlined on the graph and
 * the minimap), Enter to select the next one and zoom to it (Shift+Enter: the previous
 * one). In the list view the matches are the rows shown, and Enter selects among them.
 * Escape clears the box, then leaves it.
 */
import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands } from '../../app/commands-context';
import { filterPhases } from '../../graph/phase-filter';
import { matchPhases, stepMatch } from '../../graph/phase-search';
import { useWaymark } from '../../state/store';
import { useFindShortcut } from './use-find-shortcut';

export function PhaseSearch() {
  const commands = useCommands();
  const query = useWaymark((s) => s.phaseQuery);
  const setQuery = useWaymark((s) => s.setPhaseQuery);
  const focusPhase = useWaymark((s) => s.focusPhase);
  const selected = useWaymark((s) => s.selectedPhaseId);
  const display = useWaymark((s) => s.runDisplay);
  const order = useWaymark((s) => s.view?.order);
  const ranked = useMemo(() => matchPhases(order ?? [], query), [order, query]);
  // In the list, only the rows the status filter keeps (in the list's order).
  const matches = useWaymark(
    useShallow((s) => (display === 'list' && s.view ? filterPhases(s.view.order, s.view.phases, { statuses: s.statusFilter, query }) : ranked)),
  );
  const input = useRef<HTMLInputElement>(null);
  useFindShortcut(input);

  const go = (step: 1 | -1) => {
    const id = stepMatch(matches, selected, step);
    if (!id) return;
    commands.selectPhase(id);
    if (display === 'graph') focusPhase(id);
  };
  const at = selected ? matches.indexOf(selected) : -1;
  const searching = query.trim() !== '';

  return (
    <div className="phase-search" role="search">
      <input
        ref={input}
        type="search"
        className="phase-search-input"
        placeholder="Find a phase…"
        aria-label="Find a phase by id (/ or Ctrl+F)"
        title="Find a phase by id (/ or Ctrl+F); Enter: next match, Shift+Enter: previous"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            if (query) setQuery('');
            else e.currentTarget.blur();
          }
        }}
        data-testid="phase-search"
      />
      <kbd className="phase-search-key" aria-hidden="true">
        /
      </kbd>
      <span className={`phase-search-count${searching && matches.length === 0 ? ' none' : ''}`} aria-live="polite" data-testid="phase-search-count">
        {!searching ? '' : matches.length === 0 ? 'no match' : `${at >= 0 ? at + 1 : '–'} of ${matches.length}`}
      </span>
      {searching && (
        <>
          <button type="button" className="button ghost small" onClick={() => go(-1)} disabled={matches.length === 0} aria-label="Previous match (Shift+Enter)" title="Previous match (Shift+Enter)">
            ‹
          </button>
          <button type="button" className="button ghost small" onClick={() => go(1)} disabled={matches.length === 0} aria-label="Next match (Enter)" title="Next match (Enter)">
            ›
          </button>
        </>
      )}
    </div>
  );
}
