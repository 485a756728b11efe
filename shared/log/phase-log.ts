/**
 * The log of a `command` phase (SPEC §5 phase inspector, "History"): every try keeps its
 * whole stdout and stderr, its arrival times and the command line it ran, readable page
 * by page (`runs.log`, `CheckpointStore.readLog`). Pure data shared by the engine, the
 * stores, the API and the renderer.
 *
 * Each stream keeps up to LOG_CAP_BYTES. A stream over it keeps its first and last
 * halves, each cut at a line end, and records what was left out between them
 * (`LogOmission`), which every reader shows as one "… N bytes omitted …" line.
 *
 * Times are per line where they are known: a mark says when the lines from `line` on
 * started to arrive. Marks count lines, not bytes, so they stay right when secrets are
 * redacted out of the text before it is saved.
 */

export const LOG_STREAMS = ['stdout', 'stderr'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

/** Bytes of a stream kept per try: the first and the last half when it is larger. */
export const LOG_CAP_BYTES = 16 * 1024 * 1024;

/** Largest page `runs.log` answers with (a JSON answer may be several times larger: escapes), and the default page. */
export const LOG_PAGE_MAX_BYTES = 2 * 1024 * 1024;
export const LOG_PAGE_BYTES = 1024 * 1024;

/**
 * When lines arrived. Lines `line` (0-based, of the stored text) up to the next mark's
 * started arriving at `at` (ms epoch) in the try's chunk number `order`. Orders count
 * the chunks of both streams in arrival order, so the two interleave as they were
 * written; lines of one chunk keep their order.
 */
export interface LogMark {
  line: number;
  at: number;
  order: number;
}

/** The middle of a stream over the cap, left out between the kept head and tail. */
export interface LogOmission {
  /** The stored line the omitted part preceded: the first line of the tail. */
  line: number;
  bytes: number;
  /** Line ends in the omitted part. */
  lines: number;
}

/** One stream of one try as the store keeps it. */
export interface StreamLog {
  /** The kept text (decoded from UTF-8 like every command output: invalid bytes become U+FFFD). */
  text: string;
  /** Bytes the command wrote to the stream, kept or not. */
  totalBytes: number;
  omitted: LogOmission | null;
  /** In line order; the first one at line 0 when the stream has any text. */
  marks: LogMark[];
}

/** What a try of a command phase leaves for its log, saved with its `phase.finished`. */
export interface TryLog {
  /**
   * The command line as the shell ran it: templates resolved and quoted, values passed
   * as files shown as `"$(cat -- '/path')"`. Null when the try ended before it was known.
   */
  commandLine: string | null;
  stdout: StreamLog;
  stderr: StreamLog;
}

/** Where a page starts: a byte of the stored stream (its UTF-8 encoding) and that line's index. */
export interface LogCursor {
  byte: number;
  line: number;
}

/** Which part of a stream a read asks for: from a cursor (default: the start), or its last bytes. */
export interface LogRange {
  from?: LogCursor;
  /** The end of the stream, starting at a line start where one is within `maxBytes`. */
  tail?: boolean;
  maxBytes: number;
}

/** A page of one stream of a try's log. Pages start at line starts unless `startsMidLine`. */
export interface LogPage {
  stream: LogStream;
  start: LogCursor;
  /** Where the next page starts; null when this one reaches the end. */
  next: LogCursor | null;
  text: string;
  /** The page starts inside a line: a tail that cut a very long line, or after a page that did. */
  startsMidLine: boolean;
  /** Marks of the page's lines; the one in force at its first line is moved to it. */
  marks: LogMark[];
  /** Size of the stored stream in bytes. */
  storedBytes: number;
  totalBytes: number;
  omitted: LogOmission | null;
}

/** `runs.log`: a page of one stream, with the try's command line. */
export interface TryLogPage {
  commandLine: string | null;
  page: LogPage;
}

/** The stream of a try as a reader holds it: its pages joined. */
export interface LoadedStream {
  /** Line index of the first line of `text`. */
  firstLine: number;
  text: string;
  startsMidLine: boolean;
  marks: LogMark[];
  omitted: LogOmission | null;
  totalBytes: number;
  /** Size of the stored stream in bytes (what the log kept of `totalBytes`). */
  storedBytes: number;
  /** Bytes of the stored stream before `text` (0 when loaded from its start). */
  bytesBefore: number;
  /** Bytes of the stored stream after `text` (0 when loaded to its end). */
  bytesAfter: number;
}

/** A stream as loaded from one page (or several joined with `joinPages`). */
export function streamOfPage(page: LogPage): LoadedStream {
  return {
    firstLine: page.start.line,
    text: page.text,
    startsMidLine: page.startsMidLine,
    marks: page.marks,
    omitted: page.omitted,
    totalBytes: page.totalBytes,
    storedBytes: page.storedBytes,
    bytesBefore: page.start.byte,
    bytesAfter: page.next ? page.storedBytes - page.next.byte : 0,
  };
}

/** Consecutive pages of one stream (each the `next` of the one before) as one stream. */
export function joinPages(pages: readonly LogPage[]): LoadedStream | null {
  const first = pages[0];
  if (!first) return null;
  const joined = streamOfPage(first);
  const last = pages[pages.length - 1] as LogPage;
  const marks = new Map<number, LogMark>();
  for (const page of pages) for (const mark of page.marks) if (!marks.has(mark.line)) marks.set(mark.line, mark);
  return {
    ...joined,
    text: pages.map((p) => p.text).join(''),
    marks: [...marks.values()].sort((a, b) => a.line - b.line),
    bytesAfter: last.next ? last.storedBytes - last.next.byte : 0,
  };
}

/** An empty stream (a try that wrote nothing to it). */
export function emptyStream(): LoadedStream {
  return { firstLine: 0, text: '', startsMidLine: false, marks: [], omitted: null, totalBytes: 0, storedBytes: 0, bytesBefore: 0, bytesAfter: 0 };
}
