/**
 * Test support for the API and transport tests: a temporary flow folder with example
 * flows, a real Engine on a temporary SQLite database, and an ApiServer over them.
 * A fake `agent` kind writes transcript steps, so paging can be tested without a model.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiError, type ApiEvent, type WaymarkApi } from '../../shared/api';
import { Engine } from '../engine/engine';
import { defaultKinds, register } from '../engine/kinds';
import { environmentSettingsHandlers } from '../settings/settings-handlers';
import { SqliteStore } from '../store/sqlite-store';
import { createApiServer, type ApiServer } from './api-server';
import { createFlowRoot } from './flow-root';

export const FLOWS: Record<string, string> = {
  'hello.yaml': `name: hello
inputs:
  name: { default: world }
phases:
  - id: greet
    kind: command
    run: echo Hello, {{inputs.name}}!
  - id: shout
    kind: command
    depends_on: [greet]
    run: echo {{phases.greet.output}} | tr a-z A-Z
`,
  // Fails at `build` the first time, passes afterwards (the marker file is the "fix").
  'fails.yaml': `name: fails
phases:
  - id: fetch
    kind: command
    run: echo fetched
  - id: build
    kind: command
    depends_on: [fetch]
    run: if [ -f fixed.marker ]; then echo built; else touch fixed.marker; echo broken >&2; exit 1; fi
  - id: ship
    kind: command
    depends_on: [build]
    run: echo shipped {{phases.build.output}}
`,
  'slow.yaml': `name: slow
phases:
  - id: nap
    kind: command
    run: sleep 30
`,
  'chat.yaml': `name: chat
providers:
  fake: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
phases:
  - id: talk
    kind: agent
    model: fake:m
    prompt: say seven things
`,
  'broken.yaml': `name: broken
phases:
  - id: a
    kind: command
    depends_on: [nope]
    run: echo a
`,
  'nested/deeper/other.yml': `name: other-flow
phases:
  - id: x
    kind: command
    run: echo x
`,
  'node_modules/pkg/skipped.yaml': 'name: skipped\nphases: []\n',
  '.hidden/skipped.yaml': 'name: skipped\nphases: []\n',
  'notes.txt': 'not a flow',
};

/** How many transcript steps the fake agent writes. */
export const FAKE_AGENT_STEPS = 7;

export interface ApiFixture {
  dir: string;
  root: string;
  dbPath: string;
  engine: Engine;
  store: SqliteStore;
  server: ApiServer;
  cleanup(): Promise<void>;
}

export async function createApiFixture(options: { pollMs?: number } = {}): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-api-'));
  const root = join(dir, 'flows');
  for (const [path, text] of Object.entries(FLOWS)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(dir, 'secret.yaml'), 'name: secret\nphases: []\n');
  symlinkSync(join(dir, 'secret.yaml'), join(root, 'escape.yaml'));
  symlinkSync(dir, join(root, 'escape-dir'));
  const dbPath = join(dir, 'waymark.db');
  const store = await SqliteStore.open(dbPath);
  const engine = new Engine({ store, kinds: fakeKinds() });
  const server = await createApiServer({ engine, root: createFlowRoot(root), settings: environmentSettingsHandlers({}), pollMs: options.pollMs ?? 50 });
  return {
    dir,
    root,
    dbPath,
    engine,
    store,
    server,
    async cleanup() {
      await server.close();
      await engine.shutdown();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The default kinds plus a fake `agent` that records FAKE_AGENT_STEPS transcript steps. */
export function fakeKinds() {
  const kinds = defaultKinds();
  register(kinds, {
    kind: 'agent',
    async execute(ctx) {
      const start = ctx.transcript.nextIndex;
      for (let i = 0; i < FAKE_AGENT_STEPS; i++) {
        await ctx.record([{ type: 'transcript.appended', phaseId: ctx.phase.id, index: start + i, role: 'assistant', content: { text: `step ${i}` }, usage: { inputTokens: 1, outputTokens: 2 } }]);
      }
      return { output: 'said seven things' };
    },
  });
  return kinds;
}

/** Records every event from subscription on; `until` waits for a matching one (already seen or future). */
export function recordEvents(api: Pick<WaymarkApi, 'onEvent'>) {
  const events: ApiEvent[] = [];
  const waiters = new Set<{ match: (e: ApiEvent) => boolean; resolve: (e: ApiEvent) => void }>();
  const dispose = api.onEvent((event) => {
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.delete(w);
        w.resolve(event);
      }
    }
  });
  return {
    events,
    dispose,
    until<E extends ApiEvent>(match: (e: ApiEvent) => e is E, timeoutMs = 20_000): Promise<E> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen as E);
      return new Promise<E>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; saw: ${events.map((e) => e.type).join(', ')}`)), timeoutMs);
        waiters.add({ match, resolve: (e) => (clearTimeout(timer), resolve(e as E)) });
      });
    },
  };
}

/** Matches the `run.finished` event of one run. */
export const finished = (runId: string) => (e: ApiEvent): e is Extract<ApiEvent, { type: 'run.finished' }> => e.type === 'run.finished' && e.runId === runId;

/** The error a request was refused with; throws when it was not refused with an ApiError. */
export async function refusal(request: Promise<unknown>): Promise<ApiError> {
  const outcome = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof ApiError)) throw new Error(`expected the request to be refused with an ApiError, got ${outcome === undefined ? 'a success' : String(outcome)}`);
  return outcome;
}

/** Starts `flowPath` through the API and waits for the run's end: its id, the `run.finished` event and the run's events. */
export async function runToEnd(api: WaymarkApi, flowPath: string, inputs: Record<string, string> = {}) {
  const rec = recordEvents(api);
  try {
    const { runId } = await api['runs.start']({ flowPath, inputs });
    const end = await rec.until(finished(runId));
    return { runId, end, events: rec.events.filter((e) => 'runId' in e && e.runId === runId) };
  } finally {
    rec.dispose();
  }
}
