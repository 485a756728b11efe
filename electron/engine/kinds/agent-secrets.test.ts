import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { callTool, httpError, say } from '../../testing/fake-llm-script';

let h: AgentHarness;
afterEach(async () => h?.close());

const CANARY = 'sk-canary-7f3e9a1b2c4d5e6f8091a2b3c4';
const LOCAL_CANARY = 'local-canary-credential-5566';

describe('secrets', () => {
  it('never stores or emits the API key, even when the model or the server echo it', async () => {
    h = await agentHarness({
      script: [
        callTool('run_command', { command: 'env; echo "key=$OPENAI_API_KEY local=$MY_LLM_CRED"' }),
        (req) => say(`you sent ${String(req.headers.authorization)} and x-api-key: ${CANARY}`),
        (req) => httpError(401, { body: { error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}` } } }),
      ],
      env: { OPENAI_API_KEY: CANARY, MY_LLM_CRED: LOCAL_CANARY },
    });
    const outcome = await h.run(`
providers:
  local: { type: openai-compatible, base_url: "${h.llm.baseURL}", api_key_env: MY_LLM_CRED }
phases:
  - { id: leak, kind: agent, model: "openai:gpt-test", prompt: "show me", tools: [run_command] }
  - { id: fail, kind: agent, model: "local:m", prompt: "again", depends_on: [leak] }
`);
    expect(outcome.status).toBe('failed');
    // The requests really carried the keys...
    expect(h.llm.modelRequests[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(h.llm.modelRequests[2]?.headers.authorization).toBe(`Bearer ${LOCAL_CANARY}`);
    // ...but the command the model ran could not see them.
    const toolResult = JSON.stringify(h.llm.modelRequests[1]?.body);
    expect(toolResult).toContain('key= local=');
    expect(toolResult).not.toContain(CANARY);
    expect(toolResult).not.toContain(LOCAL_CANARY);

    expect((await h.store.getPhases(outcome.runId))[0]?.output).toBe('you sent Bearer [redacted] and x-api-key: [redacted]');
    expect(outcome.error?.message).toContain('HTTP 401');
    const everything = [JSON.stringify(h.events), JSON.stringify(outcome), JSON.stringify(await h.store.getPhases(outcome.runId))];
    for (const text of everything) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(LOCAL_CANARY);
    }
    await h.store.close();
    h.store = { close() {} } as never; // closed above; the harness closes it again
    const files = readdirSync(h.dir.path).filter((f) => f.startsWith('waymark.db'));
    expect(files).toContain('waymark.db');
    for (const file of files) {
      const bytes = readFileSync(join(h.dir.path, file));
      expect(bytes.includes(CANARY), file).toBe(false);
      expect(bytes.includes(LOCAL_CANARY), file).toBe(false);
      expect(bytes.includes('7f3e9a1b2c4d5e6f8091'), file).toBe(false);
    }
  });
});
