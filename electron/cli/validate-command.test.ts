/** `waymark validate` on things that are not flow files, through a real `waymark` process. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';

const BIN = resolve(__dirname, '../../bin/waymark.mjs');
let dir: TempDir;
beforeEach(() => (dir = tempDir('waymark-validate-')));
afterEach(() => dir.remove());

/** A hung process is killed after 20 s, so a regression fails the test rather than hanging it. */
function validate(file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8', env: { ...process.env, WAYMARK_DB: join(dir.path, 'cli.db') }, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('waymark validate', () => {
  it('refuses a FIFO at once with exit code 2 instead of waiting for a writer', () => {
    const fifo = join(dir.path, 'flow.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = validate(fifo);
    expect(r.stderr).toBe(`error: ${fifo} is a FIFO (named pipe), not a flow file; give the path of a .yaml file\n`);
    expect(r.code).toBe(2);
  });

  it('refuses /dev/zero with exit code 2 instead of reading forever', () => {
    const r = validate('/dev/zero');
    expect(r.stderr).toBe('error: /dev/zero is a character device, not a flow file; give the path of a .yaml file\n');
    expect(r.code).toBe(2);
  });

  it('reports bytes that are not UTF-8 as file:line:column with exit code 2', () => {
    const file = join(dir.path, 'latin1.yaml');
    writeFileSync(file, Buffer.from([...Buffer.from('phases:\n  - { id: caf'), 0xe9, ...Buffer.from(', kind: command, run: x }\n')]));
    const r = validate(file);
    expect(r.stderr).toBe(`error: ${file}:2:14: invalid UTF-8 at line 2, column 14 (byte 0xe9 at offset 21); flow files are UTF-8 text: save the file as UTF-8\n`);
    expect(r.code).toBe(2);
  });
});
