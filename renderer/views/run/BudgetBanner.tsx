/**
 * A run that stopped at its budget (SPEC §3): what it spent against what, and "Raise
 * budget and resume" with a higher USD limit (prefilled with a readable raise, checked
 * before it is sent), which continues the saved conversations (`runs.resume` with
 * `budgetUsd`). A spent token limit is raised in the flow file, then resumed.
 */
import { useId, useState, type FormEvent } from 'react';
import type { BudgetState } from '../../../shared/events';
import { formatBudgetSpent, formatTokenCount } from '../../../shared/usage-format';
import { useCommands } from '../../app/commands-context';
import { messageOf } from '../../state/commands';
import { useWaymark } from '../../state/store';
import { parseBudgetRaise, suggestedRaise } from './budget-raise';

export function BudgetBanner() {
  const runId = useWaymark((s) => s.view?.runId);
  const budget = useWaymark((s) => (s.view?.run.status === 'waiting' ? (s.view.run.waitingFor?.budget ?? null) : null));
  if (!runId || !budget) return null;
  // A fresh form for each stop: the suggestion follows what was spent.
  return <BudgetStop key={`${runId}:${budget.spentUsd}:${budget.spentTokens}`} runId={runId} state={budget} />;
}

function BudgetStop({ runId, state }: { runId: string; state: BudgetState }) {
  const commands = useCommands();
  const id = useId();
  const spent = formatBudgetSpent(state);
  const tokensSpent = state.limit.tokens !== undefined && state.spentTokens >= state.limit.tokens;
  const byUsd = state.limit.usd !== undefined && !tokensSpent;
  return (
    <section className="budget-banner" role="region" aria-labelledby={`${id}-title`} data-testid="budget-banner">
      <span className="budget-banner-mark" aria-hidden="true">
        $
      </span>
      <div className="budget-banner-body">
        <h2 id={`${id}-title`}>Budget reached</h2>
        <p data-testid="budget-spent">
          This run {spent}. Its agent phases stopped between steps with their conversations saved; raising the budget continues them
          where they stopped.
        </p>
        {byUsd ? (
          <RaiseForm runId={runId} state={state} onRaise={(usd) => commands.raiseBudget(runId, usd)} />
        ) : (
          <p className="budget-tokens-note">
            The token limit ({formatTokenCount(state.limit.tokens ?? 0)} tokens) is spent: raise <code>budget.tokens</code> in the flow file, then{' '}
            <button type="button" className="button small primary" onClick={() => void commands.resumeRun(runId)} data-testid="budget-resume">
              Resume
            </button>
          </p>
        )}
      </div>
    </section>
  );
}

function RaiseForm({ runId, state, onRaise }: { runId: string; state: BudgetState; onRaise: (usd: number) => Promise<void> }) {
  const id = useId();
  const [value, setValue] = useState(() => suggestedRaise(state));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseBudgetRaise(value, state);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onRaise(parsed.usd);
    } catch (err) {
      setProblem(`Could not resume run ${runId}: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="budget-raise" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${id}-usd`}>New budget</label>
      <span className="budget-input">
        <span aria-hidden="true">$</span>
        <input
          id={`${id}-usd`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            if (problem) setProblem(null);
          }}
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-problem` : undefined}
          data-testid="budget-input"
        />
      </span>
      <button type="submit" className="button primary" disabled={busy} data-testid="budget-raise">
        {busy ? 'Resuming…' : 'Raise budget and resume'}
      </button>
      {problem && (
        <p id={`${id}-problem`} className="inline-error budget-problem" role="alert" data-testid="budget-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
