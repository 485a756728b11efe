/**
 * A resume preview (runs.previewResume) as what each node shows: reused, or re-run with
 * the reason, and whether it is on the frontier (runs first).
 */
import type { ResumePreview } from '../../shared/api';
import type { RerunReason } from '../../shared/resume-plan';

export interface PhasePreview {
  state: 'reused' | 'rerun';
  reason: RerunReason | null;
  frontier: boolean;
}

export const REASON_LABELS: Record<RerunReason, string> = {
  'never-ran': 'never ran',
  'failed-before': 'failed before',
  waiting: 'waits for a person',
  changed: 'definition changed',
  'ancestor-reruns': 'an ancestor re-runs',
  'restart-requested': 'restart requested',
};

export function previewByPhase(preview: ResumePreview): Map<string, PhasePreview> {
  const frontier = new Set(preview.frontier);
  const map = new Map<string, PhasePreview>();
  for (const id of preview.reused) map.set(id, { state: 'reused', reason: null, frontier: false });
  for (const { id, reason } of preview.rerun) map.set(id, { state: 'rerun', reason, frontier: frontier.has(id) });
  return map;
}

/** The node's classes in preview: `preview-reused`, or `preview-rerun reason-<reason>`, plus `preview-frontier`. */
export function previewClassName(p: PhasePreview | undefined): string {
  if (!p) return '';
  if (p.state === 'reused') return 'preview-reused';
  return `preview-rerun reason-${p.reason ?? 'never-ran'}${p.frontier ? ' preview-frontier' : ''}`;
}

/** The same reasons, short enough for a node. */
const SHORT_REASONS: Record<RerunReason, string> = {
  'never-ran': 'never ran',
  'failed-before': 'failed before',
  waiting: 'waiting',
  changed: 'changed',
  'ancestor-reruns': 'ancestor re-runs',
  'restart-requested': 'restart',
};

/** The words under the node's id in preview: ↻ marks a re-run (the legend says so). */
export function previewLabel(p: PhasePreview): string {
  return p.state === 'reused' ? 'reused' : `↻ ${SHORT_REASONS[p.reason ?? 'never-ran']}`;
}

/** The node's tooltip in preview. */
export function previewTitle(p: PhasePreview): string {
  if (p.state === 'reused') return 'Reused: its saved output feeds its dependents; it does not run again';
  return `Re-runs: ${REASON_LABELS[p.reason ?? 'never-ran']}${p.frontier ? '; runs first' : ''}`;
}
