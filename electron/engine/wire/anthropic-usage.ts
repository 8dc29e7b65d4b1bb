import type { Usage } from '../../../shared/trajectory';

/**
 * Anthropic's token usage in the OpenAI (and trajectory) shape. Anthropic counts cached
 * input apart from `input_tokens` (cache writes and cache reads); OpenAI's `prompt_tokens`
 * includes it, so the three are added up.
 */
export function usageFromAnthropic(usage: Record<string, unknown>): Usage {
  const count = (key: string) => {
    const n = Number(usage[key] ?? 0);
    return Number.isFinite(n) ? n : 0;
  };
  const prompt = count('input_tokens') + count('cache_creation_input_tokens') + count('cache_read_input_tokens');
  const completion = count('output_tokens');
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
