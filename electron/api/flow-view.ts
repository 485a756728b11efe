/** The renderer's view of a valid flow: what the run monitor and the start dialog draw. */
import type { FlowView } from '../../shared/api';
import { dependenciesOf, type Flow } from '../../shared/flow/schema';

export function toFlowView(flow: Flow): FlowView {
  return {
    name: flow.name,
    ...(flow.description !== undefined ? { description: flow.description } : {}),
    inputs: Object.entries(flow.inputs).map(([name, decl]) => ({ name, ...decl })),
    phases: flow.phases.map((p) => ({ id: p.id, kind: p.kind, dependsOn: dependenciesOf(p), optional: p.optional ?? false })),
  };
}
