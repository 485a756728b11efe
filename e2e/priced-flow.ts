/**
 * The priced agent flow of the spending specs (budget.spec.ts, spend-screenshots.spec.ts):
 * `outline`, then `write` (which writes notes.md), against a fake OpenAI-protocol server,
 * at $10 per million input tokens and $400 per million output tokens, under a $0.03 budget.
 */
import type { ReplyScript } from '../electron/testing/fake-llm-script';

export function pricedNotesFlow(baseURL: string, options: { name: string; description?: string; check?: boolean }): string {
  const description = options.description ? `description: ${options.description}\n` : '';
  const check = options.check ? `  - id: check\n    kind: command\n    depends_on: [write]\n    run: wc -l notes.md\n` : '';
  return `name: ${options.name}
${description}providers:
  fake: { type: openai-compatible, base_url: "${baseURL}" }
defaults:
  model: fake:test-model
prices:
  "fake:test-model": { input: 10, output: 400 }
budget: { usd: 0.03 }
phases:
  - id: outline
    kind: agent
    prompt: "Outline notes about SQLite WAL."
  - id: write
    kind: agent
    depends_on: [outline]
    prompt: "Write notes.md from: {{phases.outline.output}}"
    tools: [write_file]
${check}`;
}

/** `write`'s first model step: it writes notes.md (200 in · 30 out: $0.014). */
export const writeNotesReply: ReplyScript = {
  type: 'reply',
  toolCalls: [{ id: 'call_1', name: 'write_file', args: { path: 'notes.md', content: '# WAL\n- readers and a writer at once\n' } }],
  usage: { input: 200, output: 30 },
};
