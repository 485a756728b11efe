/**
 * A real engine for agent-phase tests: a SQLite store on a temp file, a fake LLM
 * server on port 0, and an environment pointing the providers at it. The agent kind
 * uses a short retry policy so transient-error tests take milliseconds, not seconds.
 */
import { join } from 'node:path';
import type { RunEvent } from '../../shared/events';
import type { TranscriptEntry } from '../../shared/records';
import { Engine, type RunOutcome } from '../engine/engine';
import { createAgentKind } from '../engine/kinds/agent';
import { defaultKinds, register } from '../engine/kinds';
import { sandboxSettings } from '../engine/sandbox/settings';
import type { ModelRetryPolicy } from '../engine/providers/model-retry';
import { SqliteStore } from '../store/sqlite-store';
import { startFakeLlm, type FakeLlmServer, type FakeProtocol } from './fake-llm-server';
import type { ScriptStep } from './fake-llm-script';
import { tempDir, type TempDir } from './temp-dir';

export const FAST_RETRY: ModelRetryPolicy = { maxAttempts: 3, initialDelayMs: 10, backoff: 2, maxDelayMs: 50, maxRetryAfterMs: 3_000, idleTimeoutMs: 10_000 };
export const TEST_OPENAI_KEY = 'sk-test-0123456789abcdefghij';

export interface AgentHarness {
  dir: TempDir;
  llm: FakeLlmServer;
  store: SqliteStore;
  engine: Engine;
  events: RunEvent[];
  dbPath: string;
  /** Writes `yaml` as flow.yaml in the temp dir (the workspace) and runs it. */
  run(yaml: string, inputs?: Record<string, string>): Promise<RunOutcome>;
  start(yaml: string, inputs?: Record<string, string>): Promise<{ runId: string; done: Promise<RunOutcome> }>;
  resume(runId: string, restartPhase?: string): Promise<RunOutcome>;
  transcript(runId: string, phaseId: string): Promise<TranscriptEntry[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  protocol?: FakeProtocol;
  script?: ScriptStep[];
  /** Added to (or, with `undefined` values, removed from) the default environment. */
  env?: Record<string, string | undefined>;
  retry?: ModelRetryPolicy;
}

export async function agentHarness(options: HarnessOptions = {}): Promise<AgentHarness> {
  const dir = tempDir('waymark-agent-');
  const llm = await startFakeLlm(options.protocol ?? 'openai', options.script ?? []);
  const dbPath = join(dir.path, 'waymark.db');
  const store = await SqliteStore.open(dbPath);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir.path,
    OPENAI_API_KEY: TEST_OPENAI_KEY,
    OPENAI_BASE_URL: llm.baseURL,
    ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdefghij',
    ANTHROPIC_BASE_URL: llm.baseURL,
    OLLAMA_HOST: llm.url,
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const kinds = defaultKinds();
  register(kinds, createAgentKind({ retry: options.retry ?? FAST_RETRY }));
  // As the CLI does for --db: sandboxed commands must not see this database.
  const engine = new Engine({ store, env, kinds, heartbeatMs: 200, sandbox: sandboxSettings(env, dbPath) });
  const events: RunEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const start = (yaml: string, inputs: Record<string, string> = {}) => engine.startRun({ flowFile: dir.file('flow.yaml', yaml), inputs });
  return {
    dir,
    llm,
    store,
    engine,
    events,
    dbPath,
    start,
    run: async (yaml, inputs) => (await start(yaml, inputs)).done,
    resume: async (runId, restartPhase) => (await engine.resumeRun({ runId, ...(restartPhase ? { restartPhase } : {}) })).done,
    transcript: (runId, phaseId) => store.readTranscript(runId, phaseId, 0, 10_000),
    async close() {
      await engine.shutdown();
      await store.close();
      await llm.close();
      dir.remove();
    },
  };
}
