/** Model strings are `provider:model`, split at the FIRST colon: `ollama:llama3.2:3b`. */
import { WaymarkError } from '../../../shared/errors';

export interface ModelRef {
  provider: string;
  modelId: string;
}

export function parseModelRef(model: string): ModelRef {
  const colon = model.indexOf(':');
  if (colon <= 0 || colon === model.length - 1) {
    throw new WaymarkError('PROVIDER_CONFIG', `model "${model}" must be written provider:model, e.g. "openai:gpt-4o-mini"`);
  }
  return { provider: model.slice(0, colon), modelId: model.slice(colon + 1) };
}
