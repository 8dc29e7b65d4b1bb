/**
 * Provider APIs the passthrough relays as they are, without translation: OpenAI's Images
 * API and Replicate's predictions. Their calls are recorded like the wire APIs' calls; only
 * their error bodies need reading (for the recorded error).
 */
export type RestApiName = 'openai-images' | 'replicate';

export const isRestApi = (api: string): api is RestApiName => api === 'openai-images' || api === 'replicate';

/**
 * What the recording keeps of a REST answer: an Images answer's base64 images are replaced
 * by their size (the workflow step that asked stores each image as an output file; a few
 * megabytes of base64 per call would otherwise sit in every recording).
 */
export function recordedRestResponse(api: RestApiName, body: unknown): unknown {
  if (api !== 'openai-images' || typeof body !== 'object' || body === null || !Array.isArray((body as { data?: unknown }).data)) return body;
  const data = (body as { data: unknown[] }).data.map((item) => {
    if (typeof item !== 'object' || item === null || typeof (item as { b64_json?: unknown }).b64_json !== 'string') return item;
    const { b64_json: b64, ...rest } = item as { b64_json: string };
    return { ...rest, b64_json_bytes: Buffer.byteLength(b64, 'base64') };
  });
  return { ...body, data };
}

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
