/** A flow-file problem: what is wrong and exactly where. Loading collects all of them. */
import type { WaymarkErrorData } from '../errors';

export interface FlowProblem {
  message: string;
  file?: string;
  line: number;
  column: number;
  phaseId?: string;
  /** Path of the offending value inside the document, e.g. ["phases", 2, "depends_on", 0]. */
  path: (string | number)[];
}

export function formatProblem(p: FlowProblem): string {
  return `${p.file ?? '<flow>'}:${p.line}:${p.column}: ${p.message}`;
}

export function problemToError(p: FlowProblem): WaymarkErrorData {
  return {
    code: 'FLOW_INVALID',
    message: p.message,
    where: { ...(p.file ? { file: p.file } : {}), line: p.line, column: p.column, ...(p.phaseId ? { phaseId: p.phaseId } : {}) },
  };
}

/** Closest candidate within a small edit distance, for "did you mean" hints. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(Math.max(1, Math.ceil(word.length / 3)), word.length - 1) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Edits needed to turn `a` into `b`; swapping two adjacent letters counts as one ("rnu" → "run"). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] as number;
}
