/** The desktop log: one line per call, multi-line text folded, rotation at 5 MB. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../testing/temp-dir';
import { LOG_FILE, createLog } from './log';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir('waymark-log-');
});
afterEach(() => tmp.remove());

describe('createLog', () => {
  it('appends timestamped single lines to main.log and echoes them', () => {
    const echoed: string[] = [];
    const log = createLog(join(tmp.path, 'logs'), (text) => echoed.push(text));
    log('started');
    log('internal error\n    at stack frame');
    const lines = readFileSync(join(tmp.path, 'logs', LOG_FILE), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z started$/);
    expect(lines[1]).toMatch(/internal error \| {5}at stack frame$/);
    expect(echoed).toHaveLength(2);
  });

  it('rotates a log over 5 MB at startup', () => {
    const dir = join(tmp.path, 'logs');
    createLog(dir, () => {})('first');
    writeFileSync(join(dir, LOG_FILE), 'x'.repeat(5 * 1024 * 1024 + 1));
    createLog(dir, () => {})('after rotation');
    expect(existsSync(join(dir, 'main.old.log'))).toBe(true);
    expect(readFileSync(join(dir, LOG_FILE), 'utf8')).toMatch(/after rotation\n$/);
  });

  it('keeps going when the folder cannot be written', () => {
    const file = tmp.file('not-a-dir', 'x');
    const echoed: string[] = [];
    const log = createLog(join(file, 'logs'), (text) => echoed.push(text));
    expect(() => log('still logged to stderr')).not.toThrow();
    expect(echoed).toHaveLength(1);
  });
});
