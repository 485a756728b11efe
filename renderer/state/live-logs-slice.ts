/**
 * Command logs as they stream in (phase.log events), per phase of the open run: only
 * the latest try of each phase is kept (a new try replaces it), in the shape the log
 * view draws (live-log.ts). The saved log replaces it once the try has ended.
 */
import type { LogStream } from '../../shared/log/phase-log';
import { appendChunk, newLiveLog, type LiveTryLog } from './live-log';
import type { SliceCreator } from './types';

/** One phase.log event, in arrival order. */
export interface LogChunk {
  phaseId: string;
  /** The try; 0 when the event did not say (an older Waymark). */
  attempt: number;
  stream: LogStream;
  text: string;
  at: number;
}

export interface LiveLogsSlice {
  /** The run the logs belong to; null before any arrived. */
  liveLogsRun: string | null;
  liveLogs: Readonly<Record<string, LiveTryLog>>;
  appendLogChunks(runId: string, chunks: readonly LogChunk[]): void;
}

export const createLiveLogsSlice: SliceCreator<LiveLogsSlice> = (set) => ({
  liveLogsRun: null,
  liveLogs: {},
  appendLogChunks: (runId, chunks) =>
    set((s) => {
      if (chunks.length === 0) return s;
      const logs: Record<string, LiveTryLog> = s.liveLogsRun === runId ? { ...s.liveLogs } : {};
      for (const c of chunks) {
        const current = logs[c.phaseId];
        if (current && current.attempt > c.attempt) continue; // a late chunk of an older try
        const log = current && current.attempt === c.attempt ? current : newLiveLog(c.attempt);
        logs[c.phaseId] = appendChunk(log, c.stream, c.text, c.at);
      }
      return { liveLogsRun: runId, liveLogs: logs };
    }),
});
