/**
 * A try's log as the lines a person reads: each stream split into lines with the time
 * they arrived (where known), the omitted middle of a stream over the cap as one marker
 * line, and stdout and stderr interleaved in the order they were written. Pure: used by
 * the inspector, its download, and the command line.
 */
import { LOG_CAP_BYTES, type LoadedStream, type LogOmission, type LogStream } from './phase-log';

export interface LogLine {
  stream: LogStream;
  /** `omitted` is the marker where the middle of a stream over the cap was left out. */
  kind: 'text' | 'omitted';
  /** The line's index in its stream's stored text; for a marker, the line it precedes. */
  line: number;
  /** The text as written, escape codes included, without its line end. */
  text: string;
  /** When the line started to arrive (ms epoch); null where unknown. */
  at: number | null;
  /** Arrival order across both streams (shared/log/phase-log.ts LogMark); Infinity where unknown. */
  order: number;
}

/** The lines of one stream, with times from its marks and the omission marker in place. */
export function streamLines(stream: LogStream, loaded: LoadedStream): LogLine[] {
  if (loaded.text === '') return [];
  const texts = loaded.text.split('\n');
  if (texts[texts.length - 1] === '') texts.pop();
  const lines: LogLine[] = [];
  let m = -1;
  texts.forEach((raw, i) => {
    const line = loaded.firstLine + i;
    while (m + 1 < loaded.marks.length && (loaded.marks[m + 1] as { line: number }).line <= line) m += 1;
    const mark = m >= 0 ? loaded.marks[m] : undefined;
    const at = mark ? mark.at : null;
    const order = mark ? mark.order : Number.POSITIVE_INFINITY;
    const omitted = loaded.omitted;
    if (omitted && omitted.line === line && (i > 0 || loaded.bytesBefore === 0)) {
      lines.push({ stream, kind: 'omitted', line, text: omissionText(omitted), at, order });
    }
    lines.push({ stream, kind: 'text', line, text: shownText(raw), at, order });
  });
  return lines;
}

/** Both streams as one log, in the order they were written (stdout first where order is unknown). */
export function mergeStreams(stdout: readonly LogLine[], stderr: readonly LogLine[]): LogLine[] {
  const merged: LogLine[] = [];
  let i = 0;
  let j = 0;
  while (i < stdout.length || j < stderr.length) {
    const a = stdout[i];
    const b = stderr[j];
    if (a && (!b || a.order <= b.order)) {
      merged.push(a);
      i += 1;
    } else if (b) {
      merged.push(b);
      j += 1;
    }
  }
  return merged;
}

/** The marker line for an omitted middle. */
export function omissionText(o: LogOmission): string {
  const lines = o.lines > 0 ? ` (${o.lines.toLocaleString('en-US')} line${o.lines === 1 ? '' : 's'})` : '';
  return `… ${o.bytes.toLocaleString('en-US')} bytes${lines} omitted: the log kept its first and last ${LOG_CAP_BYTES / 2 / 1024 / 1024} MiB …`;
}

/**
 * What a terminal shows of a line: a trailing carriage return (CRLF) dropped, and only
 * the text after the last one (a progress bar that redraws itself) kept.
 */
export function shownText(raw: string): string {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const cr = line.lastIndexOf('\r');
  return cr < 0 ? line : line.slice(cr + 1);
}
