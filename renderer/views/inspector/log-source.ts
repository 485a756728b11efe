/**
 * Reading a try's saved log over the page's API connection (`runs.log`): the tail of
 * both streams for the inspector, or every page for the whole log and its download.
 */
import type { WaymarkApi } from '../../../shared/api';
import { joinPages, LOG_PAGE_BYTES, LOG_PAGE_MAX_BYTES, LOG_STREAMS, type LoadedStream, type LogPage, type LogStream } from '../../../shared/log/phase-log';
import { getApi } from '../../api/get-api';

/** A try's saved log as far as it is loaded. */
export interface SavedLog {
  commandLine: string | null;
  stdout: LoadedStream;
  stderr: LoadedStream;
  /** Both streams loaded from their start. */
  whole: boolean;
}

export interface TryRef {
  runId: string;
  phaseId: string;
  attempt: number;
}

type LogApi = Pick<WaymarkApi, 'runs.log'>;

const api = (): LogApi => getApi().api;

/** The last `LOG_PAGE_BYTES` of both streams; null when the try saved no log. */
export async function loadTail(ref: TryRef, source: LogApi = api()): Promise<SavedLog | null> {
  const [stdout, stderr] = await Promise.all(LOG_STREAMS.map((stream) => source['runs.log']({ ...ref, stream, tail: true, maxBytes: LOG_PAGE_BYTES })));
  if (!stdout || !stderr) return null;
  return { commandLine: stdout.commandLine, stdout: only(stdout.page), stderr: only(stderr.page), whole: stdout.page.start.byte === 0 && stderr.page.start.byte === 0 };
}

/** Every page of both streams; `onProgress` gets the bytes loaded so far of the total. Null when the try saved no log. */
export async function loadWhole(ref: TryRef, onProgress?: (loaded: number, total: number) => void, source: LogApi = api()): Promise<SavedLog | null> {
  let commandLine: string | null = null;
  const streams: Partial<Record<LogStream, LoadedStream>> = {};
  let done = 0;
  const totals: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  for (const stream of LOG_STREAMS) {
    const pages: LogPage[] = [];
    let from: LogPage['next'] = null;
    do {
      const read = await source['runs.log']({ ...ref, stream, maxBytes: LOG_PAGE_MAX_BYTES, ...(from ? { from } : {}) });
      if (!read) return null;
      commandLine = read.commandLine;
      pages.push(read.page);
      totals[stream] = read.page.storedBytes;
      done += (read.page.next?.byte ?? read.page.storedBytes) - read.page.start.byte;
      onProgress?.(done, totals.stdout + totals.stderr);
      from = read.page.next;
    } while (from);
    streams[stream] = joinPages(pages) as LoadedStream;
  }
  return { commandLine, stdout: streams.stdout as LoadedStream, stderr: streams.stderr as LoadedStream, whole: true };
}

function only(page: LogPage): LoadedStream {
  return joinPages([page]) as LoadedStream;
}
