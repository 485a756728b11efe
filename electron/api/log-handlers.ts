/** runs.log: a page of one stream of a try's saved log, read from the store. */
import type { ParsedReq } from '../../shared/api';
import type { TryLogPage } from '../../shared/log/phase-log';
import type { Engine } from '../engine/engine';
import { runNotFound } from '../store/rules';

export async function logPage(engine: Engine, req: ParsedReq<'runs.log'>): Promise<TryLogPage | null> {
  if (!(await engine.store.getRun(req.runId))) throw runNotFound(req.runId);
  const range = { maxBytes: req.maxBytes, ...(req.tail ? { tail: true } : {}), ...(req.from ? { from: req.from } : {}) };
  return (await engine.store.readLog(req.runId, req.phaseId, req.attempt, req.stream, range)) ?? null;
}
