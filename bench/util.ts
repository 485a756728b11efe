/**
 * Small helpers shared by the benchmarks: temporary folders on a real disk, repetition
 * with warm-up and median, process I/O counters, and plain-text tables.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where temp databases go. WAYMARK_BENCH_DIR overrides (it must be on the disk you care about). */
export function benchBaseDir(): string {
  return process.env.WAYMARK_BENCH_DIR ?? tmpdir();
}

/** Runs `fn` in a fresh temporary folder and always removes it afterwards. */
export async function withTempDir<T>(label: string, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(benchBaseDir(), `waymark-bench-${label}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` `warmups` times (results dropped), then `reps` times; returns the kept results. */
export async function repeat<T>(warmups: number, reps: number, fn: (rep: number) => Promise<T> | T): Promise<T[]> {
  for (let i = 0; i < warmups; i++) await fn(-1 - i);
  const results: T[] = [];
  for (let i = 0; i < reps; i++) results.push(await fn(i));
  return results;
}

/** Median of one numeric field over repetitions. */
export function medianBy<T>(items: readonly T[], pick: (item: T) => number): number {
  return median(items.map(pick));
}

/** Microseconds since `start` (a `performance.now()` value). */
export function usSince(start: number): number {
  return (performance.now() - start) * 1000;
}

/**
 * Bytes this process caused to be written to storage, from /proc/self/io `write_bytes`
 * (Linux, page granularity, counted when a page is dirtied). Undefined where unavailable.
 */
export function processWriteBytes(): number | undefined {
  try {
    const match = /^write_bytes:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Size of a SQLite database plus its WAL: the fallback measure of bytes written. */
export function dbFilesBytes(dbPath: string): number {
  return [dbPath, `${dbPath}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1.42 ✓" style cell: a ratio beside its goal, informative only. */
export function withGoal(ratio: number, max: number): string {
  return `${fmt(ratio, 2)} ${ratio <= max ? '✓' : '✗'}`;
}

export interface Column {
  header: string;
  /** Numbers read best right-aligned; labels left. */
  align?: 'left' | 'right';
}

/** Prints a titled plain-text table, then optional note lines. */
export function printTable(title: string, columns: readonly Column[], rows: readonly (readonly string[])[], notes: readonly string[] = []): void {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (columns[i]?.align === 'left' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const out = ['', title, line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...notes.map((n) => `  ${n}`)];
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Runs `fn` while collecting process warnings instead of printing them, so a warning the
 * engine raises is reported once, beside the case that raised it.
 */
export async function collectingWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const seen = new Set<string>();
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, options?: unknown) => {
    const name = typeof warning === 'string' ? (typeof options === 'string' ? options : ((options as { type?: string } | undefined)?.type ?? 'Warning')) : warning.name;
    const message = typeof warning === 'string' ? warning : warning.message;
    seen.add(`${name}: ${message.split('. ')[0] ?? message}`);
  }) as typeof process.emitWarning;
  try {
    return { result: await fn(), warnings: [...seen] };
  } finally {
    process.emitWarning = original;
  }
}
