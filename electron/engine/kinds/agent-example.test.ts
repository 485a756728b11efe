/** examples/agent-research.yaml end to end, against a fake Ollama (its OpenAI-compatible /v1 API). */
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../../testing/agent-harness';
import { callTool, say } from '../../testing/fake-llm-script';

const EXAMPLE = resolve(__dirname, '../../../examples/agent-research.yaml');
let h: AgentHarness;
afterEach(async () => h?.close());

describe('examples/agent-research.yaml', () => {
  it('researches, writes report.md with write_file, and the check phase accepts it', async () => {
    const report = '# the SQLite write-ahead log\n\n## Readers do not block writers\nText.\n\n## Checkpoints\nText.\n';
    h = await agentHarness({
      script: [say('- Readers do not block writers\n- Checkpoints'), callTool('write_file', { path: 'report.md', content: report }), callTool('read_file', { path: 'report.md' }), say('Wrote report.md with 2 sections.')],
    });
    const flowFile = join(h.dir.path, 'agent-research.yaml');
    copyFileSync(EXAMPLE, flowFile);
    const handle = await h.engine.startRun({ flowFile });
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(h.llm.modelRequests.map((r) => (r.body as { model: string }).model)).toEqual(['llama3.2', 'llama3.2', 'llama3.2', 'llama3.2']);
    expect(JSON.stringify(h.llm.modelRequests[1]?.body)).toContain('- Readers do not block writers');
    expect(readFileSync(join(h.dir.path, '.agent-research/report.md'), 'utf8')).toBe(report);
    expect((await h.store.getPhases(outcome.runId)).map((p) => p.output)).toEqual(['- Readers do not block writers\n- Checkpoints', 'Wrote report.md with 2 sections.', 'report.md: 2 sections, 15 words']);
  });
});
