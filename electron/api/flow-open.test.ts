/** flows.open reads through the safe reader: cap, file type and UTF-8 are checked. */
import { spawnSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { openFlow } from './flow-handlers';
import { createFlowRoot } from './flow-root';

let dir: TempDir;
beforeEach(() => (dir = tempDir('waymark-open-')));
afterEach(() => dir.remove());

const open = (path: string) => openFlow(createFlowRoot(dir.path), path);

describe('flows.open', () => {
  it('opens bytes that are not UTF-8 as text with one problem at the first bad byte', async () => {
    writeFileSync(join(dir.path, 'latin1.yaml'), Buffer.from([...Buffer.from('# caf'), 0xe9, ...Buffer.from('\nphases:\n  - { id: a, kind: command, run: x }\n')]));
    const doc = await open('latin1.yaml');
    expect(doc.source).toBe('# caf\uFFFD\nphases:\n  - { id: a, kind: command, run: x }\n');
    expect(doc.flow).toBeNull();
    expect(doc.problems).toEqual([
      { file: 'latin1.yaml', line: 1, column: 6, path: [], message: 'invalid UTF-8 at line 1, column 6 (byte 0xe9 at offset 5); flow files are UTF-8 text: save the file as UTF-8' },
    ]);
  });

  it('refuses a file over the cap before reading it, naming its size', async () => {
    writeFileSync(join(dir.path, 'big.yaml'), '');
    truncateSync(join(dir.path, 'big.yaml'), 3 * 1024 * 1024);
    await expect(open('big.yaml')).rejects.toMatchObject({
      code: 'FLOW_INVALID',
      message: 'big.yaml is 3 MiB (3145728 bytes), over the limit of 2 MiB (2097152 bytes) for a flow file',
      where: { file: 'big.yaml' },
    });
  });

  it('refuses a FIFO by its type, and names the root for a missing file', async () => {
    expect(spawnSync('mkfifo', [join(dir.path, 'pipe.yaml')]).status).toBe(0);
    await expect(open('pipe.yaml')).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND', message: 'pipe.yaml is a FIFO (named pipe), not a flow file; give the path of a .yaml file' });
    await expect(open('missing.yaml')).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND', message: expect.stringContaining('no flow file "missing.yaml" under') });
  });
});
