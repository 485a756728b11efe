/** The flow pickers' search: every word of the query appears in the flow's name, path or description. */
import type { FlowFileInfo } from '../../shared/api';

export function filterFlows(flows: readonly FlowFileInfo[], query: string): FlowFileInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...flows];
  return flows.filter((flow) => {
    const text = `${flow.name}\n${flow.path}\n${flow.description ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Pickers show a search box once there are more flows than fit at a glance. */
export const FLOW_SEARCH_FROM = 6;
