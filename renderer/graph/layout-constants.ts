/** Sizes shared by both layouts and the node component: every node is drawn at this fixed size. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 60;
/** Space between nodes of one column, and between columns. */
export const NODE_GAP = 24;
export const LAYER_GAP = 64;

export interface LayoutInput {
  id: string;
  dependsOn: readonly string[];
}

/** Top-left corner of each node, by phase id. */
export type Positions = ReadonlyMap<string, { x: number; y: number }>;
