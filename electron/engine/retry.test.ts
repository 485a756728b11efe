import { afterEach, describe, expect, it } from 'vitest';
import type { PhaseFinishedEvent } from '../../shared/events';
import { agentHarness, type AgentHarness } from '../testing/agent-harness';
import { isPhaseRetryable } from './retry';

let h: AgentHarness;
afterEach(async () => h?.close());

const finished = (phaseId: string): PhaseFinishedEvent[] => h.events.flatMap((e) => (e.type === 'phase.finished' && e.phaseId === phaseId ? [e] : []));
const starts = (phaseId: string) => h.events.filter((e) => e.type === 'phase.started' && e.phaseId === phaseId).length;

describe('phase retry', () => {
  it('retries only failures that another try may fix', async () => {
    for (const code of ['PROVIDER_CONFIG', 'FLOW_INVALID', 'FLOW_NOT_FOUND', 'FLOW_CHANGED', 'STEP_BUDGET_EXHAUSTED', 'INPUT_MISSING', 'MODEL_OUTPUT_TRUNCATED', 'SANDBOX_UNAVAILABLE', 'CANCELLED'] as const) {
      expect(isPhaseRetryable({ code }), code).toBe(false);
    }
    for (const code of ['COMMAND_FAILED', 'PHASE_TIMEOUT', 'PROVIDER_TRANSIENT', 'PROVIDER_ERROR', 'TOOL_FAILED', 'PHASE_FAILED'] as const) {
      expect(isPhaseRetryable({ code }), code).toBe(true);
    }
  });

  it('tries a phase failing with PROVIDER_CONFIG once, and still retries a failing command', async () => {
    h = await agentHarness({ env: { OPENAI_API_KEY: undefined } });
    const agent = await h.run(`
phases:
  - { id: ask, kind: agent, model: "openai:gpt-test", prompt: hi, retry: { attempts: 3, delay: 10ms } }
`);
    expect(agent.error).toMatchObject({ code: 'PROVIDER_CONFIG', message: expect.stringContaining('OPENAI_API_KEY is not set') });
    expect((await h.store.getPhases(agent.runId))[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(starts('ask')).toBe(1);
    expect(finished('ask').map((e) => e.retryInMs)).toEqual([undefined]);

    const command = await h.run(`
phases:
  - { id: flaky, kind: command, run: "exit 1", retry: { attempts: 3, delay: 10ms } }
`);
    expect(command.error?.code).toBe('COMMAND_FAILED');
    expect((await h.store.getPhases(command.runId))[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(finished('flaky').map((e) => e.retryInMs)).toEqual([10, 20, undefined]);
  });
});
