/**
 * Appends an agent phase's transcript: one durable `transcript.appended` fact per entry
 * (system and user are committed together), indexes continuing where the saved
 * transcript ends. Entry contents are AI SDK ModelMessages, so a saved conversation can
 * seed the next request as is; `notice` entries (retries, failures, continuations) are
 * for people and are never sent to the model.
 */
import type { ModelMessage } from 'ai';
import type { ErrorCode } from '../../../shared/errors';
import type { TranscriptRole, Usage } from '../../../shared/events';
import type { PhaseContext } from '../phase-kind';

/** `budget`: the phase stopped before a model call because the run's budget is spent (a resume continues it). */
export type NoticeKind = 'retry' | 'failed' | 'continued' | 'restarted' | 'budget';

/** The content of a `notice` entry. */
export interface NoticeContent {
  kind: NoticeKind;
  message: string;
  /** For `failed`: the error code the phase failed with. */
  code?: ErrorCode;
}

/** Each method resolves once its entries are durable: await it before the next model call or tool run. */
export class TranscriptWriter {
  private next: number;

  constructor(private readonly ctx: Pick<PhaseContext, 'phase' | 'record' | 'transcript'>) {
    this.next = ctx.transcript.nextIndex;
  }

  message(message: ModelMessage, usage?: Usage): Promise<void> {
    return this.append([{ role: message.role, content: message, ...(usage ? { usage } : {}) }]);
  }

  /** Several messages in one commit (the system prompt and the user prompt). */
  messages(messages: ModelMessage[]): Promise<void> {
    return this.append(messages.map((m) => ({ role: m.role, content: m })));
  }

  notice(kind: NoticeKind, message: string, code?: ErrorCode): Promise<void> {
    const content: NoticeContent = { kind, message, ...(code ? { code } : {}) };
    return this.append([{ role: 'notice', content }]);
  }

  /**
   * A `failed` notice after the model response that caused it, in one commit: such a
   * response saved alone (a cut-off answer) would read as a final answer on resume.
   */
  failedAfter(response: ModelMessage, usage: Usage, message: string, code: ErrorCode): Promise<void> {
    const notice: NoticeContent = { kind: 'failed', message, code };
    return this.append([
      { role: response.role, content: response, usage },
      { role: 'notice', content: notice },
    ]);
  }

  /** Resolves once the entries are durable (or, if the store is failing, queued for retry). */
  private append(entries: { role: TranscriptRole; content: unknown; usage?: Usage }[]): Promise<void> {
    return this.ctx.record(entries.map((e) => ({ type: 'transcript.appended', phaseId: this.ctx.phase.id, index: this.next++, ...e })));
  }
}
