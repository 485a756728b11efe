/**
 * The SQLite store's part of whole logs (shared/log/phase-log.ts, migration 006): a
 * try's streams are written with its `phase.finished`, in the same transaction, to
 * `phase_logs` (never to the event log), and read back a page at a time with `substr`
 * on the stored bytes, so a page of a 16 MiB stream never crosses as a whole.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PhaseFinishedEvent } from '../../shared/events';
import { LOG_STREAMS, type LogRange, type LogStream, type TryLogPage } from '../../shared/log/phase-log';
import { pageOf, sliceOf, storedStream } from './log-pages';

export type LogStatements = ReturnType<typeof prepareLogStatements>;

export function prepareLogStatements(db: Database) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    // Through the try's row: a log of a try never started is not saved (and fails nothing).
    saveLog: p(`INSERT OR REPLACE INTO phase_logs (run_id, phase_id, attempt, stream, text, total_bytes, line_ends, omitted_json, marks_json)
                SELECT run_id, phase_id, attempt, @stream, @text, @totalBytes, @lineEnds, @omittedJson, @marksJson FROM phase_attempts
                WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    saveCommandLine: p(`UPDATE phase_attempts SET command_line = @commandLine WHERE run_id = @runId AND phase_id = @phaseId AND attempt = @attempt`),
    logSize: p(`SELECT length(text) AS size FROM phase_logs WHERE run_id = ? AND phase_id = ? AND attempt = ? AND stream = ?`),
    logSlice: p(`SELECT substr(l.text, @start + 1, @length) AS slice, l.total_bytes, l.line_ends, l.omitted_json, l.marks_json, pa.command_line
                 FROM phase_logs l JOIN phase_attempts pa ON pa.run_id = l.run_id AND pa.phase_id = l.phase_id AND pa.attempt = l.attempt
                 WHERE l.run_id = @runId AND l.phase_id = @phaseId AND l.attempt = @attempt AND l.stream = @stream`),
  };
}

/** Saves the log a `phase.finished` carries, if any; inside the caller's transaction. */
export function saveLog(q: LogStatements, runId: string, fact: PhaseFinishedEvent): void {
  const { log } = fact;
  if (!log || fact.attempt <= 0) return;
  const key = { runId, phaseId: fact.phaseId, attempt: fact.attempt };
  for (const stream of LOG_STREAMS) {
    const { bytes, ...rest } = storedStream(log[stream]);
    q.saveLog.run({ ...key, stream, text: bytes, ...rest });
  }
  q.saveCommandLine.run({ ...key, commandLine: log.commandLine });
}

interface SliceRow {
  slice: Buffer | null;
  total_bytes: number;
  line_ends: number;
  omitted_json: string | null;
  marks_json: string;
  command_line: string | null;
}

/** A page of one stream of a try's log; undefined when the try saved none. */
export function readLog(q: LogStatements, runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): TryLogPage | undefined {
  const size = q.logSize.get(runId, phaseId, attempt, stream) as { size: number } | undefined;
  if (!size) return undefined;
  const { start, length } = sliceOf(range, size.size);
  const row = q.logSlice.get({ runId, phaseId, attempt, stream, start, length }) as SliceRow | undefined;
  if (!row) return undefined;
  const slice = row.slice ?? Buffer.alloc(0);
  return pageOf(stream, {
    slice, sliceStart: start, storedBytes: size.size, totalBytes: row.total_bytes, lineEnds: row.line_ends,
    omittedJson: row.omitted_json, marksJson: row.marks_json, commandLine: row.command_line,
  }, range);
}
