import { MinHeap } from '../../shared/min-heap';

/**
 * The phases ready to start, handed out in declaration (stable-sort) order, so
 * scheduling is deterministic: with a free slot, the earliest ready phase starts first.
 */
export class ReadyQueue {
  private readonly position: ReadonlyMap<string, number>;
  private readonly heap = new MinHeap();

  constructor(private readonly order: readonly string[]) {
    this.position = new Map(order.map((id, i) => [id, i]));
  }

  add(id: string): void {
    const value = this.position.get(id);
    if (value === undefined) throw new Error(`unknown phase "${id}"`);
    this.heap.push(value);
  }

  next(): string | undefined {
    const top = this.heap.pop();
    return top === undefined ? undefined : this.order[top];
  }
}
