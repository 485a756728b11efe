import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../../shared/errors';
import { parseFlow } from '../../shared/flow/load';
import type { Flow } from '../../shared/flow/schema';
import { parseInputPairs, resolveInputs } from './inputs';

function flowWithInputs(inputs: string): Flow {
  const result = parseFlow(`name: demo\ninputs:\n${inputs}\nphases:\n  - { id: a, kind: command, run: "true" }\n`);
  if (!result.ok) throw new Error(result.problems[0]?.message);
  return result.flow;
}

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('resolveInputs', () => {
  const flow = flowWithInputs('  service: { default: redis }\n  port: { default: 6379 }\n  target:');

  it('uses given values over defaults, and defaults for the rest', () => {
    expect(resolveInputs(flow, { target: 'prod', service: 'pg' })).toEqual({ service: 'pg', port: '6379', target: 'prod' });
  });

  it('keeps an empty string that was given', () => {
    expect(resolveInputs(flow, { target: '', service: '' })).toMatchObject({ target: '', service: '' });
  });

  it('names every missing input and how to pass it', () => {
    const two = flowWithInputs('  a:\n  b: {}\n  c: { default: x }');
    const err = thrown(() => resolveInputs(two, {}));
    expect(hasErrorCode(err, 'INPUT_MISSING')).toBe(true);
    expect(err.message).toBe('flow "demo" needs "a", "b": pass --input a=VALUE --input b=VALUE');
  });

  it('rejects an input the flow does not declare, listing the declared ones', () => {
    const err = thrown(() => resolveInputs(flow, { target: 'x', servcie: 'pg' }));
    expect(hasErrorCode(err, 'INPUT_MISSING')).toBe(true);
    expect(err.message).toBe('flow "demo" has no input "servcie" (it declares: service, port, target)');
  });

  it('treats inputs named like Object.prototype members as ordinary inputs', () => {
    const odd = flowWithInputs('  constructor:\n  toString: { default: t }');
    expect(() => resolveInputs(odd, {})).toThrow('needs "constructor"');
    expect(resolveInputs(odd, { constructor: 'c' })).toEqual({ constructor: 'c', toString: 't' });
  });
});

describe('parseInputPairs', () => {
  it('splits at the first "="', () => {
    expect(parseInputPairs(['a=1', 'query=x=y', 'empty='])).toEqual({ a: '1', query: 'x=y', empty: '' });
  });

  it('lets a later pair win', () => {
    expect(parseInputPairs(['a=1', 'a=2'])).toEqual({ a: '2' });
  });

  it('rejects a pair without a name', () => {
    for (const bad of ['novalue', '=x', '']) {
      const err = thrown(() => parseInputPairs([bad]));
      expect(hasErrorCode(err, 'USAGE')).toBe(true);
      expect(err.message).toBe(`--input expects NAME=VALUE, got "${bad}"`);
    }
  });

  it('keeps "__proto__" as a plain key, so it is reported instead of vanishing', () => {
    const pairs = parseInputPairs(['__proto__=x']);
    expect(Object.keys(pairs)).toEqual(['__proto__']);
    expect(() => resolveInputs(flowWithInputs('  a: { default: 1 }'), pairs)).toThrow('has no input "__proto__"');
  });
});
