/**
 * Builds the AI SDK model for a resolved provider. Every setting is passed explicitly,
 * so the SDK never falls back to reading process.env behind the engine's back.
 * OpenAI is spoken to through the chat-completions API (what OPENAI_BASE_URL proxies and
 * compatible servers implement); Ollama through its OpenAI-compatible /v1 endpoint.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { assertNever } from '../../../shared/status';
import type { ProviderTarget } from './provider-config';

export function createModel(target: ProviderTarget): LanguageModel {
  switch (target.api) {
    case 'openai':
      return createOpenAI({ baseURL: target.baseURL, apiKey: target.apiKey ?? '' }).chat(target.modelId);
    case 'anthropic':
      return createAnthropic({ baseURL: target.baseURL, apiKey: target.apiKey ?? '' })(target.modelId);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: target.provider,
        baseURL: target.baseURL,
        includeUsage: true,
        ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      }).chatModel(target.modelId);
    default:
      return assertNever(target.api);
  }
}
