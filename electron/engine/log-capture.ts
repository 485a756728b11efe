/**
 * Keeps a try's stdout and stderr for its log (shared/log/phase-log.ts) as the text
 * arrives: up to `cap` bytes per stream, and beyond that the first and last halves, cut
 * at line ends when the try ends, with the size of what was left out between them.
 * Memory stays near `cap` per stream however much a command prints.
 *
 * Every chunk is stamped with its arrival time and its order across both streams; the
 * lines that start in it get a mark, unless the mark before already says the same (same
 * millisecond, nothing from the other stream in between).
 */
import { LOG_CAP_BYTES, type LogMark, type LogStream, type StreamLog, type TryLog } from '../../shared/log/phase-log';
import { bytesOf, countLineEnds, keepFirstBytes, keepLastBytes } from './log-text';

interface Chunk {
  text: string;
  bytes: number;
  lineEnds: number;
  /** The stream's text before it ended with a line end (or there was none). */
  startsLine: boolean;
}

/** Marks are pruned of the dropped middle when there are more than this many (and then twice as many as remain). */
const PRUNE_MARKS_AT = 10_000;

export class TryLogCapture {
  private order = 0;
  private readonly streams: Record<LogStream, StreamCapture>;

  constructor(cap = LOG_CAP_BYTES) {
    this.streams = { stdout: new StreamCapture(cap / 2), stderr: new StreamCapture(cap / 2) };
  }

  /** A chunk of a stream, as the command (or Waymark, for its notes) wrote it. */
  write(stream: LogStream, text: string, at: number): void {
    if (text === '') return;
    this.streams[stream === 'stdout' ? 'stderr' : 'stdout'].otherWrote();
    this.streams[stream].write(text, at, this.order++);
  }

  /** The log of the try; `commandLine` as the shell ran it, null when not known. */
  finish(commandLine: string | null): TryLog {
    return { commandLine, stdout: this.streams.stdout.finish(), stderr: this.streams.stderr.finish() };
  }
}

class StreamCapture {
  private readonly head: string[] = [];
  private headBytes = 0;
  private headFull = false;
  private tail: Chunk[] = [];
  private tailBytes = 0;
  private totalBytes = 0;
  private lineEnds = 0;
  private atLineStart = true;
  /** Marks by absolute line of the stream (before anything was left out). */
  private marks: LogMark[] = [];
  /** No other stream wrote since this one's last mark. */
  private contiguous = false;
  private pruneAt = PRUNE_MARKS_AT;

  /** `half`: bytes kept at each end once the stream is over twice that. */
  constructor(private readonly half: number) {}

  otherWrote(): void {
    this.contiguous = false;
  }

  write(text: string, at: number, order: number): void {
    this.markLines(text, at, order);
    const bytes = bytesOf(text);
    const lineEnds = countLineEnds(text);
    const startsLine = this.atLineStart;
    this.totalBytes += bytes;
    this.lineEnds += lineEnds;
    this.atLineStart = text.endsWith('\n');
    if (!this.headFull) {
      if (this.headBytes + bytes <= this.half) {
        this.head.push(text);
        this.headBytes += bytes;
        return;
      }
      this.headFull = true;
      const first = keepFirstBytes(text, this.half - this.headBytes);
      this.head.push(first);
      this.headBytes += bytesOf(first);
      const rest = text.slice(first.length);
      if (rest) this.pushTail({ text: rest, bytes: bytesOf(rest), lineEnds: countLineEnds(rest), startsLine: first === '' ? startsLine : first.endsWith('\n') });
      return;
    }
    this.pushTail({ text, bytes, lineEnds, startsLine });
  }

  finish(): StreamLog {
    const headText = this.head.join('');
    if (!this.over()) {
      return { text: headText + this.tail.map((c) => c.text).join(''), totalBytes: this.totalBytes, omitted: null, marks: this.marks };
    }
    // The head ends at its last line end (a line longer than the head is cut, and ended).
    const lastEnd = headText.lastIndexOf('\n');
    const head = lastEnd >= 0 ? headText.slice(0, lastEnd + 1) : `${headText}\n`;
    const headKept = lastEnd >= 0 ? bytesOf(head) : bytesOf(headText);
    const ring = this.tail.map((c) => c.text).join('');
    let tail = keepLastBytes(ring, this.half);
    const cut = ring.length - tail.length;
    const startsLine = cut === 0 ? (this.tail[0]?.startsLine ?? true) : ring[cut - 1] === '\n';
    // The tail starts at a line start: its first one, unless that would leave nothing (one long line).
    const firstEnd = tail.indexOf('\n');
    if (!startsLine && firstEnd >= 0 && firstEnd < tail.length - 1) tail = tail.slice(firstEnd + 1);
    const headLines = countLineEnds(head);
    const tailLineEnds = countLineEnds(tail);
    // The tail's first line, counted in the whole stream.
    const tailFirst = this.lineEnds - tailLineEnds;
    const omittedBytes = this.totalBytes - headKept - bytesOf(tail);
    const omittedLines = Math.max(0, this.lineEnds - (lastEnd >= 0 ? headLines : 0) - tailLineEnds);
    const marks = this.marks.filter((m) => m.line < headLines);
    const inForce = this.marks.filter((m) => m.line <= tailFirst).pop();
    if (inForce) marks.push({ ...inForce, line: headLines });
    for (const m of this.marks) if (m.line > tailFirst) marks.push({ ...m, line: headLines + (m.line - tailFirst) });
    return { text: head + tail, totalBytes: this.totalBytes, omitted: { line: headLines, bytes: omittedBytes, lines: omittedLines }, marks };
  }

  /** Marks the lines that start in this chunk, at the line index they have in the whole stream. */
  private markLines(text: string, at: number, order: number): void {
    let line = this.lineEnds;
    if (!this.atLineStart) {
      const end = text.indexOf('\n');
      // No line end, or only as the last character: no line starts in this chunk.
      if (end < 0 || end === text.length - 1) return;
      line += 1;
    }
    const last = this.marks[this.marks.length - 1];
    if (!(last && this.contiguous && last.at === at)) this.marks.push({ line, at, order });
    this.contiguous = true;
    if (this.marks.length > this.pruneAt) this.pruneMiddle();
  }

  private pushTail(chunk: Chunk): void {
    this.tail.push(chunk);
    this.tailBytes += chunk.bytes;
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0] as Chunk).bytes >= this.half) {
      this.tailBytes -= (this.tail.shift() as Chunk).bytes;
    }
  }

  /** More was written than the two halves hold: the middle is left out. */
  private over(): boolean {
    return this.totalBytes > 2 * this.half;
  }

  /** Drops the marks of lines already left out: between the head and the kept tail. */
  private pruneMiddle(): void {
    if (this.over()) {
      const headLines = countLineEnds(this.head.join('')) + 1;
      const tailFirst = this.lineEnds - this.tail.reduce((n, c) => n + c.lineEnds, 0);
      const inForce = this.marks.filter((m) => m.line <= tailFirst).pop();
      this.marks = this.marks.filter((m) => m.line < headLines || m.line > tailFirst || m === inForce);
    }
    this.pruneAt = Math.max(PRUNE_MARKS_AT, this.marks.length * 2);
  }
}
