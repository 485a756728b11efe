/**
 * A real attacker for race tests: a separate process that atomically exchanges two
 * directory entries (renameat2 with RENAME_EXCHANGE) in a tight loop, e.g. a real
 * folder inside a workspace and a symlink pointing out of it. Linux only (python3 +
 * glibc's renameat2).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const SWAP_LOOP = `
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
renameat2 = libc.renameat2
renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
AT_FDCWD, RENAME_EXCHANGE = -100, 2
a, b = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
swaps = 0
def stop(*_):
    print(swaps, flush=True)
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    if renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
        sys.stderr.write('renameat2: ' + os.strerror(ctypes.get_errno()) + '\\n')
        os._exit(1)
    swaps += 1
    if swaps == 1:
        print('ready', flush=True)
`;

export interface PathSwapper {
  /** Stops the loop and returns how many exchanges it made. */
  stop(): Promise<number>;
}

/** Starts exchanging `a` and `b`; resolves once the first exchange has happened. */
export async function startPathSwapper(a: string, b: string): Promise<PathSwapper> {
  const child = spawn('python3', ['-c', SWAP_LOOP, a, b], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const check = () => (stdout.includes('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`path swapper exited before its first swap: ${stderr.trim()}`)), reject);
  });
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      const count = Number(stdout.split('\n').filter(Boolean).at(-1));
      if (!Number.isFinite(count)) throw new Error(`path swapper did not report its swap count: ${stderr.trim()}`);
      return count;
    },
  };
}
