import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPathSwapper, type PathSwapper } from '../../testing/path-swapper';
import { tempDir, type TempDir } from '../../testing/temp-dir';
import { runTool, type ToolContext, type ToolOutcome } from '.';

/** A call that blocks (the old write_file on a FIFO) fails here instead of hanging the test. */
const DEADLINE_MS = 2_000;
const TOOLS = ['read_file', 'write_file', 'list_files'] as const;

let dir: TempDir;
let ctx: ToolContext;
let server: Server | undefined;
let holder: ChildProcess | undefined;
let swapper: PathSwapper | undefined;

beforeEach(() => {
  dir = tempDir('waymark-special-');
  ctx = { workdir: dir.path, env: {}, signal: new AbortController().signal, sandbox: { hiddenPaths: [] } };
});
afterEach(async () => {
  await swapper?.stop();
  swapper = undefined;
  holder?.kill('SIGKILL');
  holder = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  for (const name of ['pipe', 'a', 'b']) unblockFifo(join(dir.path, name));
  dir.remove();
});

/** Opens both ends of a FIFO without blocking, so a call stuck opening it returns. */
function unblockFifo(path: string): void {
  try {
    if (!lstatSync(path).isFIFO()) return;
  } catch {
    return;
  }
  for (const flags of [constants.O_RDONLY, constants.O_WRONLY]) {
    try {
      closeSync(openSync(path, flags | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody waits at the other end.
    }
  }
}

async function timed(name: (typeof TOOLS)[number], input: Record<string, unknown>): Promise<ToolOutcome & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} ${JSON.stringify(input)} did not return within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    const outcome = await Promise.race([runTool(ctx, TOOLS, name, input), deadline]);
    return { ...outcome, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(process.platform !== 'linux')('file tools refuse FIFOs, sockets and devices at once', () => {
  it('a FIFO: read, write and list fail within milliseconds, saying what it is', async () => {
    execFileSync('mkfifo', [join(dir.path, 'pipe')]);
    const read = await timed('read_file', { path: 'pipe' });
    const write = await timed('write_file', { path: 'pipe', content: 'x' });
    const list = await timed('list_files', { path: 'pipe' });
    expect(read).toMatchObject({ ok: false, text: '"pipe" is a FIFO (named pipe); only regular files can be read' });
    expect(write).toMatchObject({ ok: false, text: '"pipe" is a FIFO (named pipe); only regular files can be written' });
    expect(list).toMatchObject({ ok: false, text: '"pipe" is a FIFO (named pipe); list_files lists folders' });
    for (const r of [read, write, list]) expect(r.ms).toBeLessThan(500);
  });

  it('a unix socket: read and write fail within milliseconds', async () => {
    const path = join(dir.path, 'sock');
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    const read = await timed('read_file', { path: 'sock' });
    const write = await timed('write_file', { path: 'sock', content: 'x' });
    expect(read).toMatchObject({ ok: false, text: '"sock" is a socket; only regular files can be read' });
    expect(write).toMatchObject({ ok: false, text: '"sock" is a socket; only regular files can be written' });
    for (const r of [read, write]) expect(r.ms).toBeLessThan(500);
  });

  it('a character device (made with mknod when this user may): refused, never opened', async (test) => {
    try {
      execFileSync('mknod', [join(dir.path, 'dev'), 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      test.skip();
    }
    expect(await timed('read_file', { path: 'dev' })).toMatchObject({ ok: false, text: '"dev" is a character device; only regular files can be read' });
    expect(await timed('write_file', { path: 'dev', content: 'x' })).toMatchObject({ ok: false, text: '"dev" is a character device; only regular files can be written' });
  });

  it('a file another process holds a lease on: write_file says so at once instead of waiting for the lease to break', async () => {
    const path = dir.file('leased.txt', 'before');
    holder = spawn('python3', ['-c', LEASE_HOLDER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder?.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
      holder?.on('exit', (code) => reject(new Error(`lease holder exited with ${code}`)));
    });
    const write = await timed('write_file', { path: 'leased.txt', content: 'after' });
    expect(write).toMatchObject({ ok: false, text: '"leased.txt": is leased by another process, which holds it open; try again later' });
    expect(write.ms).toBeLessThan(500);
    expect(readFileSync(path, 'utf8')).toBe('before');
    expect(await timed('read_file', { path: 'leased.txt' })).toMatchObject({ ok: true, text: 'before' });
  });

  it('a FIFO swapped with a regular file in a tight loop never blocks a call', async () => {
    writeFileSync(join(dir.path, 'a'), 'regular');
    execFileSync('mkfifo', [join(dir.path, 'b')]);
    swapper = await startPathSwapper(join(dir.path, 'a'), join(dir.path, 'b'));
    let refused = 0;
    for (let i = 0; i < 200; i += 1) {
      const [read, write] = await Promise.all([timed('read_file', { path: 'a' }), timed('write_file', { path: 'a', content: 'regular' })]);
      for (const r of [read, write]) if (r.text.includes('FIFO')) refused += 1;
      expect(read.ok ? read.text : 'refused').toMatch(/^(regular|refused)$|^$/);
    }
    expect(await swapper.stop()).toBeGreaterThan(200);
    swapper = undefined;
    expect(refused).toBeGreaterThan(0);
  });
});

/** Takes a read lease (F_RDLCK) on argv[1]: other processes' opens for writing must wait up to lease-break-time (45 s). */
const LEASE_HOLDER = `
import fcntl, os, signal, sys, time
signal.signal(signal.SIGIO, signal.SIG_IGN)
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
print('ready', flush=True)
time.sleep(60)
`;
