/**
 * The API contract between the renderer and the main process (STYLE rule 2): every
 * request channel with its request schema and response type, in one table. The
 * Electron preload, the IPC binding, the WebSocket server and client are all built
 * from this table, so a channel name is written nowhere else.
 *
 * Requests are validated with these schemas at the boundary; responses travel in a
 * result envelope, because a thrown Error does not survive IPC intact.
 */
import * as z from 'zod';
import type { WaymarkErrorData } from './errors';
import type { RunEvent } from './events';
import { formatSize, MAX_FLOW_BYTES } from './flow/limits';
import type { FlowProblem } from './flow/problems';
import { LOG_PAGE_BYTES, LOG_PAGE_MAX_BYTES, LOG_STREAMS, type TryLogPage } from './log/phase-log';
import { PHASE_ID_PATTERN } from './flow/schema';
import { MAX_DECISION_TEXT, type ApprovalDecision, type AttemptRecord, type PhaseRecord, type RunRecord, type TranscriptEntry, type TryRecord } from './records';
import type { RerunReason } from './resume-plan';
import type { ReuseSummary } from './reuse';
import type { RunsPage } from './runs-page';
import { RUN_STATUSES } from './status';

export const RunId = z.string().regex(/^[a-z0-9]{6,40}$/, 'not a run id');
/** Where a page of the runs list starts: a page's `next`, passed back as it came. */
export const RunsCursorParam = z.strictObject({ createdAt: z.number().int().nonnegative(), id: z.string().min(1).max(200) });
export const PhaseIdParam = z.string().regex(PHASE_ID_PATTERN, 'not a phase id');
/** A flow file path relative to the serve root (or absolute in the desktop app). */
export const FlowPath = z.string().min(1).max(4096);
/** A reviewer's comment or a rejection's reason. */
export const DecisionText = z.string().max(MAX_DECISION_TEXT, `at most ${MAX_DECISION_TEXT} characters`);
/**
 * A flow's text. Capped in characters at the loader's byte cap: a text that passes here
 * may still be over it in UTF-8 bytes, which the loader reports as a problem with sizes.
 */
export const FlowSource = z.string().max(MAX_FLOW_BYTES, `the flow text is over ${formatSize(MAX_FLOW_BYTES)}, the limit for a flow file`);

/** A flow file the app can open. */
export interface FlowFileInfo {
  path: string;
  name: string;
  /** The flow's `description`, on one line (shortened when long). */
  description?: string;
  /** Modification time, for "changed on disk" checks. */
  mtimeMs: number;
}

/** A flow file's text and what the loader made of it. */
export interface FlowDocument {
  path: string;
  source: string;
  mtimeMs: number;
  /** Present when the flow is valid. */
  flow: FlowView | null;
  problems: FlowProblem[];
}

/** What the run monitor and the start dialog need from a valid flow. */
export interface FlowView {
  name: string;
  description?: string;
  inputs: { name: string; default?: string; description?: string }[];
  phases: { id: string; kind: string; dependsOn: string[]; optional: boolean }[];
}

/** A run with everything the run view draws; `lastSeq` is the snapshot's position in the event log. */
export interface RunDetail {
  run: RunRecord;
  phases: PhaseRecord[];
  attempts: AttemptRecord[];
  lastSeq: number;
  /** For failed, interrupted and cancelled runs: what runs first on resume. */
  frontier: string[];
  /** Whether this process (the one answering) is executing the run. */
  live: boolean;
  /** For a resumed run: what reusing phases saved and what re-runs spent again (shared/reuse.ts). */
  reuse?: ReuseSummary | null;
  /** Every decision on the run's approval phases, oldest first (the approvals history). */
  decisions?: ApprovalDecision[];
  /** Phases of the current attempt's flow marked `optional: true` (their failure does not fail the run). */
  optional?: string[];
}

export interface TranscriptPage {
  entries: TranscriptEntry[];
  /** Index to ask for next, or null at the end. */
  nextIndex: number | null;
}

/** The resume preview, and "run again from here"'s: which phases are reused, which re-run and why (SPEC §4). */
export interface ResumePreview {
  reused: string[];
  frontier: string[];
  rerun: { id: string; reason: RerunReason }[];
}

/**
 * The environment variable a provider API key is kept under (OPENAI_API_KEY, a flow's
 * `api_key_env`, ...). Only key-like names are accepted, so a stored setting can never
 * become PATH, NODE_OPTIONS or LD_PRELOAD in the environment phases run with.
 */
export const SecretName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,99}$/, 'an environment variable name in capitals, like OPENAI_API_KEY')
  .regex(/_(KEY|TOKEN|SECRET)$/, 'must end in _KEY, _TOKEN or _SECRET')
  .refine((name) => !/^(LD|DYLD|NODE|ELECTRON|NPM)_/.test(name), 'names starting with LD_, DYLD_, NODE_, ELECTRON_ or NPM_ are reserved');

/** Where a provider key comes from when a phase starts. Key values never leave the main process. */
export type KeySource = 'stored' | 'environment' | 'missing' | 'unreadable';

export interface KeyStatus {
  name: string;
  /** `stored` (encrypted in Settings) wins over `environment`. */
  source: KeySource;
  /** Also set in the environment (shadowed while a stored key exists). */
  inEnvironment: boolean;
}

/** What the Settings view shows (SPEC §5 Settings). */
export interface SettingsStatus {
  /**
   * `encrypted`: keys are stored with the OS keychain (Electron safeStorage).
   * `unavailable`: no secure storage (e.g. Linux without a keyring): keys come from the environment only.
   * `environment`: serve mode, which always reads keys from its environment.
   */
  storage: 'encrypted' | 'unavailable' | 'environment';
  /** The OS backend (keychain, DPAPI, gnome_libsecret, kwallet…), when known. */
  backend?: string;
  /** Why keys cannot be stored, phrased for the user; present unless `storage` is `encrypted`. */
  notice?: string;
  /** Whether `settings.setKey` / `settings.clearKey` can work here. */
  writable: boolean;
  keys: KeyStatus[];
  /** The database in use and the setting that chooses it; absent where unknown. */
  database?: DatabaseStatus;
}

/** Which database the app uses (SPEC §7): a SQLite file or PostgreSQL. Never holds a password. */
export interface DatabaseStatus {
  /** What this process opened: a file path, or a URL without its password. */
  inUse: string;
  /** `environment`: WAYMARK_DB (wins over the setting); `setting`: the Database setting; `default`: the data folder's file; `flag`: serve's `--db`. */
  source: 'environment' | 'setting' | 'default' | 'flag';
  /** The saved Database setting (password removed); null when none. */
  setting: string | null;
  /** The next launch would open another database. */
  restartNeeded: boolean;
  /** Whether `settings.setDatabase` works here (the desktop app). */
  writable: boolean;
}

const res = <T>() => z.custom<T>(() => true);

export const requests = {
  /**
   * A page of the runs list, newest first (shared/runs-page.ts): the first page, or with
   * `before` (a page's `next`) the one after it. `status` keeps only runs in that status.
   */
  'runs.list': {
    req: z.strictObject({ limit: z.number().int().positive().max(500).default(200), status: z.enum(RUN_STATUSES).optional(), before: RunsCursorParam.optional() }),
    res: res<RunsPage>(),
  },
  'runs.get': { req: z.strictObject({ runId: RunId }), res: res<RunDetail>() },
  'runs.transcript': {
    req: z.strictObject({ runId: RunId, phaseId: PhaseIdParam, fromIndex: z.number().int().min(0).default(0), limit: z.number().int().positive().max(500).default(200) }),
    res: res<TranscriptPage>(),
  },
  /**
   * A page of one stream of a try's saved log, with the try's command line
   * (shared/log/phase-log.ts): from the start or a page's `next`, or the stream's tail.
   * Null when that try saved no log (not a command, still running, or older than logs).
   */
  'runs.log': {
    req: z.strictObject({
      runId: RunId,
      phaseId: PhaseIdParam,
      attempt: z.number().int().positive(),
      stream: z.enum(LOG_STREAMS),
      from: z.strictObject({ byte: z.number().int().nonnegative(), line: z.number().int().nonnegative() }).optional(),
      tail: z.boolean().default(false),
      maxBytes: z.number().int().min(1024).max(LOG_PAGE_MAX_BYTES).default(LOG_PAGE_BYTES),
    }),
    res: res<TryLogPage | null>(),
  },
  'runs.start': { req: z.strictObject({ flowPath: FlowPath, inputs: z.record(z.string(), z.string().max(100_000)).default({}) }), res: res<{ runId: string }>() },
  /** `budgetUsd`: the attempt's USD limit, e.g. raised after the run stopped at its budget (`resume --budget-usd`). */
  'runs.resume': {
    req: z.strictObject({ runId: RunId, restartPhase: PhaseIdParam.optional(), budgetUsd: z.number().positive('the budget must be more than 0 US dollars').finite().optional() }),
    res: res<{ runId: string }>(),
  },
  'runs.previewResume': { req: z.strictObject({ runId: RunId, restartPhase: PhaseIdParam.optional() }), res: res<ResumePreview>() },
  /**
   * Every try of one phase, oldest first (SPEC §5 History): status, error, timings, tails,
   * command line, usage, decision, output. Loaded when a phase is inspected, never for a
   * whole run, so a run of a thousand phases opens without them.
   */
  'runs.tries': { req: z.strictObject({ runId: RunId, phaseId: PhaseIdParam }), res: res<TryRecord[]>() },
  /** What "Run again from here" would do (SPEC §4): reused, and what runs from `fromPhase` and why. */
  'runs.previewRerun': { req: z.strictObject({ runId: RunId, fromPhase: PhaseIdParam }), res: res<ResumePreview>() },
  /** Runs a run (any status) again from a phase as a NEW run that reuses the rest; answers the new run's id. */
  'runs.rerun': { req: z.strictObject({ runId: RunId, fromPhase: PhaseIdParam }), res: res<{ runId: string }>() },
  /**
   * Cancels a run this process executes, or one no process holds (queued, or waiting for
   * a person). `cancelled: false` when it had already ended or another process executes it.
   */
  'runs.cancel': { req: z.strictObject({ runId: RunId }), res: res<{ cancelled: boolean }>() },
  /**
   * A person's decision on an approval phase that waits (SPEC §2), durable before the run
   * goes on: in the process executing the run, or, for a `waiting` run, continued in this
   * one like a resume. `comment` becomes the phase's output ('' when none). Refused with
   * APPROVAL_NOT_WAITING (already decided: by whom; or not waiting: why).
   */
  'runs.approve': { req: z.strictObject({ runId: RunId, phaseId: PhaseIdParam, comment: DecisionText.optional() }), res: res<{ runId: string }>() },
  /** Rejects an approval phase that waits: it fails with the reason, and the run with it unless other phases still run (a resume asks again). */
  'runs.reject': {
    req: z.strictObject({ runId: RunId, phaseId: PhaseIdParam, reason: DecisionText.refine((s) => s.trim() !== '', 'a rejection needs a reason: say what must change') }),
    res: res<{ runId: string }>(),
  },
  'flows.list': { req: z.strictObject({}), res: res<FlowFileInfo[]>() },
  'flows.open': { req: z.strictObject({ path: FlowPath }), res: res<FlowDocument>() },
  /**
   * Desktop app only: asks the user for a flow file with the OS dialog. The chosen file
   * may then be opened, saved and run even outside the flow folder; nothing else outside
   * it can be. `null` when the user cancels. Serve mode refuses with USAGE.
   */
  'flows.pick': { req: z.strictObject({}), res: res<{ path: string } | null>() },
  'flows.validate': { req: z.strictObject({ source: FlowSource, path: FlowPath.optional() }), res: res<{ flow: FlowView | null; problems: FlowProblem[] }>() },
  /**
   * Writes a flow file (atomically) after validating it; an invalid flow is refused. With
   * `expectedMtimeMs`, a file changed on disk since it was opened is refused with
   * FLOW_CHANGED unless `overwrite` is set (the user was asked).
   */
  'flows.save': {
    req: z.strictObject({ path: FlowPath, source: FlowSource, expectedMtimeMs: z.number().nonnegative().optional(), overwrite: z.boolean().default(false) }),
    res: res<FlowDocument>(),
  },
  'settings.get': { req: z.strictObject({}), res: res<SettingsStatus>() },
  'settings.setKey': { req: z.strictObject({ name: SecretName, value: z.string().trim().min(1, 'the key is empty').max(10_000) }), res: res<SettingsStatus>() },
  'settings.clearKey': { req: z.strictObject({ name: SecretName }), res: res<SettingsStatus>() },
  /**
   * Desktop app only: the database to open from the next launch, an absolute file path or
   * a postgres:// URL; '' for the default. Serve mode refuses with USAGE.
   */
  'settings.setDatabase': { req: z.strictObject({ database: z.string().trim().max(4_000) }), res: res<SettingsStatus>() },
} as const satisfies Record<string, { req: z.ZodType; res: z.ZodType }>;

export type Channel = keyof typeof requests;
export const CHANNELS = Object.keys(requests) as Channel[];
/** What a caller passes (defaults may be omitted). */
export type Req<C extends Channel> = z.input<(typeof requests)[C]['req']>;
/** What a handler receives (defaults applied). */
export type ParsedReq<C extends Channel> = z.output<(typeof requests)[C]['req']>;
export type Res<C extends Channel> = z.output<(typeof requests)[C]['res']>;

/**
 * Events pushed to the renderer: run events, notices about the run list, and (desktop
 * app only) `notification.clicked`: the user clicked a system notification about a run,
 * so the window shows that run.
 */
export type ApiEvent = RunEvent | { type: 'runs.changed'; runId: string } | { type: 'notification.clicked'; runId: string };

export type WaymarkApi = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> } & {
  /** Subscribes to events; returns the disposer. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
};

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: WaymarkErrorData };

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(requests, value);
}

/** The error a client raises from a failed envelope: compare `code`, not the class. */
export class ApiError extends Error {
  constructor(readonly error: WaymarkErrorData) {
    super(error.message);
    this.name = 'ApiError';
  }

  get code() {
    return this.error.code;
  }
}
