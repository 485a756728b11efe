/**
 * A dependency on the editor's graph: a curve between the facing sides of the two
 * phases (edge-route.ts), so an edge drawn to a phase below or behind its dependency
 * goes straight to it instead of looping under the nodes.
 */
import { BaseEdge, getBezierPath, useInternalNode, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph/layout-constants';
import { edgeRoute } from './edge-route';

export type EditorEdgeType = Edge<{ from: string; to: string }, 'dependency'>;

export const EditorEdge = memo(function EditorEdge({ id, source, target, markerEnd, style, interactionWidth }: EdgeProps<EditorEdgeType>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!from || !to) return null;
  const box = (node: typeof from) => ({ ...node.internals.positionAbsolute, width: node.measured.width ?? NODE_WIDTH, height: node.measured.height ?? NODE_HEIGHT });
  const [path] = getBezierPath(edgeRoute(box(from), box(to)));
  return <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />;
});
