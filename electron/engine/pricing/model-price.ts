/**
 * A model's price and what one step costs at it. Prices are USD per million tokens, as
 * providers publish them. Cached input defaults to the input price; so do prompt-cache
 * writes (a catalogue entry may set both). Reasoning tokens are output tokens and cost
 * the output price: no catalogue Waymark reads prices them apart.
 *
 * Some catalogue prices change with the size of a request (long-context tiers: past
 * 200k input tokens every token of the step costs more); `tiers` holds those, and a step
 * is priced at the tier its input size falls in.
 */
import type { Usage } from '../../../shared/events';

export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}

export interface PriceTable {
  /** Where the price comes from: the flow's `prices:` or the catalogue. */
  source: 'flow' | 'catalogue';
  base: ModelPrice;
  /** Prices for a step with more than `above` input tokens, in increasing `above` order. */
  tiers: { above: number; price: ModelPrice }[];
}

/** The price that applies to a step with `inputTokens` input tokens. */
export function priceAt(table: PriceTable, inputTokens: number): ModelPrice {
  let price = table.base;
  for (const tier of table.tiers) if (inputTokens > tier.above) price = tier.price;
  return price;
}

/** The step's cost in USD at `table`. */
export function stepCost(usage: Usage, table: PriceTable): number {
  const price = priceAt(table, usage.inputTokens);
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const plain = usage.inputTokens - cached - written;
  const micro = plain * price.input + cached * (price.cachedInput ?? price.input) + written * (price.cacheWrite ?? price.input) + usage.outputTokens * price.output;
  return micro / 1_000_000;
}

/** The most a request can cost: its input at the input price, plus `maxOutputTokens` at the output price when known. */
export function worstCaseCost(table: PriceTable, inputTokens: number, maxOutputTokens = 0): number {
  const price = priceAt(table, inputTokens);
  return (inputTokens * price.input + maxOutputTokens * price.output) / 1_000_000;
}
