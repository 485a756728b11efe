/**
 * The model price catalogue: `@pydantic/genai-prices`, which ships its price data in the
 * package (no network: its optional remote update is never called). It matches the
 * model ids providers use, dated snapshots and aliases included ("gpt-4o-mini-2024-07-18"
 * and "claude-haiku-4-5-20251001" find their entries), knows cache read/write prices and
 * long-context tiers, and keeps past prices by date.
 *
 * It is about 800 kB of JavaScript, so it loads on first use only (`loadCatalogue`):
 * when a step of an openai or anthropic model without a flow price is priced, or when a
 * flow with `budget.usd` is validated. `waymark validate` of other flows never loads it.
 */
import type { ModelPrice, PriceTable } from './model-price';

/** Waymark's built-in providers that have catalogue prices, by the catalogue's provider id. */
export const CATALOGUE_PROVIDERS: Readonly<Record<string, string>> = { openai: 'openai', anthropic: 'anthropic' };

export interface Catalogue {
  /** The catalogue's price of `modelId` at `provider` (a Waymark provider name) now; null when it has none. */
  price(provider: string, modelId: string): PriceTable | null;
}

type GenaiPrices = typeof import('@pydantic/genai-prices');
type Tiered = { base: number; tiers: { start: number; price: number }[] };
type RawPrice = number | Tiered | undefined;

let loading: Promise<Catalogue> | undefined;

/** Loads the catalogue once per process. */
export function loadCatalogue(): Promise<Catalogue> {
  loading ??= import('@pydantic/genai-prices').then((lib) => catalogueOf(lib));
  return loading;
}

function catalogueOf(lib: GenaiPrices): Catalogue {
  const cache = new Map<string, PriceTable | null>();
  return {
    price(provider, modelId) {
      const providerId = CATALOGUE_PROVIDERS[provider];
      if (!providerId) return null;
      const key = `${providerId}\u0000${modelId}`;
      if (!cache.has(key)) cache.set(key, lookup(lib, providerId, modelId));
      return cache.get(key) ?? null;
    },
  };
}

function lookup(lib: GenaiPrices, providerId: string, modelId: string): PriceTable | null {
  let found: ReturnType<GenaiPrices['calcPrice']>;
  try {
    found = lib.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { providerId });
  } catch {
    return null; // no match: the catalogue throws for some unknown ids, returns null for others
  }
  const raw = found?.model_price as Record<string, RawPrice> | undefined;
  if (!raw || raw.input_mtok === undefined || raw.output_mtok === undefined) return null;
  const keys = { input: raw.input_mtok, output: raw.output_mtok, cachedInput: raw.cache_read_mtok, cacheWrite: raw.cache_write_mtok };
  const starts = [...new Set(Object.values(keys).flatMap((v) => (isTiered(v) ? v.tiers.map((t) => t.start) : [])))].sort((a, b) => a - b);
  return {
    source: 'catalogue',
    base: priceOf(keys, -1),
    tiers: starts.map((start) => ({ above: start, price: priceOf(keys, start) })),
  };
}

/** Each key's price for requests over `start` input tokens (-1: the base price). */
function priceOf(keys: Record<keyof ModelPrice, RawPrice>, start: number): ModelPrice {
  const at = (v: RawPrice): number | undefined => {
    if (!isTiered(v)) return v;
    let price = v.base;
    for (const tier of v.tiers) if (start >= tier.start) price = tier.price;
    return price;
  };
  const cachedInput = at(keys.cachedInput);
  const cacheWrite = at(keys.cacheWrite);
  return {
    input: at(keys.input) as number,
    output: at(keys.output) as number,
    ...(cachedInput !== undefined ? { cachedInput } : {}),
    ...(cacheWrite !== undefined ? { cacheWrite } : {}),
  };
}

function isTiered(v: RawPrice): v is Tiered {
  return typeof v === 'object' && v !== null && typeof v.base === 'number' && Array.isArray(v.tiers);
}
