/* global window */
/**
 * A fake preload bridge (WaymarkBridge) for the UI benchmark, installed as `window.waymark` before the app
 * loads (page.addInitScript), so the renderer runs exactly as with a real host but no
 * server is needed. Config comes from `window.__benchConfig` ({ phases }).
 *
 * The run is a 500-phase DAG: stages of 10 phases, each depending on one or two phases
 * of the stage before. `window.__bench.stream(eventsPerSecond, seconds)` then pushes a
 * realistic mix of events (phase.started, phase.delta text, transcript.appended with
 * usage, phase.finished), several phases running at once, at the given rate.
 */
(() => {
  const config = window.__benchConfig ?? { phases: 500 };
  const RUN_ID = 'benchrun500';
  const WIDTH = 10;
  const now = Date.now();
  const ids = Array.from({ length: config.phases }, (_, i) => `phase-${String(i).padStart(3, '0')}`);
  const dependsOn = (i) => {
    if (i < WIDTH) return [];
    const stage = Math.floor(i / WIDTH) - 1;
    const a = stage * WIDTH + (i % WIDTH);
    const b = stage * WIDTH + ((i * 7 + 3) % WIDTH);
    return a === b ? [ids[a]] : [ids[a], ids[b]];
  };
  const usage = () => ({ inputTokens: 0, outputTokens: 0 });
  const phases = ids.map((id, position) => ({
    runId: RUN_ID, phaseId: id, position, kind: position % 3 === 0 ? 'command' : 'agent', dependsOn: dependsOn(position), defHash: `h${position}`,
    status: 'pending', attempts: 0, error: null, startedAt: null, finishedAt: null, exitCode: null, output: null, stdoutTail: null, stderrTail: null, usage: usage(),
  }));
  const run = {
    id: RUN_ID, flowName: `bench-${config.phases}`, flowFile: null, status: 'running', inputs: {}, error: null, createdAt: now, updatedAt: now,
    finishedAt: null, attempt: 1, lastSeq: 1, owner: null, usage: usage(),
  };
  const listeners = new Set();
  let seq = 1;
  const emit = (event) => listeners.forEach((l) => l(event));
  const persisted = (fact) => emit({ ...fact, runId: RUN_ID, seq: ++seq, at: Date.now() });

  /** The event script: per phase, started → 7 text deltas → transcript entry → finished; 8 phases interleaved. */
  function* script() {
    const LANES = 8;
    for (let base = 0; base < ids.length; base += LANES) {
      const lane = ids.slice(base, base + LANES);
      for (const id of lane) yield () => persisted({ type: 'phase.started', phaseId: id, attempt: 1, runAttempt: 1, defHash: 'h' });
      for (let k = 0; k < 7; k++) for (const id of lane) yield () => emit({ type: 'phase.delta', runId: RUN_ID, phaseId: id, text: `token ${k} of ${id}. ` });
      for (const [n, id] of lane.entries()) yield () => persisted({ type: 'transcript.appended', phaseId: id, index: n, role: 'assistant', usage: { inputTokens: 300, outputTokens: 40 }, content: { role: 'assistant', content: `done ${id}` } });
      for (const id of lane) yield () => persisted({ type: 'phase.finished', phaseId: id, attempt: 1, status: 'succeeded', durationMs: 1000, output: `output of ${id}` });
    }
  }

  const answers = {
    'runs.list': () => ({ runs: [run], next: null }),
    'runs.get': () => ({ run, phases, attempts: [], lastSeq: 1, frontier: [], live: true }),
    'runs.transcript': () => ({ entries: [], nextIndex: null }),
    'runs.log': () => null,
    'runs.previewResume': () => ({ reused: [], frontier: [], rerun: [] }),
    'flows.list': () => [],
  };
  const api = { onEvent: (l) => (listeners.add(l), () => listeners.delete(l)) };
  for (const channel of ['runs.list', 'runs.get', 'runs.transcript', 'runs.log', 'runs.start', 'runs.resume', 'runs.previewResume', 'runs.cancel', 'flows.list', 'flows.open', 'flows.validate', 'flows.save', 'settings.get', 'settings.setKey', 'settings.clearKey']) {
    // Like the preload's bridge: each channel answers the ApiResult envelope.
    api[channel] = async () => {
      const answer = answers[channel];
      if (!answer) return { ok: false, error: { code: 'INTERNAL', message: `${channel} is not part of the benchmark` } };
      return { ok: true, value: structuredClone(answer()) };
    };
  }
  window.waymark = api;

  window.__bench = {
    runId: RUN_ID,
    /** Streams the script at `rate` events per second for `seconds`; resolves with how many were sent. */
    stream(rate, seconds) {
      const steps = script();
      const start = performance.now();
      let sent = 0;
      return new Promise((resolve) => {
        const tick = () => {
          const elapsed = performance.now() - start;
          const due = Math.min(Math.floor((elapsed / 1000) * rate), rate * seconds);
          while (sent < due) {
            const step = steps.next();
            if (step.done) return resolve(sent);
            step.value();
            sent += 1;
          }
          if (elapsed >= seconds * 1000) return resolve(sent);
          setTimeout(tick, 4);
        };
        tick();
      });
    },
  };
})();
