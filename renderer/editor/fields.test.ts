/** The side panel's fields per kind come from the schema; keys a kind refuses are not offered. */
import { describe, expect, it } from 'vitest';
import { fieldsOf } from './fields';

describe('fieldsOf', () => {
  it('offers an approval its prompt and the keys it accepts, never retry or timeout', () => {
    expect(fieldsOf('approval')).toEqual(['prompt', 'depends_on', 'description', 'optional']);
  });

  it('still offers retry and timeout to the kinds that take them', () => {
    expect(fieldsOf('command')).toEqual(expect.arrayContaining(['run', 'retry', 'timeout']));
  });
});
