/**
 * A command try's log as it streams in (phase.log events), in the shape a saved log
 * loads in (shared/log/phase-log.ts LoadedStream), so one view draws both: the lines
 * that start in a chunk get a mark with its time and order, as the engine's capture
 * does. Past LIVE_LOG_LIMIT characters a stream drops its oldest lines; the saved log
 * has them once the try ends.
 */
import type { LoadedStream, LogStream } from '../../shared/log/phase-log';
import { emptyStream } from '../../shared/log/phase-log';

/** Characters of a stream kept live. */
export const LIVE_LOG_LIMIT = 1024 * 1024;

export interface LiveStream {
  loaded: LoadedStream;
  /** Line ends since the try started, the dropped ones included. */
  lineEnds: number;
}

export interface LiveTryLog {
  attempt: number;
  /** The next chunk's arrival order (both streams). */
  order: number;
  stdout: LiveStream;
  stderr: LiveStream;
}

export function newLiveLog(attempt: number): LiveTryLog {
  return { attempt, order: 0, stdout: { loaded: emptyStream(), lineEnds: 0 }, stderr: { loaded: emptyStream(), lineEnds: 0 } };
}

/** The log with one more chunk of `stream`, arrived at `at`. */
export function appendChunk(log: LiveTryLog, stream: LogStream, text: string, at: number, limit = LIVE_LOG_LIMIT): LiveTryLog {
  if (text === '') return log;
  const live = log[stream];
  const { loaded } = live;
  const atLineStart = loaded.text === '' || loaded.text.endsWith('\n');
  const firstEnd = text.indexOf('\n');
  const startsHere = atLineStart || (firstEnd >= 0 && firstEnd < text.length - 1);
  const marks = startsHere ? [...loaded.marks, { line: live.lineEnds + (atLineStart ? 0 : 1), at, order: log.order }] : loaded.marks;
  const bytes = loaded.totalBytes + text.length;
  let next: LiveStream = { loaded: { ...loaded, text: loaded.text + text, marks, totalBytes: bytes, storedBytes: bytes }, lineEnds: live.lineEnds + countLineEnds(text) };
  if (next.loaded.text.length > limit) next = dropOldest(next, limit);
  return { ...log, order: log.order + 1, [stream]: next };
}

/** Keeps about three quarters of `limit`, from a line start; the mark in force there moves to it. */
function dropOldest(live: LiveStream, limit: number): LiveStream {
  const { loaded } = live;
  const cut = loaded.text.indexOf('\n', loaded.text.length - Math.floor(limit * 0.75));
  if (cut < 0 || cut === loaded.text.length - 1) return live;
  const dropped = loaded.text.slice(0, cut + 1);
  const firstLine = loaded.firstLine + countLineEnds(dropped);
  const inForce = loaded.marks.filter((m) => m.line <= firstLine).pop();
  const marks = [...(inForce ? [{ ...inForce, line: firstLine }] : []), ...loaded.marks.filter((m) => m.line > firstLine)];
  return { ...live, loaded: { ...loaded, text: loaded.text.slice(cut + 1), firstLine, marks, bytesBefore: loaded.bytesBefore + dropped.length, startsMidLine: false } };
}

function countLineEnds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
