/**
 * The messages between SqliteStore (calling thread) and its writer thread
 * (sqlite-writer-thread.ts). Small on purpose: one request shape per write of the
 * store interface, a reply per request, and the lease keep-alive. Everything here
 * crosses `postMessage`, so it is plain data: no functions (an OwnerProbe is evaluated
 * on the calling side), no class instances (errors travel as WireError).
 */
import Database from 'better-sqlite3';
import { WaymarkError, isErrorCode, type ErrorLocation } from '../../shared/errors';
import type { PersistedEvent, RunFact } from '../../shared/events';
import type { OpenOptions } from './database';
import type { SqliteReads } from './sqlite-reads';
import type { ClaimedRun, DecisionRequest, NewAttempt, NewRun, Owner, PhaseProcess, QueuedResume, RunStart } from './types';

/** `workerData` of the writer thread. */
export interface WriterInit {
  path: string;
  options: Pick<OpenOptions, 'nativeBinding'>;
}

/**
 * A lease as the calling side saw it when it decided that its owner is gone. The
 * writer acts on that decision only if the lease is still the same inside its
 * transaction: same owner, heartbeat not refreshed since.
 */
export interface SeenLease {
  runId: string;
  ownerId: string | null;
  heartbeatAt: number | null;
}

/** A read the writer answers for a database only it can see (`:memory:`). */
export type ReadName = { [K in keyof SqliteReads]: SqliteReads[K] extends (...args: never[]) => unknown ? K : never }[keyof SqliteReads];

export type WriteRequest =
  | { op: 'createRun'; init: NewRun; owner: Owner; now: number }
  /** `gone`: the run was `running` and the caller found its owner gone; null when it was not running. */
  | { op: 'beginAttempt'; runId: string; init: NewAttempt; owner: Owner; now: number; gone: SeenLease | null }
  | { op: 'commit'; runId: string; owner: Owner; facts: RunFact[]; now: number }
  | { op: 'heartbeat'; runId: string; owner: Owner; now: number }
  | { op: 'reap'; gone: SeenLease[]; now: number }
  | { op: 'recordProcess'; process: PhaseProcess }
  | { op: 'forgetProcess'; runId: string; host: string; pgid: number }
  | { op: 'enqueueRun'; init: NewRun; now: number }
  | { op: 'enqueueResume'; runId: string; resume: QueuedResume; now: number }
  | { op: 'claimQueued'; owner: Owner; now: number }
  | { op: 'decide'; runId: string; request: DecisionRequest; now: number }
  | { op: 'cancelIdle'; runId: string; now: number }
  | { op: 'read'; name: ReadName; args: unknown[] }
  /** Outside any transaction, on the writer's connection only: for tests and benchmarks. */
  | { op: 'pragma'; source: string }
  | { op: 'stats' };

/** Counters of the writer since it opened: how group commit batched the requests. */
export interface WriterStats {
  /** `BEGIN IMMEDIATE ... COMMIT` transactions committed. */
  transactions: number;
  /** Requests applied or refused inside them. */
  requests: number;
}

/** What each request resolves to. */
export interface WriteResults {
  createRun: RunStart;
  beginAttempt: RunStart;
  commit: PersistedEvent[];
  heartbeat: boolean;
  reap: PersistedEvent[];
  recordProcess: void;
  forgetProcess: void;
  enqueueRun: RunStart;
  enqueueResume: RunStart;
  claimQueued: ClaimedRun | undefined;
  decide: PersistedEvent[];
  cancelIdle: PersistedEvent[];
  read: unknown;
  pragma: unknown;
  stats: WriterStats;
}

export type ToWriter =
  | { kind: 'request'; id: number; request: WriteRequest }
  | { kind: 'keep-alive'; id: number; runId: string; owner: Owner; everyMs: number }
  | { kind: 'stop-keep-alive'; id: number }
  /** Answered once every request sent before it is answered; then the connection is closed. */
  | { kind: 'close'; id: number };

export type FromWriter =
  | { kind: 'ready' }
  | { kind: 'open-failed'; error: WireError }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  /** The keep-alive `id` found the run no longer owned by its owner; it has stopped. */
  | { kind: 'lease-lost'; id: number };

/**
 * An error on the wire. `code` is a Waymark ErrorCode or a SQLite result code
 * (SQLITE_BUSY, SQLITE_FULL...): durable-writer.ts tells the user what the latter mean.
 */
export interface WireError {
  code: string | null;
  message: string;
  where?: ErrorLocation;
}

export function toWire(err: unknown): WireError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; where?: ErrorLocation };
    const message = typeof e.message === 'string' ? e.message : String(err);
    return { code: typeof e.code === 'string' ? e.code : null, message, ...(e.where ? { where: e.where } : {}) };
  }
  return { code: null, message: String(err) };
}

/** The error the caller sees: a WaymarkError for Waymark codes, a SqliteError (with its code) for SQLite's. */
export function fromWire(wire: WireError): Error {
  if (isErrorCode(wire.code)) return new WaymarkError(wire.code, wire.message, wire.where ? { where: wire.where } : {});
  if (wire.code !== null) return new Database.SqliteError(wire.message, wire.code);
  return new Error(wire.message);
}
