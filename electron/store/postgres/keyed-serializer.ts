/**
 * Runs tasks that share a key one after another, in the order they were submitted;
 * tasks with different keys run concurrently. The PostgreSQL store keys its writes by
 * run id: the interface promises that commits of one run resolve in the order they were
 * made, and a connection pool alone would let a later commit overtake an earlier one.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A failed task does not stop the ones queued behind it.
    const result = previous.then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running tasks (for tests: nothing is kept once a key is idle). */
  get size(): number {
    return this.tails.size;
  }
}
