/**
 * What a call may spend, estimated before it goes (for the run budget's reservation): its
 * prompt, a token per 4 bytes of the request (generous for English and code), and its
 * largest answer, the request's own output limit in its API, else DEFAULT_OUTPUT_TOKENS.
 */
import type { WireApiName } from '../wire';
import { costOf, type PriceTable } from './pricing';
import type { SpendEstimate } from './run-budget';

type Json = Record<string, unknown>;

/** The output a call that names no limit is assumed to reach: a long answer, not a model's whole window. */
export const DEFAULT_OUTPUT_TOKENS = 4096;
const BYTES_PER_TOKEN = 4;

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null);

/** The request's own limit on output tokens, in its API's field. */
function outputLimit(api: WireApiName, body: Json): number | null {
  switch (api) {
    case 'chat-completions':
      return count(body.max_completion_tokens) ?? count(body.max_tokens);
    case 'completions':
      return count(body.max_tokens);
    case 'responses':
      return count(body.max_output_tokens);
    case 'anthropic-messages':
      return count(body.max_tokens);
    case 'gemini':
      return count((body.generationConfig as Json | undefined)?.maxOutputTokens);
  }
}

export function estimateCall(call: { api: WireApiName; body: Json; raw: Uint8Array }, model: string, prices: PriceTable): SpendEstimate {
  const inputTokens = Math.ceil(call.raw.length / BYTES_PER_TOKEN);
  const outputTokens = outputLimit(call.api, call.body) ?? DEFAULT_OUTPUT_TOKENS;
  return {
    tokens: inputTokens + outputTokens,
    costUsd: costOf(model, { inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, prices),
  };
}
