/** flows.list lists flows only: YAML files with top-level `phases:`, with name and description. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { listFlows } from './flow-handlers';
import { createFlowRoot } from './flow-root';

let dir: TempDir;
beforeEach(() => (dir = tempDir('waymark-list-')));
afterEach(() => dir.remove());

const write = (name: string, text: string) => writeFileSync(join(dir.path, name), text);

describe('flows.list', () => {
  it('lists files with top-level phases, with their name and one-line description', async () => {
    write('build.yaml', 'name: build it\ndescription: |\n  Fetches the code\n  and builds it.\nphases:\n  - { id: a, kind: command, run: make }\n');
    write('plain.yml', 'phases:\n  - { id: a, kind: command, run: make }\n');
    write('config.yaml', 'database: postgres\nport: 5432\n');
    write('list.yaml', '- phases\n- more\n');
    write('nested-phases.yaml', 'ci:\n  phases: [a]\n');
    write('notes.txt', 'phases: no\n');
    mkdirSync(join(dir.path, 'sub'));
    write('sub/anchors.yaml', 'defaults: &d { model: "x:y" }\nname: anchored\nphases:\n  - { id: a, kind: command, run: make }\nother: *d\n');
    const flows = await listFlows(createFlowRoot(dir.path));
    expect(flows.map(({ mtimeMs: _m, ...f }) => f)).toEqual([
      { path: 'build.yaml', name: 'build it', description: 'Fetches the code and builds it.' },
      { path: 'plain.yml', name: 'plain' },
      { path: 'sub/anchors.yaml', name: 'anchored' },
    ]);
  });

  it('keeps a flow that does not parse when it has a top-level phases line, so it can be fixed', async () => {
    write('broken.yaml', 'name: [oops\nphases:\n  - { id: a\n');
    write('broken-other.yaml', 'settings: [oops\n');
    const flows = await listFlows(createFlowRoot(dir.path));
    expect(flows.map((f) => [f.path, f.name])).toEqual([['broken.yaml', 'broken']]);
  });

  it('shortens a long description', async () => {
    write('long.yaml', `description: "${'word '.repeat(200)}"\nphases: []\n`);
    const [flow] = await listFlows(createFlowRoot(dir.path));
    expect(flow?.description).toHaveLength(300);
    expect(flow?.description?.endsWith('…')).toBe(true);
  });
});
