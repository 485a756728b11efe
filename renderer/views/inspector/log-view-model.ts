/**
 * What a log view draws, from a try's streams: the lines interleaved as written,
 * filtered by stream, the colour state at each line's start (per stream: a colour one
 * stream set does not spill into the other), the gutter times, and the text a download
 * holds. Pure.
 */
import { mergeStreams, streamLines, type LogLine } from '../../../shared/log/log-lines';
import type { LoadedStream, LogStream } from '../../../shared/log/phase-log';
import { lineStates, plainText } from './ansi';

export type StreamFilter = 'all' | LogStream;

export function logLinesOf(stdout: LoadedStream, stderr: LoadedStream): LogLine[] {
  return mergeStreams(streamLines('stdout', stdout), streamLines('stderr', stderr));
}

export function filterLines(lines: readonly LogLine[], filter: StreamFilter): readonly LogLine[] {
  return filter === 'all' ? lines : lines.filter((l) => l.stream === filter);
}

export function statesOf(lines: readonly LogLine[]): string[] {
  const states = new Array<string>(lines.length).fill('');
  for (const stream of ['stdout', 'stderr'] as const) {
    const at = lines.flatMap((l, i) => (l.stream === stream && l.kind === 'text' ? [i] : []));
    lineStates(at.map((i) => (lines[i] as LogLine).text)).forEach((state, k) => (states[at[k] as number] = state));
  }
  return states;
}

/** A line's time in the gutter; `same` when it is the line above's (to the second), drawn quieter. */
export interface GutterTime {
  text: string;
  same: boolean;
}

/** The time of each line (null where unknown). */
export function gutterTimes(lines: readonly LogLine[]): (GutterTime | null)[] {
  let previous: string | null = null;
  let lastAt: number | null = null;
  let lastText: string | null = null;
  return lines.map((l) => {
    // Lines of one chunk share their time: format it once.
    if (l.at !== lastAt) lastText = l.at === null ? null : clockOf(l.at);
    lastAt = l.at;
    const text = lastText;
    const time = text === null ? null : { text, same: text === previous };
    previous = text;
    return time;
  });
}

/** 24-hour local time with seconds: "14:03:09". */
export function clockOf(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The text of a downloaded log: every line as a person sees it, escape codes removed. */
export function logFileText(commandLine: string | null, lines: readonly LogLine[]): string {
  const head = commandLine === null ? [] : [`$ ${plainText(commandLine)}`];
  return [...head, ...lines.map((l) => plainText(l.text))].map((line) => `${line}\n`).join('');
}
