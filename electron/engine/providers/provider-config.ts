/**
 * Resolves where a model lives and how to authenticate, from the flow and the phase's
 * environment, before any request: a missing key is a PROVIDER_CONFIG error naming the
 * variable. Built-ins: `openai` (OPENAI_API_KEY, OPENAI_BASE_URL), `anthropic`
 * (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL), `ollama` (OLLAMA_HOST, spoken to through its
 * OpenAI-compatible /v1 endpoint); flow-declared `openai-compatible` providers.
 */
import { WaymarkError } from '../../../shared/errors';
import type { Flow } from '../../../shared/flow/schema';
import { parseModelRef } from './model-ref';

export type ProviderApi = 'openai' | 'anthropic' | 'openai-compatible';

export interface ProviderTarget {
  /** The provider name as written in the model string. */
  provider: string;
  modelId: string;
  api: ProviderApi;
  /** Base URL of the API, without a trailing slash. */
  baseURL: string;
  apiKey?: string;
  /** The variable the key came from (named in errors and hints). */
  keyEnv?: string;
}

export const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';
export const ANTHROPIC_DEFAULT_URL = 'https://api.anthropic.com/v1';
export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';

type Env = Readonly<NodeJS.ProcessEnv>;

export function resolveProvider(flow: Flow, model: string, env: Env): ProviderTarget {
  const { provider, modelId } = parseModelRef(model);
  const base = { provider, modelId };
  switch (provider) {
    case 'openai':
      return { ...base, api: 'openai', baseURL: trimSlash(value(env, 'OPENAI_BASE_URL') ?? OPENAI_DEFAULT_URL), ...requiredKey(env, 'OPENAI_API_KEY', model) };
    case 'anthropic':
      return { ...base, api: 'anthropic', baseURL: trimSlash(value(env, 'ANTHROPIC_BASE_URL') ?? ANTHROPIC_DEFAULT_URL), ...requiredKey(env, 'ANTHROPIC_API_KEY', model) };
    case 'ollama':
      return { ...base, api: 'openai-compatible', baseURL: `${ollamaHost(value(env, 'OLLAMA_HOST'))}/v1` };
  }
  const spec = flow.providers[provider];
  if (!spec) {
    const known = ['openai', 'anthropic', 'ollama', ...Object.keys(flow.providers)];
    throw new WaymarkError('PROVIDER_CONFIG', `model "${model}": unknown provider "${provider}" (known: ${known.join(', ')})`);
  }
  const key = spec.api_key_env ? requiredKey(env, spec.api_key_env, model) : {};
  return { ...base, api: 'openai-compatible', baseURL: trimSlash(spec.base_url), ...key };
}

/** Names of the variables that hold provider keys for this flow (stripped from tool commands). */
export function providerKeyNames(flow: Flow): string[] {
  const names = new Set(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
  for (const spec of Object.values(flow.providers)) if (spec.api_key_env) names.add(spec.api_key_env);
  return [...names];
}

/** OLLAMA_HOST as Ollama reads it: `host`, `host:port` or a URL; port 11434 by default. */
export function ollamaHost(raw: string | undefined): string {
  if (!raw) return OLLAMA_DEFAULT_HOST;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
    if (!url.port && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) url.port = '11434';
    return trimSlash(url.origin + url.pathname);
  } catch {
    throw new WaymarkError('PROVIDER_CONFIG', `OLLAMA_HOST="${raw}" is not a host or URL; use e.g. http://127.0.0.1:11434`);
  }
}

function requiredKey(env: Env, name: string, model: string): { apiKey: string; keyEnv: string } {
  const key = value(env, name);
  if (!key) {
    throw new WaymarkError('PROVIDER_CONFIG', `${name} is not set: model "${model}" needs an API key in the environment variable ${name}`);
  }
  return { apiKey: key, keyEnv: name };
}

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
