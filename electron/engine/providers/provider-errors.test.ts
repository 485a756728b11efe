import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { retryDelay, MODEL_RETRY, withModelRetry, RetriesExhausted } from './model-retry';
import { describeModelError, isTransient, ModelIdleTimeout, retryAfterMs } from './provider-errors';
import type { ProviderTarget } from './provider-config';

const target: ProviderTarget = { provider: 'openai', modelId: 'gpt', api: 'openai', baseURL: 'http://h/v1', apiKey: 'k', keyEnv: 'OPENAI_API_KEY' };
const http = (statusCode: number, headers: Record<string, string> = {}, responseBody?: string) =>
  new APICallError({ message: `HTTP ${statusCode}`, url: 'http://h/v1/chat/completions', requestBodyValues: {}, statusCode, responseHeaders: headers, ...(responseBody ? { responseBody } : {}) });
/** What the AI SDK throws when a stream dies after HTTP 200 (as seen against a real socket). */
const diedMidStream = (inner: Error) =>
  new APICallError({ message: 'Failed to process successful response', url: 'http://h/v1/chat/completions', requestBodyValues: {}, statusCode: 200, isRetryable: true, cause: Object.assign(new TypeError('terminated'), { cause: inner }) });
const network = (code: string) => new APICallError({ message: 'Cannot connect to API: x', url: 'u', requestBodyValues: {}, isRetryable: true, cause: Object.assign(new Error('x'), { code }) });

describe('isTransient', () => {
  it.each([408, 409, 425, 429, 500, 502, 503, 504, 529])('HTTP %i is transient', (status) => expect(isTransient(http(status))).toBe(true));
  it.each([400, 401, 403, 404, 422, 501])('HTTP %i is not', (status) => expect(isTransient(http(status))).toBe(false));
  it('connection errors and timeouts are transient', () => {
    expect(isTransient(network('ECONNREFUSED'))).toBe(true);
    expect(isTransient(network('ECONNRESET'))).toBe(true);
    expect(isTransient(new TypeError('terminated'))).toBe(true);
    expect(isTransient(new ModelIdleTimeout(300_000))).toBe(true);
    expect(isTransient({ type: 'overloaded_error', message: 'Overloaded' })).toBe(true);
  });
  it('a stream cut off after HTTP 200 is transient, found through the cause chain', () => {
    expect(isTransient(diedMidStream(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })))).toBe(true);
    expect(isTransient(diedMidStream(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })))).toBe(true);
    expect(isTransient(new Error('wrapped', { cause: Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }) }))).toBe(true);
    expect(isTransient(new Error('wrapped', { cause: new Error('other side closed') }))).toBe(true);
    const notNetwork = new APICallError({ message: 'Failed to process successful response', url: 'u', requestBodyValues: {}, statusCode: 200, cause: new Error('incorrect header check') });
    expect(isTransient(notNetwork)).toBe(false);
    const cutClientError = new APICallError({ message: 'HTTP 401', url: 'u', requestBodyValues: {}, statusCode: 401, cause: new TypeError('terminated') });
    expect(isTransient(cutClientError)).toBe(false);
  });
  it('malformed responses are not', () => {
    const malformed = new APICallError({ message: 'JSON parsing failed: Text: {', url: 'u', requestBodyValues: {}, statusCode: 500 });
    expect(isTransient(malformed)).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { name: 'AI_JSONParseError' }))).toBe(false);
    expect(isTransient(new Error('something else'))).toBe(false);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(retryAfterMs(http(429, { 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(http(429, { 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(http(429, { 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(http(429, { 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(http(429), now)).toBeUndefined();
  });
  it('is capped, and replaces the backoff', () => {
    expect(retryDelay(MODEL_RETRY, 1, http(429, { 'retry-after': '3600' }), now)).toBe(MODEL_RETRY.maxRetryAfterMs);
    expect(retryDelay(MODEL_RETRY, 1, http(429, { 'retry-after': '2' }), now)).toBe(2000);
    expect([1, 2, 3, 4].map((n) => retryDelay(MODEL_RETRY, n, http(500), now))).toEqual([1000, 2000, 4000, 8000]);
  });
});

describe('describeModelError', () => {
  it('gives one line with a hint, never a body dump', () => {
    expect(describeModelError(http(401, {}, '{"error":{"message":"Invalid key"}}'), target)).toBe('openai returned HTTP 401: Invalid key (check OPENAI_API_KEY)');
    expect(describeModelError(http(404, {}, '{"error":{"message":"no such model"}}'), target)).toBe('openai returned HTTP 404: no such model (check the model name "gpt" and the base URL)');
    expect(describeModelError(http(502, {}, '<html>\n<body>Bad gateway</body></html>'), target)).toBe('openai returned HTTP 502: HTTP 502');
    expect(describeModelError(network('ECONNREFUSED'), target)).toBe('cannot reach http://h/v1: connection refused');
    expect(describeModelError(network('ECONNREFUSED'), { ...target, provider: 'ollama' })).toContain('is Ollama running?');
    expect(describeModelError(diedMidStream(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), target)).toBe('the connection to http://h/v1 was closed mid-response (UND_ERR_SOCKET: other side closed)');
    expect(describeModelError(new TypeError('terminated'), target)).toBe('the connection to http://h/v1 was closed mid-response (terminated)');
    const long = describeModelError(http(400, {}, JSON.stringify({ error: { message: 'x'.repeat(1000) } })), target);
    expect(long.length).toBeLessThan(260);
  });
});

describe('withModelRetry', () => {
  const policy = { ...MODEL_RETRY, initialDelayMs: 1, maxDelayMs: 2 };
  it('retries transient errors, then gives up with RetriesExhausted', async () => {
    let calls = 0;
    const seen: number[] = [];
    const failing = () => {
      calls += 1;
      return Promise.reject(http(503));
    };
    const err = await withModelRetry(policy, new AbortController().signal, failing, (n) => seen.push(n.failedTry)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect((err as RetriesExhausted).tries).toBe(5);
    expect(calls).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
  it('does not retry other errors or an abort', async () => {
    let calls = 0;
    await expect(withModelRetry(policy, new AbortController().signal, () => (calls++, Promise.reject(http(400))), () => {})).rejects.toMatchObject({ statusCode: 400 });
    expect(calls).toBe(1);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(withModelRetry(policy, controller.signal, () => Promise.reject(http(500)), () => {})).rejects.toThrow('stop');
  });
});
