/**
 * A tracked command waits for its process group's record (runShellCommand's gate): no
 * work happens before the row is durable, so a crash can never leave an unrecorded group.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor, type TempDir } from '../testing/temp-dir';
import { runShellCommand } from './child-process';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('waymark-gate-');
});
afterEach(() => dir.remove());

describe('runShellCommand with onSpawn', () => {
  it('holds the command until `recorded` settles, then runs it with stdin at EOF', async () => {
    let release!: () => void;
    const recorded = new Promise<void>((r) => (release = r));
    let spawned = 0;
    let forgotten = 0;
    const done = runShellCommand('touch started; cat; echo "stdin-done"', {
      cwd: dir.path,
      env: { PATH: process.env.PATH },
      signal: new AbortController().signal,
      onSpawn: (pid) => {
        spawned = pid;
        return { recorded, forget: () => (forgotten += 1) };
      },
    });
    await waitFor(() => spawned > 0, 5_000, 'the spawn');
    // The shell is alive but blocked on the go-ahead: give it ample time to misbehave.
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(join(dir.path, 'started'))).toBe(false);
    release();
    const result = await done;
    expect(existsSync(join(dir.path, 'started'))).toBe(true);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'stdin-done\n' });
    expect(forgotten).toBe(1);
  });

  it('runs the command even when recording failed (the failure is reported elsewhere)', async () => {
    const result = await runShellCommand('echo ran', {
      cwd: dir.path,
      env: { PATH: process.env.PATH },
      signal: new AbortController().signal,
      onSpawn: () => ({ recorded: Promise.reject(new Error('disk full')).catch(() => undefined), forget: () => undefined }),
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ran\n' });
  });
});
