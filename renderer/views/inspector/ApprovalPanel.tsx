/**
 * The reviewer's side of an approval phase that waits (SPEC §2, §5): the rendered prompt
 * to read, a comment box, and Approve / Reject. The comment is optional for an approval
 * (it becomes the phase's output) and required for a rejection (its reason). Keyboard:
 * every control is labelled, Ctrl/Cmd+Enter in the comment approves, and focus goes to
 * the comment box when the panel opens (unless the user is typing elsewhere), back to it
 * on a problem, and to the outcome once the decision is recorded. A refused decision (someone else decided first) shows the
 * server's message.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { PhaseRecord } from '../../../shared/records';
import { MAX_DECISION_TEXT } from '../../../shared/records';
import { useCommands } from '../../app/commands-context';
import { messageOf } from '../../state/commands';
import { formatClock } from '../../util/format';
import { ApprovalPrompt } from './ApprovalPrompt';

type Pending = 'approve' | 'reject' | null;

export function ApprovalPanel({ runId, phase }: { runId: string; phase: PhaseRecord }) {
  const commands = useCommands();
  const id = useId();
  const [text, setText] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<'approved' | 'rejected' | null>(null);
  const comment = useRef<HTMLTextAreaElement>(null);
  const outcome = useRef<HTMLParagraphElement>(null);

  // Opened to decide: the comment box takes the focus, unless the user is typing elsewhere
  // (the phase began to wait while its inspector was open).
  useEffect(() => {
    if (!isTyping(document.activeElement)) comment.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    if (done) outcome.current?.focus();
  }, [done]);

  const waiting = phase.waiting?.reason === 'approval' ? phase.waiting : null;
  // Once decided here, the outcome stays (with the focus on it) while the run goes on.
  if (!waiting && !done) return null;

  const decide = async (approve: boolean) => {
    if (pending) return;
    if (!approve && text.trim() === '') {
      setProblem('A rejection needs a reason: say what must change.');
      comment.current?.focus();
      return;
    }
    setPending(approve ? 'approve' : 'reject');
    setProblem(null);
    try {
      await commands.decide(runId, phase.phaseId, approve ? { approve: true, comment: text } : { approve: false, reason: text });
      setDone(approve ? 'approved' : 'rejected');
    } catch (err) {
      setProblem(`Could not ${approve ? 'approve' : 'reject'}: ${messageOf(err)}`);
      comment.current?.focus();
    } finally {
      setPending(null);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void decide(true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void decide(true);
    }
  };

  return (
    <section className="inspector-section approval-panel" aria-labelledby={`${id}-title`} data-testid="approval-panel">
      <h3 id={`${id}-title`}>
        {done ? 'Your decision' : 'Waiting for your decision'}
        {waiting && <span className="muted approval-since">since {formatClock(waiting.since)}</span>}
      </h3>
      {waiting && <ApprovalPrompt text={waiting.prompt ?? ''} />}
      {done ? (
        <p className="approval-outcome" ref={outcome} tabIndex={-1} role="status" data-testid="approval-outcome">
          {done === 'approved' ? '✓ Approved: the run goes on.' : '✕ Rejected: the phase fails with your reason. Resuming the run asks again.'}
        </p>
      ) : (
        <form className="approval-form" onSubmit={onSubmit} aria-busy={pending !== null}>
          <label htmlFor={`${id}-comment`}>Comment</label>
          <textarea
            id={`${id}-comment`}
            ref={comment}
            rows={3}
            maxLength={MAX_DECISION_TEXT}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (problem) setProblem(null);
            }}
            onKeyDown={onKeyDown}
            placeholder="Optional when approving (later phases read it); required to reject"
            aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
            aria-invalid={problem !== null}
            data-testid="approval-comment"
          />
          <p id={`${id}-hint`} className="muted approval-hint">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> approves. A rejection fails the phase with your comment as the reason.
          </p>
          {problem && (
            <p id={`${id}-problem`} className="inline-error" role="alert" data-testid="approval-problem">
              {problem}
            </p>
          )}
          <div className="approval-actions">
            <button type="submit" className="button primary" disabled={pending !== null} data-testid="approve">
              {pending === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" className="button danger" disabled={pending !== null} onClick={() => void decide(false)} data-testid="reject">
              {pending === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function isTyping(element: Element | null): boolean {
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || (element instanceof HTMLElement && element.isContentEditable);
}
