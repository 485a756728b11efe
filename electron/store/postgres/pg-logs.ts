/**
 * The PostgreSQL store's part of whole logs (shared/log/phase-log.ts, migration 005),
 * as the SQLite store's sqlite-logs.ts: a try's streams are written with its
 * `phase.finished`, in the same transaction, to `phase_logs` (`bytea`), and read back a
 * page at a time with `substring`, so a page of a 16 MiB stream never crosses as a whole.
 */
import type { PhaseFinishedEvent } from '../../../shared/events';
import { LOG_STREAMS, type LogRange, type LogStream, type TryLogPage } from '../../../shared/log/phase-log';
import { pageOf, sliceOf, storedStream } from '../log-pages';
import type { Sql } from './pg-pool';
import { fromBytes, toBytes } from './pg-rows';
import { exec, type Statement } from './pg-statements';

const stmt = (name: string, text: string): Statement => ({ name: `waymark_${name}`, text });

const L = {
  // Through the try's row: a log of a try never started is not saved (and fails nothing).
  saveLog: stmt('save_log', `INSERT INTO phase_logs (run_id, phase_id, attempt, stream, text, total_bytes, line_ends, omitted_json, marks_json)
    SELECT run_id, phase_id, attempt, $4, $5, $6, $7, $8, $9 FROM phase_attempts WHERE run_id = $1 AND phase_id = $2 AND attempt = $3
    ON CONFLICT (run_id, phase_id, attempt, stream) DO UPDATE SET text = excluded.text, total_bytes = excluded.total_bytes,
      line_ends = excluded.line_ends, omitted_json = excluded.omitted_json, marks_json = excluded.marks_json`),
  saveCommandLine: stmt('save_command_line', `UPDATE phase_attempts SET command_line = $4 WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`),
  logSize: stmt('log_size', `SELECT octet_length(text) AS size FROM phase_logs WHERE run_id = $1 AND phase_id = $2 AND attempt = $3 AND stream = $4`),
  logSlice: stmt('log_slice', `SELECT substring(l.text FROM $5::integer + 1 FOR $6::integer) AS slice, l.total_bytes, l.line_ends, l.omitted_json, l.marks_json, pa.command_line
    FROM phase_logs l JOIN phase_attempts pa ON pa.run_id = l.run_id AND pa.phase_id = l.phase_id AND pa.attempt = l.attempt
    WHERE l.run_id = $1 AND l.phase_id = $2 AND l.attempt = $3 AND l.stream = $4`),
};

/** Saves the log a `phase.finished` carries, if any; inside the caller's transaction. */
export async function saveLog(sql: Sql, runId: string, fact: PhaseFinishedEvent): Promise<void> {
  const { log } = fact;
  if (!log || fact.attempt <= 0) return;
  for (const stream of LOG_STREAMS) {
    const s = storedStream(log[stream]);
    await exec(sql, L.saveLog, [runId, fact.phaseId, fact.attempt, stream, s.bytes, s.totalBytes, s.lineEnds, s.omittedJson, s.marksJson]);
  }
  await exec(sql, L.saveCommandLine, [runId, fact.phaseId, fact.attempt, log.commandLine === null ? null : toBytes(log.commandLine)]);
}

interface SliceRow {
  slice: Buffer | null;
  total_bytes: number;
  line_ends: number;
  omitted_json: string | null;
  marks_json: string;
  command_line: Buffer | null;
}

/** A page of one stream of a try's log; undefined when the try saved none. */
export async function readLog(sql: Sql, runId: string, phaseId: string, attempt: number, stream: LogStream, range: LogRange): Promise<TryLogPage | undefined> {
  const key = [runId, phaseId, attempt, stream];
  const size = (await exec<{ size: number }>(sql, L.logSize, key)).rows[0];
  if (!size) return undefined;
  const { start, length } = sliceOf(range, size.size);
  const row = (await exec<SliceRow>(sql, L.logSlice, [...key, start, length])).rows[0];
  if (!row) return undefined;
  return pageOf(stream, {
    slice: row.slice ?? Buffer.alloc(0), sliceStart: start, storedBytes: size.size, totalBytes: row.total_bytes, lineEnds: row.line_ends,
    omittedJson: row.omitted_json, marksJson: row.marks_json, commandLine: row.command_line === null ? null : fromBytes(row.command_line),
  }, range);
}
