/**
 * Start-up pays only for what a command uses (ARCHITECTURE.md, "Build and start-up"):
 * in the built command line, what a command loads before it runs — the chunks it
 * imports dynamically at the point of use and everything those import statically —
 * leaves out the packages only other commands or phase kinds need. Read from esbuild's
 * metafile of the real bundle (scripts/build-electron.mjs), so a new static import of
 * `ai`, `ws` or `pg` on a hot path fails here.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Output {
  entryPoint?: string;
  imports: { path: string; kind: string; external?: boolean }[];
  inputs: Record<string, unknown>;
}
let outputs: Record<string, Output>;

beforeAll(async () => {
  const script = pathToFileURL(resolve('scripts/build-electron.mjs')).href;
  const { bundleMetafile } = (await import(script)) as { bundleMetafile(name: string): Promise<{ outputs: Record<string, Output> }> };
  outputs = (await bundleMetafile('cli')).outputs;
});

/** Source modules and external packages loaded once these entry modules are loaded. */
function loadedWith(...entries: string[]): { modules: string[]; externals: string[] } {
  const queue = entries.map((entry) => {
    const found = Object.keys(outputs).find((path) => outputs[path]?.entryPoint === entry);
    if (!found) throw new Error(`no chunk for ${entry}`);
    return found;
  });
  const seen = new Set<string>();
  const externals = new Set<string>();
  while (queue.length > 0) {
    const path = queue.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imp of outputs[path]?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) externals.add(imp.path);
      else queue.push(imp.path);
    }
  }
  return { modules: [...seen].flatMap((path) => Object.keys(outputs[path]?.inputs ?? {})), externals: [...externals] };
}

const MAIN = 'electron/cli/main.ts';
// @pydantic/genai-prices: the price catalogue (~800 kB), loaded only to price a step or check a budget.
const HEAVY = /node_modules\/(ai|@ai-sdk\/[^/]+|ws|pg|pg-[^/]+|elkjs|@pydantic\/genai-prices)\//;
const heavy = (modules: string[]) => [...new Set(modules.filter((m) => HEAVY.test(m)).map((m) => HEAVY.exec(m)?.[1]))];

describe('what each command loads before it runs', () => {
  it('validate: the flow loader, no engine, store, model SDK, web server or database driver', () => {
    const { modules, externals } = loadedWith(MAIN, 'electron/cli/validate-command.ts');
    expect(modules).toContain('shared/flow/load.ts');
    expect(modules).not.toContain('electron/engine/engine.ts');
    expect(modules).not.toContain('electron/store/sqlite-store.ts');
    expect(heavy(modules)).toEqual([]);
    expect(externals).not.toContain('better-sqlite3');
  });

  it('run and resume: the engine and SQLite, without the model SDK, ws or pg', () => {
    const { modules, externals } = loadedWith(MAIN, 'electron/cli/run-command.ts', 'electron/engine/engine.ts', 'electron/store/open-store.ts');
    expect(modules).toContain('electron/engine/kinds/command.ts');
    expect(modules).toContain('electron/store/sqlite-store.ts');
    expect(externals).toContain('better-sqlite3');
    expect(heavy(modules)).toEqual([]);
  });

  it('runs and show: SQLite and reaping, without the engine, the flow loader, the model SDK, ws or pg', () => {
    const { modules, externals } = loadedWith(MAIN, 'electron/cli/show-command.ts', 'electron/store/open-store.ts', 'electron/engine/reap.ts');
    expect(modules).toContain('electron/store/sqlite-store.ts');
    expect(modules).toContain('electron/engine/phase-processes.ts');
    expect(modules).not.toContain('electron/engine/engine.ts');
    expect(modules).not.toContain('shared/flow/load.ts');
    expect(externals).toContain('better-sqlite3');
    expect(heavy(modules)).toEqual([]);
  });

  it('the AI SDK comes with the first agent phase, ws with serve, pg with a postgres:// URL', () => {
    expect(heavy(loadedWith('electron/engine/kinds/agent-execute.ts').modules)).toEqual(expect.arrayContaining(['ai', '@ai-sdk/openai', '@ai-sdk/anthropic']));
    expect(heavy(loadedWith('electron/cli/serve-command.ts').modules)).toContain('ws');
    expect(heavy(loadedWith('electron/store/postgres/pg-store.ts').modules)).toContain('pg');
  });
});
