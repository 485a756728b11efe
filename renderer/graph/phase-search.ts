/**
 * Finding a phase by its id in a big run: the pure part of the search box. A query is
 * one or more words; a phase matches when its id contains every word (case-insensitive).
 * Matches are ranked exact id, then ids starting with the query, then the rest, each
 * group in the order given (the run's dependency order), so Enter walks a stable list.
 */

/** The query as lower-case words; none for a blank query. */
export function queryWords(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** Whether `id` matches `query`; a blank query matches nothing (nothing is highlighted). */
export function isPhaseMatch(id: string, query: string): boolean {
  const words = queryWords(query);
  if (words.length === 0) return false;
  const lower = id.toLowerCase();
  return words.every((w) => lower.includes(w));
}

/** The ids matching `query`, best first (see the file comment). */
export function matchPhases(ids: readonly string[], query: string): string[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const whole = words.join(' ');
  const ranked: [string[], string[], string[]] = [[], [], []];
  for (const id of ids) {
    const lower = id.toLowerCase();
    if (!words.every((w) => lower.includes(w))) continue;
    ranked[lower === whole ? 0 : lower.startsWith(words[0] as string) ? 1 : 2].push(id);
  }
  return ranked.flat();
}

/**
 * The match after `current` (`step` 1) or before it (-1), wrapping around. When
 * `current` is not a match, the first match (or, going back, the last).
 */
export function stepMatch(matches: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (matches.length === 0) return null;
  const at = current === null ? -1 : matches.indexOf(current);
  if (at < 0) return (step === 1 ? matches[0] : matches[matches.length - 1]) as string;
  return matches[(at + step + matches.length) % matches.length] as string;
}
