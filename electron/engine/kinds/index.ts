/** The phase kinds, by `kind`. One line per kind. */
import type { PhaseKind } from '../../../shared/flow/schema';
import type { PhaseKindModule } from '../phase-kind';
import { agentKind } from './agent';
import { approvalKind } from './approval';
import { commandKind } from './command';

export type KindRegistry = ReadonlyMap<string, PhaseKindModule>;

export function defaultKinds(): Map<string, PhaseKindModule> {
  const kinds = new Map<string, PhaseKindModule>();
  register(kinds, commandKind);
  register(kinds, agentKind);
  register(kinds, approvalKind);
  return kinds;
}

export function register<K extends PhaseKind>(kinds: Map<string, PhaseKindModule>, module: PhaseKindModule<K>): void {
  kinds.set(module.kind, module as unknown as PhaseKindModule);
}
