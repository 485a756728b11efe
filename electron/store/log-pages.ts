/**
 * Pages of a stored stream (shared/log/phase-log.ts), shared by the three stores. A
 * store reads the bytes a range needs (`sliceOf`: one byte before the page too, to tell
 * whether it starts a line) and the stream's facts; `pageOf` cuts them at line ends and
 * picks the marks of the page's lines. Pages never split a character.
 */
import type { LogMark, LogOmission, LogPage, LogRange, LogStream, StreamLog, TryLog, TryLogPage } from '../../shared/log/phase-log';
import { decodeMarks, encodeMarks } from '../../shared/log/marks-codec';
import { decodeJson } from './codec';

const NL = 0x0a;

/** A stream as a store keeps it: the columns of `phase_logs`. */
export interface StoredStream {
  bytes: Buffer;
  totalBytes: number;
  lineEnds: number;
  omittedJson: string | null;
  marksJson: string;
}

/** What a store read for one page: the slice `sliceOf` asked for and the stream's facts. */
export interface StoredSlice extends Omit<StoredStream, 'bytes'> {
  /** Bytes from `sliceStart`, as many as `sliceOf` said (fewer at the end of the stream). */
  slice: Buffer;
  sliceStart: number;
  storedBytes: number;
  commandLine: string | null;
}

/** A stream of a try as the stores write it. */
export function storedStream(log: StreamLog): StoredStream {
  const bytes = Buffer.from(log.text, 'utf8');
  return { bytes, totalBytes: log.totalBytes, lineEnds: countLineEnds(bytes), omittedJson: log.omitted ? JSON.stringify(log.omitted) : null, marksJson: encodeMarks(log.marks) };
}

/** A try's log as the memory store keeps it: the same bytes the tables hold. */
export interface StoredTryLog {
  commandLine: string | null;
  stdout: StoredStream;
  stderr: StoredStream;
}

export function storedTryLog(log: TryLog): StoredTryLog {
  return { commandLine: log.commandLine, stdout: storedStream(log.stdout), stderr: storedStream(log.stderr) };
}

/** Reads a page from a stream held in memory (the memory store). */
export function pageOfStored(stream: LogStream, stored: StoredStream, commandLine: string | null, range: LogRange): TryLogPage {
  const { start, length } = sliceOf(range, stored.bytes.length);
  const slice = stored.bytes.subarray(start, start + length);
  return pageOf(stream, { ...stored, slice, sliceStart: start, storedBytes: stored.bytes.length, commandLine }, range);
}

/** Where the page for `range` starts in a stream of `storedBytes`, before any cut to a line start. */
function pageStartOf(range: LogRange, storedBytes: number): number {
  return range.tail ? Math.max(0, storedBytes - range.maxBytes) : Math.min(Math.max(0, range.from?.byte ?? 0), storedBytes);
}

/**
 * The bytes to read for `range` of a stream of `storedBytes` (0-based start, length):
 * the byte before the page and the one after it too, to see whether the page starts a
 * line and where its last character starts.
 */
export function sliceOf(range: LogRange, storedBytes: number): { start: number; length: number } {
  const pageStart = pageStartOf(range, storedBytes);
  const start = Math.max(0, pageStart - 1);
  return { start, length: pageStart - start + range.maxBytes + 1 };
}

/** The page for `range` from what a store read for it (`sliceOf`). `range.maxBytes` is at least 4. */
export function pageOf(stream: LogStream, read: StoredSlice, range: LogRange): TryLogPage {
  const { slice, sliceStart, storedBytes } = read;
  let start = pageStartOf(range, storedBytes) - sliceStart;
  let startsMidLine = start > 0 && slice[start - 1] !== NL;
  if (range.tail && startsMidLine) {
    // A tail starts at its first line start, unless the page holds no other.
    const lineEnd = slice.indexOf(NL, start);
    if (lineEnd >= 0 && lineEnd < slice.length - 1) {
      start = lineEnd + 1;
      startsMidLine = false;
    }
  }
  let end = Math.min(slice.length, start + range.maxBytes);
  const reachesEnd = sliceStart + end >= storedBytes;
  if (!reachesEnd) {
    // A page ends at its last line end; one that holds none (a very long line) at a character's start.
    const lastEnd = slice.lastIndexOf(NL, end - 1);
    end = lastEnd >= start ? lastEnd + 1 : charBoundary(slice, end);
  }
  const body = slice.subarray(start, end);
  const bodyLineEnds = countLineEnds(body);
  // A tail's first line is counted back from the end: the lines after it end in the page.
  const firstLine = range.tail ? read.lineEnds - bodyLineEnds : (range.from?.line ?? 0);
  const page: LogPage = {
    stream,
    start: { byte: sliceStart + start, line: firstLine },
    next: reachesEnd ? null : { byte: sliceStart + end, line: firstLine + bodyLineEnds },
    text: body.toString('utf8'),
    startsMidLine,
    marks: marksOfPage(decodeMarks(read.marksJson), firstLine, firstLine + bodyLineEnds),
    storedBytes,
    totalBytes: read.totalBytes,
    omitted: decodeJson<LogOmission | null>(read.omittedJson ?? 'null', null),
  };
  return { commandLine: read.commandLine, page };
}

/** The marks of lines first..last, the one in force at `first` moved to it. */
function marksOfPage(marks: readonly LogMark[], first: number, last: number): LogMark[] {
  const inForce = marks.filter((m) => m.line <= first).pop();
  const within = marks.filter((m) => m.line > first && m.line <= last);
  return inForce ? [{ ...inForce, line: first }, ...within] : within;
}

function countLineEnds(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) n += 1;
  return n;
}

/** `end` moved back to the start of the character it falls in. */
function charBoundary(bytes: Buffer, end: number): number {
  let at = end;
  while (at > 0 && ((bytes[at] as number) & 0xc0) === 0x80) at -= 1;
  return at;
}
