/**
 * What a model call costs: a small table of list prices (USD per million tokens) for the
 * models agents commonly use, matched by the longest model-name prefix (the provider
 * prefix removed), and overridable per model in Settings (`modelPrices`). Cached input is
 * billed at its own rate where the provider has one; a model priced nowhere costs null.
 */
import type { Usage } from '../wire';

export interface ModelPrice {
  /** USD per million input tokens (uncached). */
  input: number;
  /** USD per million output tokens (reasoning included). */
  output: number;
  /** USD per million input tokens read from a prompt cache (default: the input price). */
  cachedInput?: number;
}

export type PriceTable = Record<string, ModelPrice>;

export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.31 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
};

/** The price of `model` (`openai/gpt-4o-2024-08-06` → gpt-4o's): an override for the exact name first, then the longest matching prefix. */
export function priceOf(model: string, overrides: PriceTable = {}): ModelPrice | null {
  const bare = model.slice(model.lastIndexOf('/') + 1);
  const exact = overrides[model] ?? overrides[bare];
  if (exact) return exact;
  const table = { ...DEFAULT_PRICES, ...overrides };
  const match = Object.keys(table)
    .filter((prefix) => bare.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  return match ? table[match] : null;
}

/** A call's cost in USD, or null when the model has no price. */
export function costOf(model: string, usage: Usage, overrides?: PriceTable): number | null {
  const price = priceOf(model, overrides);
  if (!price) return null;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const usd = ((usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1e6;
  return Math.round(usd * 1e8) / 1e8;
}
