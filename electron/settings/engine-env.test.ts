/** The engine reads the stored keys when a run starts or resumes (EngineOptions.env as a function). */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { defaultKinds, register } from '../engine/kinds';
import { FakeSafeStorage } from '../shell/testing/fake-electron';
import { MemoryStore } from '../store/memory-store';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { keyEnvironment } from './key-environment';
import { KeyStore } from './key-store';

let tmp: TempDir;
beforeEach(async () => {
  tmp = tempDir('waymark-engine-env-');
});
afterEach(() => tmp.remove());

describe('engine env provider', () => {
  it('a key saved after a failed run is seen by its resume', async () => {
    const keys = new KeyStore(join(tmp.path, 'keys.json'), new FakeSafeStorage(), 'darwin');
    const kinds = defaultKinds();
    // A phase that needs GROQ_API_KEY, like an openai-compatible provider with api_key_env.
    register(kinds, {
      kind: 'command',
      async execute(ctx) {
        if (!ctx.env.GROQ_API_KEY) throw Object.assign(new Error('GROQ_API_KEY is not set'), { code: 'PROVIDER_CONFIG' });
        return { output: `key of ${ctx.env.GROQ_API_KEY.length} characters` };
      },
    });
    const engine = new Engine({ store: new MemoryStore(), kinds, env: keyEnvironment(keys, { PATH: process.env.PATH }) });
    const flow = tmp.file('flow.yaml', 'name: needs-key\nphases:\n  - id: call\n    kind: command\n    run: "true"\n');
    const first = await (await engine.startRun({ flowFile: flow })).done;
    expect(first).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_CONFIG' } });
    keys.set('GROQ_API_KEY', 'gsk-0123456789');
    const second = await (await engine.resumeRun({ runId: first.runId })).done;
    expect(second.status).toBe('succeeded');
    expect((await engine.store.getPhaseResults(first.runId)).get('call')).toMatchObject({ output: 'key of 14 characters' });
  });
});
