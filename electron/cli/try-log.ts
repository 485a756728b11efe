/**
 * A try's whole log for the command line (`show --phase`, SPEC §6): its command line and
 * both streams, read page by page from the store and interleaved in the order they were
 * written, the omitted middle of a stream over the cap shown as one line. Colours stay
 * on a terminal that shows them; elsewhere the text is plain (terminal-text.ts).
 */
import { mergeStreams, streamLines, type LogLine } from '../../shared/log/log-lines';
import { joinPages, LOG_PAGE_MAX_BYTES, LOG_STREAMS, type LogPage, type LogRange, type LogStream } from '../../shared/log/phase-log';
import type { CheckpointStore } from '../store/types';
import { showsColour, terminalText } from './terminal-text';

export interface WholeLog {
  commandLine: string | null;
  lines: LogLine[];
}

/** Every line of a try's log; null when the try saved none (not a command, or recorded before whole logs). */
export async function readWholeLog(store: CheckpointStore, runId: string, phaseId: string, attempt: number): Promise<WholeLog | null> {
  let commandLine: string | null = null;
  const lines: Partial<Record<LogStream, LogLine[]>> = {};
  for (const stream of LOG_STREAMS) {
    const pages: LogPage[] = [];
    let range: LogRange = { maxBytes: LOG_PAGE_MAX_BYTES };
    for (;;) {
      const read = await store.readLog(runId, phaseId, attempt, stream, range);
      if (!read) return null;
      commandLine = read.commandLine;
      pages.push(read.page);
      if (!read.page.next) break;
      range = { from: read.page.next, maxBytes: LOG_PAGE_MAX_BYTES };
    }
    const joined = joinPages(pages);
    lines[stream] = joined ? streamLines(stream, joined) : [];
  }
  return { commandLine, lines: mergeStreams(lines.stdout ?? [], lines.stderr ?? []) };
}

/**
 * Prints a try's log to `out`: `$ command line`, then every line. Returns false, printing
 * nothing, when the try saved no log.
 */
export async function writeTryLog(out: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv, store: CheckpointStore, runId: string, phaseId: string, attempt: number): Promise<boolean> {
  const log = await readWholeLog(store, runId, phaseId, attempt);
  if (!log) return false;
  const colour = showsColour(out, env);
  const lines = [...(log.commandLine === null ? [] : [`$ ${log.commandLine}`]), ...log.lines.map((l) => l.text)];
  // As one text: a colour a command set on one line and reset lines later stays on in between.
  out.write(lines.length > 0 ? `${terminalText(lines.join('\n'), colour)}\n` : '');
  return true;
}
