/**
 * The API contract implemented once (STYLE rule 3): one function per channel of
 * `requests`, receiving the already-validated request. No `electron`, no `ws`: the IPC
 * binding, the WebSocket server and the in-memory test pair all mount these through
 * `dispatch`.
 */
import type { Channel, ParsedReq, Res } from '../../shared/api';
import { pageOf } from '../../shared/runs-page';
import type { Engine } from '../engine/engine';
import type { SettingsHandlers } from '../settings/settings-handlers';
import { listFlows, openFlow, resolveFlowFile, validate } from './flow-handlers';
import { pickFlowFile } from './flow-pick';
import { saveFlow } from './flow-save';
import type { FlowRoot } from './flow-root';
import { logPage } from './log-handlers';
import { cancelRun, phaseTries, previewRerun, previewResume, runDetail, transcriptPage } from './run-handlers';

export type Handlers = { [C in Channel]: (req: ParsedReq<C>) => Res<C> | Promise<Res<C>> };

export interface HandlerDeps {
  engine: Engine;
  /** Where flow paths are resolved; every path outside it is refused. */
  root: FlowRoot;
  /** settings.*: the desktop app's key store, or serve mode's read-only environment view. */
  settings: SettingsHandlers;
  /** The desktop app's OS file dialog: an absolute path, or null when cancelled. Absent in serve mode. */
  pickFlow?: () => Promise<string | null>;
}

export function createHandlers({ engine, root, settings, pickFlow }: HandlerDeps): Handlers {
  return {
    ...settings,
    // One run more than the page tells whether another page follows.
    'runs.list': async ({ limit, status, before }) => pageOf(await engine.store.listRuns(limit + 1, status, before), limit),
    'runs.get': ({ runId }) => runDetail(engine, runId),
    'runs.transcript': (req) => transcriptPage(engine, req),
    'runs.log': (req) => logPage(engine, req),
    // The run goes on in this process whatever happens to the client that started it.
    'runs.start': async ({ flowPath, inputs }) => ({ runId: (await engine.startRun({ flowFile: resolveFlowFile(root, flowPath), inputs })).runId }),
    'runs.resume': async ({ runId, restartPhase, budgetUsd }) =>
      ({ runId: (await engine.resumeRun({ runId, ...(restartPhase ? { restartPhase } : {}), ...(budgetUsd !== undefined ? { budgetUsd } : {}) })).runId }),
    'runs.previewResume': ({ runId, restartPhase }) => previewResume(engine, { runId, ...(restartPhase ? { restartPhase } : {}) }),
    'runs.tries': ({ runId, phaseId }) => phaseTries(engine, runId, phaseId),
    'runs.previewRerun': (req) => previewRerun(engine, req),
    // A new run, executed in this process like runs.start.
    'runs.rerun': async (req) => ({ runId: (await engine.rerunRun(req)).runId }),
    'runs.cancel': ({ runId }) => cancelRun(engine, runId),
    // Durable before the run goes on; a waiting run continues in this process (decisions.ts).
    'runs.approve': async ({ runId, phaseId, comment }) => ({ runId: (await engine.decide({ runId, phaseId, decision: 'approved', comment: comment ?? '' })).runId }),
    'runs.reject': async ({ runId, phaseId, reason }) => ({ runId: (await engine.decide({ runId, phaseId, decision: 'rejected', comment: reason })).runId }),
    'flows.list': () => listFlows(root),
    'flows.open': ({ path }) => openFlow(root, path),
    'flows.pick': () => pickFlowFile(root, pickFlow),
    'flows.validate': ({ source, path }) => validate(source, path),
    'flows.save': (req) => saveFlow(root, req),
  };
}
