import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { openFlow } from './flow-handlers';
import { pickFlowFile } from './flow-pick';
import { createFlowRoot } from './flow-root';

let root: TempDir;
let elsewhere: TempDir;
beforeEach(() => {
  root = tempDir('waymark-root-');
  elsewhere = tempDir('waymark-elsewhere-');
});
afterEach(() => {
  root.remove();
  elsewhere.remove();
});

describe('flows.pick', () => {
  it('opens exactly the file the user picked outside the flow folder, and nothing else there', async () => {
    const picked = elsewhere.file('picked.yaml', 'phases:\n  - { id: a, kind: command, run: "echo a" }\n');
    elsewhere.file('other.yaml', 'phases: []\n');
    const flows = createFlowRoot(root.path);
    await expect(openFlow(flows, picked)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await pickFlowFile(flows, async () => picked)).toEqual({ path: picked });
    expect((await openFlow(flows, picked)).flow?.phases.map((p) => p.id)).toEqual(['a']);
    await expect(openFlow(flows, join(elsewhere.path, 'other.yaml'))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers null when the user cancels, and refuses in serve mode', async () => {
    const flows = createFlowRoot(root.path);
    expect(await pickFlowFile(flows, async () => null)).toBeNull();
    await expect(pickFlowFile(flows, undefined)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('only in the desktop app') });
  });
});
