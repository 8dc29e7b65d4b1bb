import { fromAnthropicError } from './anthropic-response';
import type { WireFormat } from './providers';

/** OpenAI's error body: what every OpenAI client knows how to read. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiError(message: string, type: string, code: string | null = null): OpenAiErrorBody {
  return { error: { message, type, param: null, code } };
}

/** A provider's error response, whatever its shape, as an OpenAI error body. */
export function normaliseUpstreamError(text: string, status: number, wire: WireFormat, provider: string): OpenAiErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const detail = text.trim().slice(0, 500);
    return openAiError(`${provider} returned HTTP ${status}${detail ? `: ${detail}` : ''}`, 'upstream_error');
  }
  if (wire === 'anthropic') return fromAnthropicError(parsed, status) as unknown as OpenAiErrorBody;
  const error = (parsed as { error?: unknown })?.error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    const e = error as Record<string, unknown>;
    return {
      error: {
        message: e.message as string,
        type: typeof e.type === 'string' ? e.type : 'upstream_error',
        param: typeof e.param === 'string' ? e.param : null,
        code: typeof e.code === 'string' ? e.code : e.code === undefined || e.code === null ? null : String(e.code),
      },
    };
  }
  return openAiError(`${provider} returned HTTP ${status}: ${text.slice(0, 500)}`, 'upstream_error');
}
