import { describe, expect, it } from 'vitest';
import { TryLogCapture } from '../engine/log-capture';
import { MemoryStore } from '../store/memory-store';
import { newRun, OWNER, started } from '../store/conformance/fixtures';
import { readWholeLog, writeTryLog } from './try-log';

async function storeWithLog(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.createRun(newRun('run-1'), OWNER, 1);
  const capture = new TryLogCapture(64);
  capture.write('stdout', '\u001b[32mcollecting\n', 10);
  capture.write('stderr', 'warning \u001b]0;title\u0007here\n', 11);
  capture.write('stdout', 'still green\u001b[0m\n', 12);
  for (let i = 0; i < 10; i += 1) capture.write('stdout', `line ${i}\n`, 20 + i);
  await store.commit('run-1', OWNER, [started('test'), { type: 'phase.finished', phaseId: 'test', attempt: 1, status: 'failed', durationMs: 1, log: capture.finish("pytest -q 'a b'") }], 2);
  return store;
}

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (text: string) => chunks.push(text) > 0 } as unknown as NodeJS.WritableStream & { isTTY: boolean }, text: () => chunks.join('') };
}

describe('a try’s whole log on the command line', () => {
  it('interleaves the streams as written, with the omitted middle as one line', async () => {
    const log = await readWholeLog(await storeWithLog(), 'run-1', 'test', 1);
    expect(log?.commandLine).toBe("pytest -q 'a b'");
    expect(log?.lines.map((l) => `${l.stream}:${l.kind}`).slice(0, 4)).toEqual(['stdout:text', 'stderr:text', 'stdout:text', 'stdout:omitted']);
    expect(log?.lines.at(-1)?.text).toBe('line 9');
    expect(await readWholeLog(await storeWithLog(), 'run-1', 'test', 2)).toBeNull();
  });

  it('prints plain text where the output is not a terminal', async () => {
    const { out, text } = sink(false);
    expect(await writeTryLog(out, {}, await storeWithLog(), 'run-1', 'test', 1)).toBe(true);
    expect(text()).not.toContain('\u001b');
    expect(text()).toMatch(/^\$ pytest -q 'a b'\ncollecting\nwarning here\nstill green\n… \d+ bytes \(\d+ lines\) omitted/);
  });

  it('keeps colours on a terminal, and only colours', async () => {
    const { out, text } = sink(true);
    await writeTryLog(out, {}, await storeWithLog(), 'run-1', 'test', 1);
    expect(text()).toContain('\u001b[32mcollecting\nwarning here\nstill green\u001b[0m');
    expect(text()).not.toContain(']0;title');
    expect(text().endsWith('line 9\u001b[0m\n')).toBe(true);
    const plain = sink(true);
    await writeTryLog(plain.out, { NO_COLOR: '1' }, await storeWithLog(), 'run-1', 'test', 1);
    expect(plain.text()).not.toContain('\u001b');
  });
});
