/**
 * The built preload (what Electron actually loads): one small CommonJS file that needs
 * nothing but `electron`, and exposes `window.waymark` and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api';
import { tempDir, type TempDir } from '../testing/temp-dir';

let tmp: TempDir;
let bundle: string;

beforeAll(async () => {
  tmp = tempDir('waymark-preload-');
  const script = pathToFileURL(resolve('scripts/build-electron.mjs')).href;
  const { buildElectron } = (await import(script)) as { buildElectron(o: object): Promise<{ preload: string }> };
  bundle = (await buildElectron({ outDir: tmp.path, only: 'preload', sourcemap: false })).preload;
});
afterAll(() => tmp.remove());

describe('preload bundle', () => {
  it('is small and carries neither zod nor the request schemas', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text.length).toBeLessThan(8_000);
    expect(text).not.toMatch(/zod|safeParse/);
    expect(bundle).toBe(join(tmp.path, 'preload.cjs'));
  });

  it('requires only electron, and exposes window.waymark with one method per channel, answering envelopes', async () => {
    const exposed: { key: string; api: Record<string, unknown> }[] = [];
    const required: string[] = [];
    const refusal = { ok: false, error: { code: 'RUN_NOT_FOUND', message: 'no run abc123' } };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) },
      ipcRenderer: { invoke: async () => refusal, on: () => {}, removeListener: () => {} },
    };
    const module = { exports: {} };
    const fakeRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    new Function('module', 'exports', 'require', readFileSync(bundle, 'utf8'))(module, module.exports, fakeRequire);
    expect(required).toEqual(['electron']);
    expect(exposed.map((e) => e.key)).toEqual(['waymark']);
    const api = exposed[0]?.api ?? {};
    expect(Object.keys(api).sort()).toEqual([...CHANNELS, 'onEvent'].sort());
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(api)).not.toContain(electron.ipcRenderer.invoke);
    expect(await (api['runs.get'] as (req: unknown) => Promise<unknown>)({ runId: 'abc123' })).toEqual(refusal);
  });
});
