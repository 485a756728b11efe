import { describe, expect, it } from 'vitest';
import type { CommandPhase } from '../../../shared/flow/schema';
import { planValues, RUN_LIMIT, TOTAL_LIMIT, VALUE_LIMIT } from './command-values';

const phase = (run: string, env?: Record<string, string>): CommandPhase => ({ id: 'p', kind: 'command', run, ...(env ? { env } : {}) });
const reasons = (plan: ReturnType<typeof planValues>) => Object.fromEntries([...plan.waymark.values(), ...plan.env].map((v) => [v.name, v.fileReason]));

describe('planValues', () => {
  it('keeps small values in variables and sends NUL-holding or oversized ones to files', () => {
    const plan = planValues(phase('echo {{inputs.a}}', { BIG: '{{phases.gen.output}}', SMALL: 'x{{inputs.a}}' }), { a: 'hi' }, new Map([['gen', 'g'.repeat(VALUE_LIMIT + 1)], ['nul', 'a\0b'], ['fits', 'f'.repeat(VALUE_LIMIT)]]));
    expect(reasons(plan)).toEqual({ WAYMARK_INPUT_A: null, WAYMARK_OUTPUT_GEN: 'size', WAYMARK_OUTPUT_NUL: 'nul', WAYMARK_OUTPUT_FITS: null, BIG: 'size', SMALL: null });
    expect(plan.env.find((v) => v.name === 'SMALL')?.text).toBe('xhi');
  });

  it('moves the costliest values to files until the total fits, counting each use in `run` quoted', () => {
    const outputs = new Map(Array.from({ length: 10 }, (_, i) => [`o${i}`, 'v'.repeat(40 * 1024 + i)] as [string, string]));
    const plan = planValues(phase('cat {{phases.o0.output}}'), {}, outputs);
    const r = reasons(plan);
    const inline = [...plan.waymark.values()].filter((v) => !v.fileReason);
    expect(inline.reduce((sum, v) => sum + v.bytes, 0)).toBeLessThanOrEqual(TOTAL_LIMIT);
    expect(inline.length).toBe(6); // no more moved than needed
    expect(r.WAYMARK_OUTPUT_O0).toBe('budget'); // the smallest, but used in `run` too, so it costs twice
    expect(r.WAYMARK_OUTPUT_O9).toBe('budget'); // then the largest
    expect(r.WAYMARK_OUTPUT_O1).toBeNull();
  });

  it('moves a value whose quoted uses would make `run` longer than RUN_LIMIT', () => {
    const quotes = "'".repeat(30 * 1024); // quoted, each quote takes 4 bytes
    expect([quotes.length < VALUE_LIMIT, 4 * quotes.length > RUN_LIMIT]).toEqual([true, true]);
    expect(reasons(planValues(phase('echo {{phases.q.output}}'), {}, new Map([['q', quotes]])))).toEqual({ WAYMARK_OUTPUT_Q: 'budget' });
    expect(reasons(planValues(phase('echo $WAYMARK_OUTPUT_Q'), {}, new Map([['q', quotes]])))).toEqual({ WAYMARK_OUTPUT_Q: null });
  });
});
