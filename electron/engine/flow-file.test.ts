/**
 * Reading a flow file from disk never blocks and never reads without bound: FIFOs,
 * devices and folders are refused from their file type, big files from their size,
 * and bytes that are not UTF-8 are a FLOW_INVALID error at their line and column.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toErrorData, type WaymarkErrorData } from '../../shared/errors';
import { MAX_FLOW_BYTES } from '../../shared/flow/limits';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { loadFlow, readFlowFile } from './flow-file';

let dir: TempDir;
let watchdog: ChildProcess | undefined;
beforeEach(() => (dir = tempDir('waymark-flow-file-')));
afterEach(() => {
  watchdog?.kill('SIGKILL');
  watchdog = undefined;
  dir.remove();
});

function refusal(path: string): WaymarkErrorData {
  try {
    readFlowFile(path);
  } catch (err) {
    return toErrorData(err);
  }
  throw new Error(`${path} was read as a flow file`);
}

/**
 * A FIFO nobody writes to. Should a read block on it (the defect), a watchdog writes
 * one line after a while, so a regression fails its assertions instead of hanging the
 * suite; with the fix the file is refused before anyone could write.
 */
function fifo(name: string): string {
  const path = join(dir.path, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  watchdog = spawn('sh', ['-c', 'sleep 3; printf "phases: []\\n" > "$0"', path], { stdio: 'ignore' });
  return path;
}

describe('readFlowFile', () => {
  it('refuses a FIFO from its type, without waiting for a writer', () => {
    const e = refusal(fifo('pipe.yaml'));
    expect(e).toMatchObject({ code: 'FLOW_NOT_FOUND', where: { file: join(dir.path, 'pipe.yaml') } });
    expect(e.message).toBe(`${join(dir.path, 'pipe.yaml')} is a FIFO (named pipe), not a flow file; give the path of a .yaml file`);
  });

  it('refuses a symbolic link to a FIFO, and loadFlow refuses it too', () => {
    const link = join(dir.path, 'link.yaml');
    symlinkSync(fifo('pipe'), link);
    expect(refusal(link).message).toBe(`${link} is a FIFO (named pipe), not a flow file; give the path of a .yaml file`);
    expect(() => loadFlow(link)).toThrow(/FIFO/);
  });

  it('refuses /dev/zero (endless) and /dev/null at once: devices are not flow files', () => {
    expect(refusal('/dev/zero')).toMatchObject({ code: 'FLOW_NOT_FOUND', message: '/dev/zero is a character device, not a flow file; give the path of a .yaml file' });
    expect(refusal('/dev/null').message).toContain('is a character device');
  });

  it('refuses a folder and a missing file, naming the path', () => {
    mkdirSync(join(dir.path, 'flows.yaml'));
    expect(refusal(join(dir.path, 'flows.yaml'))).toMatchObject({ code: 'FLOW_NOT_FOUND', message: `${join(dir.path, 'flows.yaml')} is a folder, not a flow file; give the path of a .yaml file` });
    expect(refusal(join(dir.path, 'missing.yaml'))).toMatchObject({ code: 'FLOW_NOT_FOUND', message: `${join(dir.path, 'missing.yaml')}: no such file` });
  });

  it('refuses a 10 MB file from its size, before reading it', () => {
    const big = join(dir.path, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 10 * 1024 * 1024); // sparse: reading it would take 10 MB, stat does not
    const e = refusal(big);
    expect(e).toMatchObject({ code: 'FLOW_INVALID', where: { file: big } });
    expect(e.message).toBe(`${big} is 10 MiB (10485760 bytes), over the limit of 2 MiB (${MAX_FLOW_BYTES} bytes) for a flow file`);
  });

  it('reads a file exactly at the cap', () => {
    const head = 'phases:\n  - { id: a, kind: command, run: x }\n#';
    const file = dir.file('full.yaml', `${head}${'x'.repeat(MAX_FLOW_BYTES - head.length - 1)}\n`);
    expect(readFlowFile(file).source).toHaveLength(MAX_FLOW_BYTES);
    expect(loadFlow(file).flow.phases).toHaveLength(1);
  });

  it('reports invalid UTF-8 as FLOW_INVALID at the line and column of the first bad byte', () => {
    const file = join(dir.path, 'latin1.yaml');
    // "✓" is valid; 0xE9 is "é" in Latin-1, not UTF-8.
    writeFileSync(file, Buffer.concat([Buffer.from('phases:\n  - { id: a, kind: command, run: "✓ caf'), Buffer.from([0xe9]), Buffer.from('" }\n')]));
    const e = refusal(file);
    expect(e).toMatchObject({ code: 'FLOW_INVALID', where: { file, line: 2, column: 40 } });
    expect(e.message).toBe('invalid UTF-8 at line 2, column 40 (byte 0xe9 at offset 49); flow files are UTF-8 text: save the file as UTF-8');
  });

  it('accepts a genuine U+FFFD and a byte-order mark, and keeps the text exact', () => {
    const text = 'phases:\n  - { id: a, kind: command, run: "echo \uFFFD" }\n';
    const file = join(dir.path, 'bom.yaml');
    writeFileSync(file, `\uFEFF${text}`);
    expect(readFlowFile(file).source).toBe(text);
  });
});
