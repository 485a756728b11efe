import { readFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { createFlowRoot } from './flow-root';
import { saveFlow } from './flow-save';

const VALID = '# keep me\nphases:\n  - { id: a, kind: command, run: "echo a" }\n';
let dir: TempDir;
beforeEach(() => (dir = tempDir('waymark-save-')));
afterEach(() => dir.remove());

const save = (req: { path: string; source: string; expectedMtimeMs?: number; overwrite?: boolean }) => saveFlow(createFlowRoot(dir.path), { overwrite: false, ...req });

describe('flows.save', () => {
  it('writes a valid flow atomically and returns the reopened document', async () => {
    const doc = await save({ path: 'new.yaml', source: VALID });
    expect(readFileSync(join(dir.path, 'new.yaml'), 'utf8')).toBe(VALID);
    expect(doc).toMatchObject({ path: 'new.yaml', source: VALID, problems: [], flow: { phases: [{ id: 'a' }] } });
    expect(readdirSync(dir.path)).toEqual(['new.yaml']);
  });

  it('refuses an invalid flow and leaves the file as it was', async () => {
    dir.file('f.yaml', VALID);
    await expect(save({ path: 'f.yaml', source: 'phases:\n  - { id: a, kind: command, run: x, depends_on: [a] }\n' })).rejects.toMatchObject({
      code: 'FLOW_INVALID',
      message: expect.stringContaining('depends on itself'),
    });
    expect(readFileSync(join(dir.path, 'f.yaml'), 'utf8')).toBe(VALID);
  });

  it('refuses to overwrite a file changed on disk since it was opened, unless asked to', async () => {
    const opened = await save({ path: 'f.yaml', source: VALID });
    utimesSync(join(dir.path, 'f.yaml'), new Date(), new Date(Date.now() + 5_000));
    const edited = VALID.replace('echo a', 'echo b');
    await expect(save({ path: 'f.yaml', source: edited, expectedMtimeMs: opened.mtimeMs })).rejects.toMatchObject({ code: 'FLOW_CHANGED' });
    expect(readFileSync(join(dir.path, 'f.yaml'), 'utf8')).toBe(VALID);
    await save({ path: 'f.yaml', source: edited, expectedMtimeMs: opened.mtimeMs, overwrite: true });
    expect(readFileSync(join(dir.path, 'f.yaml'), 'utf8')).toBe(edited);
  });

  it('only writes .yaml files inside the flow folder', async () => {
    await expect(save({ path: 'notes.txt', source: VALID })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(save({ path: '../escape.yaml', source: VALID })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('outside the flow folder') });
  });
});
