import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, secretValues } from './redact';

describe('redact', () => {
  const env = { OPENAI_API_KEY: 'sk-proj-abc123def456ghi789jkl', MY_CRED: 'custom-credential-99', HOME: '/home/me', SHORT_TOKEN: 'abc', GH_TOKEN: 'gho_zzzzzzzzzzzzzzzzzzzzzzzz' };
  const r = createRedactor(secretValues(env, ['MY_CRED']));

  it('collects provider keys by name and secret-looking variables, not ordinary ones', () => {
    expect(secretValues(env, ['MY_CRED']).sort()).toEqual(['abc', 'custom-credential-99', 'gho_zzzzzzzzzzzzzzzzzzzzzzzz', 'sk-proj-abc123def456ghi789jkl'].sort());
  });

  it('replaces secret values and credential patterns', () => {
    expect(r.text('key sk-proj-abc123def456ghi789jkl in text')).toBe(`key ${REDACTED} in text`);
    expect(r.text('using custom-credential-99!')).toBe(`using ${REDACTED}!`);
    expect(r.text('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.text('{"x-api-key": "zzzzzzzzzzzzzz"}')).toBe(`{"x-api-key": "${REDACTED}"}`);
    expect(r.text('api_key=qwertyuiopasdf')).toBe(`api_key=${REDACTED}`);
    expect(r.text('other sk-ant-api03-AAAAAAAAAAAAAAAA1111 key')).toBe(`other ${REDACTED} key`);
    expect(r.text('token ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe(`token ${REDACTED}`);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['home is /home/me', 'abc is short', 'we use sk-learn-model-selection-tools', 'Bearer', 'authorization: none']) expect(r.text(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = r.text('Bearer abcdefghijklmnop and x-api-key: sk-proj-abc123def456ghi789jkl');
    expect(r.text(once)).toBe(once);
  });

  it('redacts deeply and shares unchanged parts', () => {
    const clean = { a: [1, 'plain'], b: { c: true } };
    const value = { clean, dirty: { list: ['x', 'custom-credential-99'] }, n: 3 };
    const out = r.deep(value);
    expect(out).toEqual({ clean, dirty: { list: ['x', REDACTED] }, n: 3 });
    expect(out.clean).toBe(clean);
    expect(value.dirty.list[1]).toBe('custom-credential-99'); // input untouched
    expect(r.deep(clean)).toBe(clean);
  });
});
