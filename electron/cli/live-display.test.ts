/** The terminal display explains its ↺ mark once, and only when phases are reused. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/events';
import { LiveDisplay } from './live-display';

function terminal() {
  const chunks: string[] = [];
  const out = { columns: 100, rows: 30, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join('') };
}

const started = (reused: string[]): RunEvent => ({
  type: 'run.started',
  runId: 'run1',
  seq: 1,
  at: 0,
  attempt: 2,
  flowName: 'demo',
  phases: ['a', 'b'].map((id) => ({ id, kind: 'command', dependsOn: [], defHash: id })),
  reused,
  frontier: [],
  resumed: true,
});

describe('LiveDisplay', () => {
  it('explains the reused mark under the header, once per redraw', () => {
    const t = terminal();
    const display = new LiveDisplay(t.out, () => 'run1');
    display.handle(started(['a']));
    display.stop();
    const frames = t.text().split('demo · run run1').slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    for (const frame of frames) expect(frame.match(/reused: completed in an earlier attempt, not run again/g)).toHaveLength(1);
  });

  it('shows no legend when nothing is reused', () => {
    const t = terminal();
    const display = new LiveDisplay(t.out, () => 'run1');
    display.handle(started([]));
    display.stop();
    expect(t.text()).toContain('demo · run run1');
    expect(t.text()).not.toContain('reused:');
  });
});
