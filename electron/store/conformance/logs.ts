/**
 * Conformance: whole logs of command tries (shared/log/phase-log.ts). Saved with the
 * try's end, kept out of the event log and off the emitted events, read back page by
 * page (from the start, or the tail) with the command line, cut at line ends, never
 * inside a character; large and over-the-cap streams, NUL bytes and replacement
 * characters come back exactly as the capture kept them.
 */
import { expect, it } from 'vitest';
import { LOG_CAP_BYTES, LOG_PAGE_MAX_BYTES, type LogPage, type LogRange, type StreamLog, type TryLog } from '../../../shared/log/phase-log';
import { TryLogCapture } from '../../engine/log-capture';
import type { CheckpointStore } from '../types';
import { commit, failed, started, startRun, succeeded, type Ctx, type GetCtx } from './fixtures';

const ERROR = { code: 'COMMAND_FAILED' as const, message: 'exited with code 1' };

function stream(text: string, at = 1_000): StreamLog {
  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { text, totalBytes: Buffer.byteLength(text), omitted: null, marks: Array.from({ length: lines }, (_, i) => ({ line: i, at: at + i, order: i * 2 })) };
}

function tryLog(stdout: string, stderr = '', commandLine: string | null = "make test SRC='a b'"): TryLog {
  return { commandLine, stdout: stream(stdout), stderr: stream(stderr, 5_000) };
}

/** Every page of a stream, from its start, `maxBytes` at a time. */
async function allPages(store: CheckpointStore, attempt: number, which: 'stdout' | 'stderr', maxBytes: number): Promise<LogPage[]> {
  const pages: LogPage[] = [];
  let range: LogRange = { maxBytes };
  for (;;) {
    const read = await store.readLog('run-1', 'test', attempt, which, range);
    if (!read) throw new Error('no log');
    pages.push(read.page);
    if (!read.page.next) return pages;
    range = { from: read.page.next, maxBytes };
  }
}

async function testStarted(ctx: Ctx) {
  await startRun(ctx);
  await commit(ctx, 'run-1', [started('research'), succeeded('research', 1, 'r'), started('code'), succeeded('code', 1, 'c'), started('test')]);
}

export function logSection(get: GetCtx): void {
  it('saves a try’s log with its end and reads it back with its command line; events never carry it', async () => {
    const ctx = get();
    await testStarted(ctx);
    const log = tryLog('collected 3 items\n\u001b[32m3 passed\u001b[0m\n', 'warning: slow\n');
    const [event] = await commit(ctx, 'run-1', [failed('test', 1, ERROR, { exitCode: 1, stdoutTail: '3 passed', log })]);
    expect(event).not.toHaveProperty('log');
    expect(JSON.stringify(await ctx.store.eventsSince('run-1', 0, 100))).not.toContain('collected 3 items');
    const read = await ctx.store.readLog('run-1', 'test', 1, 'stdout', { maxBytes: LOG_PAGE_MAX_BYTES });
    expect(read).toEqual({
      commandLine: "make test SRC='a b'",
      page: {
        stream: 'stdout', start: { byte: 0, line: 0 }, next: null, text: log.stdout.text, startsMidLine: false,
        marks: log.stdout.marks, storedBytes: Buffer.byteLength(log.stdout.text), totalBytes: log.stdout.totalBytes, omitted: null,
      },
    });
    expect((await ctx.store.readLog('run-1', 'test', 1, 'stderr', { maxBytes: 1024 }))?.page).toMatchObject({ text: 'warning: slow\n', marks: [{ line: 0, at: 5_000, order: 0 }] });
    expect((await ctx.store.getPhases('run-1'))[2]).toMatchObject({ stdoutTail: '3 passed' });
  });

  it('has no log for a try that saved none, a phase without tries, or an unknown run', async () => {
    const ctx = get();
    await testStarted(ctx);
    await commit(ctx, 'run-1', [failed('test', 1, ERROR)]);
    expect(await ctx.store.readLog('run-1', 'test', 1, 'stdout', { maxBytes: 1024 })).toBeUndefined();
    expect(await ctx.store.readLog('run-1', 'research', 1, 'stdout', { maxBytes: 1024 })).toBeUndefined();
    expect(await ctx.store.readLog('run-1', 'test', 2, 'stdout', { maxBytes: 1024 })).toBeUndefined();
    expect(await ctx.store.readLog('nope', 'test', 1, 'stdout', { maxBytes: 1024 })).toBeUndefined();
    // The end of a try never started saves nothing and refuses nothing.
    await commit(ctx, 'run-1', [failed('test', 7, ERROR, { log: tryLog('lost\n') })]);
    expect(await ctx.store.readLog('run-1', 'test', 7, 'stdout', { maxBytes: 1024 })).toBeUndefined();
  });

  it('keeps each try’s own log', async () => {
    const ctx = get();
    await testStarted(ctx);
    await commit(ctx, 'run-1', [failed('test', 1, ERROR, { retryInMs: 10, log: tryLog('first try\n', '', 'run 1') })]);
    await commit(ctx, 'run-1', [started('test', 2), succeeded('test', 2, 'ok', { log: tryLog('second try\n', 'note\n', 'run 2') })]);
    const one = await ctx.store.readLog('run-1', 'test', 1, 'stdout', { maxBytes: 1024 });
    const two = await ctx.store.readLog('run-1', 'test', 2, 'stdout', { maxBytes: 1024 });
    expect([one?.commandLine, one?.page.text, two?.commandLine, two?.page.text]).toEqual(['run 1', 'first try\n', 'run 2', 'second try\n']);
    expect((await ctx.store.readLog('run-1', 'test', 1, 'stderr', { maxBytes: 1024 }))?.page).toMatchObject({ text: '', marks: [], storedBytes: 0, next: null });
  });

  it('pages end at line ends and carry the marks of their lines', async () => {
    const ctx = get();
    await testStarted(ctx);
    const text = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(i % 7)}\n`).join('');
    await commit(ctx, 'run-1', [failed('test', 1, ERROR, { log: tryLog(text) })]);
    const pages = await allPages(ctx.store, 1, 'stdout', 64);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.map((p) => p.text).join('')).toBe(text);
    let line = 0;
    for (const page of pages) {
      expect(page.text.endsWith('\n')).toBe(true);
      expect(page.startsMidLine).toBe(false);
      expect(page.start.line).toBe(line);
      expect(page.marks[0]).toEqual({ line, at: 1_000 + line, order: line * 2 });
      line += page.text.split('\n').length - 1;
    }
    const tail = await ctx.store.readLog('run-1', 'test', 1, 'stdout', { tail: true, maxBytes: 64 });
    const tailLines = (tail?.page.text ?? '').split('\n').length - 1;
    expect(tail?.page).toMatchObject({ next: null, startsMidLine: false, start: { line: 40 - tailLines } });
    expect(text.endsWith(tail?.page.text ?? '-')).toBe(true);
    expect(text.slice(0, text.length - (tail?.page.text.length ?? 0)).endsWith('\n')).toBe(true);
    expect(tail?.page.marks[0]).toEqual({ line: 40 - tailLines, at: 1_000 + 40 - tailLines, order: (40 - tailLines) * 2 });
  });

  it('never cuts a character, and keeps NUL bytes and replacement characters', async () => {
    const ctx = get();
    await testStarted(ctx);
    const text = `start\u0000\n${'é😀\uFFFD'.repeat(50)}\nend\n`;
    await commit(ctx, 'run-1', [failed('test', 1, ERROR, { log: tryLog(text) })]);
    const pages = await allPages(ctx.store, 1, 'stdout', 16);
    expect(pages.map((p) => p.text).join('')).toBe(text);
    expect(pages.some((p) => p.startsMidLine)).toBe(true);
    // A page cut inside a character would decode to other bytes than it holds.
    for (const page of pages) expect(Buffer.byteLength(page.text)).toBe((page.next?.byte ?? page.storedBytes) - page.start.byte);
    const tail = await ctx.store.readLog('run-1', 'test', 1, 'stdout', { tail: true, maxBytes: 32 });
    expect(tail?.page.text).toBe('end\n');
  });

  it('stores a stream over the cap as its head and tail at line ends, with what was left out', async () => {
    const ctx = get();
    await testStarted(ctx);
    const capture = new TryLogCapture();
    const line = (i: number) => `${String(i).padStart(7, '0')} \u001b[33mwarn\u001b[0m \u0000 \uFFFD ${'.'.repeat(i % 50)}\n`;
    let written = 0;
    let i = 0;
    while (written <= LOG_CAP_BYTES + 1024 * 1024) {
      const chunk = Array.from({ length: 1000 }, () => line(i++)).join('');
      capture.write('stdout', chunk, 2_000 + i);
      written += Buffer.byteLength(chunk);
    }
    const log = capture.finish('big');
    await commit(ctx, 'run-1', [failed('test', 1, ERROR, { log })]);
    const pages = await allPages(ctx.store, 1, 'stdout', LOG_PAGE_MAX_BYTES);
    const text = pages.map((p) => p.text).join('');
    expect(text).toBe(log.stdout.text);
    const omitted = pages[0]?.omitted;
    expect(omitted).toEqual(log.stdout.omitted);
    expect(pages[0]).toMatchObject({ totalBytes: written, storedBytes: Buffer.byteLength(text) });
    const lines = text.split('\n');
    const headEnd = omitted?.line ?? 0;
    expect(lines[0]).toBe(line(0).slice(0, -1));
    expect(lines[headEnd - 1]).toBe(line(headEnd - 1).slice(0, -1));
    expect(lines[headEnd]).toBe(line(i - (lines.length - 1 - headEnd)).slice(0, -1));
    expect(lines[lines.length - 2]).toBe(line(i - 1).slice(0, -1));
    expect((omitted?.bytes ?? 0) + Buffer.byteLength(text)).toBe(written);
  });
}
