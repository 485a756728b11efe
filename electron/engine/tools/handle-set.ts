/**
 * The file handles one tool call opened, so every one of them is closed on every path
 * (`closeAll` in a finally), and the abort check every step of a tool makes before its
 * next system call.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class HandleSet {
  private readonly handles = new Set<FileHandle>();

  constructor(private readonly signal: AbortSignal) {}

  /** Runs one file-system step unless the tool call was aborted (abandoned) already. */
  step<T>(operation: () => Promise<T>): Promise<T> {
    this.signal.throwIfAborted();
    return operation();
  }

  async open(path: string, flags: number, mode?: number): Promise<FileHandle> {
    const handle = await this.step(() => open(path, flags, mode));
    this.handles.add(handle);
    return handle;
  }

  /** Closes one handle early (a directory the walk has moved past). */
  async release(handle: FileHandle): Promise<void> {
    if (this.handles.delete(handle)) await handle.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.handles];
    this.handles.clear();
    await Promise.allSettled(all.map((h) => h.close()));
  }
}
