/**
 * The price of a `provider:model` for a flow: the flow's `prices:` entry when it has one
 * (it overrides the catalogue), else the catalogue's for the built-in `openai` and
 * `anthropic` providers. `ollama` and flow-declared openai-compatible providers have no
 * catalogue price: without a `prices:` entry their steps are unpriced ("no price",
 * never $0). The catalogue loads only when a lookup needs it.
 */
import type { Flow, PriceSpec } from '../../../shared/flow/schema';
import { CATALOGUE_PROVIDERS, loadCatalogue } from './catalogue';
import type { PriceTable } from './model-price';

type FlowPrices = Flow['prices'];

/** The flow's own price of `model`, if it declares one. */
export function flowPrice(prices: FlowPrices, model: string): PriceTable | null {
  const spec: PriceSpec | undefined = prices && Object.hasOwn(prices, model) ? prices[model] : undefined;
  if (!spec) return null;
  return { source: 'flow', base: { input: spec.input, output: spec.output, ...(spec.cached_input !== undefined ? { cachedInput: spec.cached_input } : {}) }, tiers: [] };
}

/** Whether pricing `model` needs the catalogue (no flow price, a provider the catalogue covers). */
export function needsCatalogue(prices: FlowPrices, model: string): boolean {
  return flowPrice(prices, model) === null && Object.hasOwn(CATALOGUE_PROVIDERS, providerOf(model));
}

export async function priceFor(model: string, prices: FlowPrices): Promise<PriceTable | null> {
  const own = flowPrice(prices, model);
  if (own) return own;
  if (!needsCatalogue(prices, model)) return null;
  const colon = model.indexOf(':');
  return (await loadCatalogue()).price(model.slice(0, colon), model.slice(colon + 1));
}

function providerOf(model: string): string {
  const colon = model.indexOf(':');
  return colon < 0 ? model : model.slice(0, colon);
}
