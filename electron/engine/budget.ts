/**
 * Keeping a run's budget (SPEC §3, docs/costs-and-budgets.md). One tracker per attempt,
 * shared by its parallel phases. What counts is everything the run spent, across all
 * its attempts: the run's stored usage when the attempt began, plus every model step of
 * this attempt as it is recorded (run-execution.ts feeds each `transcript.appended`).
 *
 * An agent phase asks before each model call (`check`), with the call's worst case
 * where it is known (its input at the input price, plus `max_output_tokens` at the
 * output price when the flow sets it; without it output is not capped, so not counted). When the budget is spent, or that call would pass it, the phase stops at
 * that step boundary with `PhaseWaiting`: its transcript is saved, the scheduler records
 * it `waiting`, and a resume with a higher budget continues its conversation.
 */
import type { Budget, BudgetState, Usage } from '../../shared/events';
import { formatBudgetSpent, formatTokenCount, formatUsd } from '../../shared/usage-format';
import { PhaseWaiting } from './phase-kind';

/** A model call's worst case as far as it is known: its input tokens, its output limit, and their price. */
export interface CallEstimate {
  inputTokens: number;
  /** The call's output limit (flow `max_output_tokens`); 0 when none is set (output not counted). */
  maxOutputTokens?: number;
  /** Input at the input price plus the output limit at the output price; null without a price. */
  costUsd: number | null;
}

/** What a phase sees of the run's budget (PhaseContext.budget). */
export interface RunBudget {
  /** Throws PhaseWaiting when the budget is spent, or when `next` would pass it. */
  check(phaseId: string, next?: CallEstimate): void;
}

export interface Spent {
  usd: number;
  tokens: number;
}

export class BudgetTracker implements RunBudget {
  private usd: number;
  private tokens: number;

  constructor(
    readonly limit: Budget,
    before: Spent,
  ) {
    this.usd = before.usd;
    this.tokens = before.tokens;
  }

  /** Adds a recorded model step. A step without a price adds tokens only (a usd budget needs prices: validation). */
  add(usage: Usage): void {
    this.tokens += usage.inputTokens + usage.outputTokens;
    if (typeof usage.costUsd === 'number') this.usd += usage.costUsd;
  }

  state(): BudgetState {
    return { limit: { ...this.limit }, spentUsd: this.usd, spentTokens: this.tokens };
  }

  check(phaseId: string, next?: CallEstimate): void {
    const why = this.reached(next);
    if (why) throw new PhaseWaiting('budget', `phase "${phaseId}" stopped before its next model call: ${why}; raise the budget to continue`);
  }

  /** Why the next call may not be made, or undefined when it may. */
  private reached(next?: CallEstimate): string | undefined {
    const { usd, tokens } = this.limit;
    const spent = formatBudgetSpent(this.state());
    if (usd !== undefined && this.usd >= usd) return `the budget is spent (${spent})`;
    if (tokens !== undefined && this.tokens >= tokens) return `the budget is spent (${spent})`;
    const capped = (next?.maxOutputTokens ?? 0) > 0;
    if (usd !== undefined && next?.costUsd != null && this.usd + next.costUsd > usd) {
      return `the next call would pass the budget (${spent}; ${capped ? 'with its max_output_tokens it may cost' : 'its input alone costs'} about ${formatUsd(next.costUsd)})`;
    }
    const worstTokens = next ? next.inputTokens + (next.maxOutputTokens ?? 0) : 0;
    if (tokens !== undefined && next && this.tokens + worstTokens > tokens) {
      return `the next call would pass the budget (${spent}; ${capped ? 'with its max_output_tokens it may use' : 'its input alone is'} about ${formatTokenCount(worstTokens)} tokens)`;
    }
    return undefined;
  }
}
