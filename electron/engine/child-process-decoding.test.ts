import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { runShellCommand } from './child-process';

let dir: TempDir;
afterEach(() => dir?.remove());

describe('runShellCommand: decoding', () => {
  it.each(['stdout', 'stderr'] as const)('keeps a character split across two %s chunks whole in the live log', async (stream) => {
    dir = tempDir();
    const redirect = stream === 'stderr' ? ' >&2' : '';
    // The second byte of "é" (C3 A9) is written only after the test saw the first chunk
    // (or after 5 s, so a broken decoder fails the test instead of hanging it).
    const wait = 'i=0; while [ ! -e go ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done';
    const command = `printf 'a\\303'${redirect}; ${wait}; printf '\\251!'${redirect}`;
    const chunks: string[] = [];
    const result = await runShellCommand(command, {
      cwd: dir.path,
      env: { PATH: process.env.PATH },
      signal: new AbortController().signal,
      onData: (s, text) => {
        if (s !== stream) return;
        chunks.push(text);
        writeFileSync(join(dir.path, 'go'), '');
      },
    });
    expect(chunks.join('')).toBe('aé!');
    expect(result[stream]).toBe('aé!');
    expect(result.stdoutInvalidBytes).toBe(0);
  });

  it('counts the bytes of stdout that are not UTF-8', async () => {
    dir = tempDir();
    const result = await runShellCommand(`printf 'a\\377b\\342\\202'`, { cwd: dir.path, env: { PATH: process.env.PATH }, signal: new AbortController().signal });
    expect(result.stdout).toBe('a\uFFFDb\uFFFD');
    expect(result.stdoutInvalidBytes).toBe(3);
  });
});
