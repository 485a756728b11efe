/** Words and marks the run view uses for phase kinds and waiting phases. */
import type { WaitReason } from '../../../shared/events';

/** The glyph before a phase's id, by kind: a model, a shell, a person. */
export const KIND_ICONS: Readonly<Record<string, string>> = { agent: '✦', command: '›_', approval: '⚑' };

/** What a waiting phase shows instead of "waiting": what it needs. */
export const WAITING_LABELS: Readonly<Record<WaitReason, string>> = { approval: 'needs approval', budget: 'budget reached' };
