/**
 * Provider APIs the passthrough relays as they are, without translation: OpenAI's Images
 * API and Replicate's predictions. Their calls are recorded like the wire APIs' calls; only
 * their error bodies need reading (for the recorded error).
 */
export type RestApiName = 'openai-images' | 'replicate';

export const isRestApi = (api: string): api is RestApiName => api === 'openai-images' || api === 'replicate';

/** The provider's message in an error body: OpenAI's `error.message`, Replicate's problem `detail` (or `title`). */
export function restErrorMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; detail?: unknown; title?: unknown };
    const candidates = [typeof body.error === 'object' ? body.error?.message : body.error, body.detail, body.title];
    const message = candidates.find((m): m is string => typeof m === 'string' && m !== '');
    if (message) return message;
  } catch {
    // not JSON: the text is the message
  }
  return text.slice(0, 500) || `HTTP ${status}`;
}
