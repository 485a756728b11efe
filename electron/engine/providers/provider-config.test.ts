import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../shared/flow/schema';
import { parseModelRef } from './model-ref';
import { ollamaHost, providerKeyNames, resolveProvider } from './provider-config';

const flow = (providers: Flow['providers'] = {}): Flow => ({ name: 'f', inputs: {}, providers, defaults: {}, maxParallel: 4, phases: [] });

describe('model strings', () => {
  it('split at the first colon', () => {
    expect(parseModelRef('ollama:llama3.2:3b')).toEqual({ provider: 'ollama', modelId: 'llama3.2:3b' });
    expect(parseModelRef('openai:gpt-4o-mini')).toEqual({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(() => parseModelRef('gpt-4o')).toThrow(/provider:model/);
    expect(() => parseModelRef('openai:')).toThrow(/provider:model/);
  });
});

describe('resolveProvider', () => {
  it('reads built-in keys and base URLs from the given environment', () => {
    expect(resolveProvider(flow(), 'openai:gpt', { OPENAI_API_KEY: 'k1' })).toEqual({ provider: 'openai', modelId: 'gpt', api: 'openai', baseURL: 'https://api.openai.com/v1', apiKey: 'k1', keyEnv: 'OPENAI_API_KEY' });
    expect(resolveProvider(flow(), 'openai:gpt', { OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: 'http://proxy/v1/' }).baseURL).toBe('http://proxy/v1');
    expect(resolveProvider(flow(), 'anthropic:claude', { ANTHROPIC_API_KEY: 'k2', ANTHROPIC_BASE_URL: 'http://a/v1' })).toMatchObject({ api: 'anthropic', baseURL: 'http://a/v1', apiKey: 'k2' });
    expect(resolveProvider(flow(), 'ollama:llama3.2:3b', {})).toMatchObject({ api: 'openai-compatible', baseURL: 'http://127.0.0.1:11434/v1', modelId: 'llama3.2:3b' });
  });

  it('fails before any request when a key is missing, naming the variable', () => {
    expect(() => resolveProvider(flow(), 'openai:gpt', {})).toThrow('OPENAI_API_KEY is not set');
    expect(() => resolveProvider(flow(), 'anthropic:c', { ANTHROPIC_API_KEY: '  ' })).toThrow('ANTHROPIC_API_KEY is not set');
    const f = flow({ local: { type: 'openai-compatible', base_url: 'http://h:1/v1', api_key_env: 'LOCAL_KEY' } });
    try {
      resolveProvider(f, 'local:m', {});
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'PROVIDER_CONFIG', message: expect.stringContaining('LOCAL_KEY') });
    }
    expect(resolveProvider(f, 'local:m', { LOCAL_KEY: 'x' })).toMatchObject({ baseURL: 'http://h:1/v1', apiKey: 'x', keyEnv: 'LOCAL_KEY' });
  });

  it('needs no key for a declared provider without api_key_env', () => {
    expect(resolveProvider(flow({ lm: { type: 'openai-compatible', base_url: 'http://h/v1' } }), 'lm:m', {})).not.toHaveProperty('apiKey');
  });

  it('rejects unknown providers', () => {
    expect(() => resolveProvider(flow(), 'nope:m', {})).toThrow(/unknown provider "nope"/);
  });

  it('lists the key variables to keep away from commands', () => {
    expect(providerKeyNames(flow({ a: { type: 'openai-compatible', base_url: 'http://h/v1', api_key_env: 'A_CRED' } }))).toEqual(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'A_CRED']);
  });
});

describe('OLLAMA_HOST', () => {
  it.each([
    [undefined, 'http://127.0.0.1:11434'],
    ['localhost', 'http://localhost:11434'],
    ['0.0.0.0:11500', 'http://127.0.0.1:11500'],
    ['http://gpu-box:8080/', 'http://gpu-box:8080'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
  ])('%s → %s', (raw, url) => {
    expect(ollamaHost(raw)).toBe(url);
  });
});
