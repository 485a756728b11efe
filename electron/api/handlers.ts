/**
 * The API contract implemented once (STYLE rule 3): one function per channel of
 * `requests`, receiving the already-validated request. No `electron`, no `ws`: the IPC
 * binding, the WebSocket server and the in-memory test pair all mount these through
 * `dispatch`.
 */
import type { Channel, ParsedReq, Res } from '../../shared/api';
import type { Engine } from '../engine/engine';
import type { SettingsHandlers } from '../settings/settings-handlers';
import { listFlows, openFlow, resolveFlowFile, validate } from './flow-handlers';
import { pickFlowFile } from './flow-pick';
import { saveFlow } from './flow-save';
import type { FlowRoot } from './flow-root';
import { cancelRun, previewResume, runDetail, transcriptPage } from './run-handlers';

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
    'runs.list': ({ limit }) => engine.store.listRuns(limit),
    'runs.get': ({ runId }) => runDetail(engine, runId),
    'runs.transcript': (req) => transcriptPage(engine, req),
    // The run goes on in this process whatever happens to the client that started it.
    'runs.start': async ({ flowPath, inputs }) => ({ runId: (await engine.startRun({ flowFile: resolveFlowFile(root, flowPath), inputs })).runId }),
    'runs.resume': async ({ runId, restartPhase }) => ({ runId: (await engine.resumeRun({ runId, ...(restartPhase ? { restartPhase } : {}) })).runId }),
    'runs.previewResume': ({ runId, restartPhase }) => previewResume(engine, { runId, ...(restartPhase ? { restartPhase } : {}) }),
    'runs.cancel': ({ runId }) => cancelRun(engine, runId),
    'flows.list': () => listFlows(root),
    'flows.open': ({ path }) => openFlow(root, path),
    'flows.pick': () => pickFlowFile(root, pickFlow),
    'flows.validate': ({ source, path }) => validate(source, path),
    'flows.save': (req) => saveFlow(root, req),
  };
}
