/**
 * JSON another party answers to a listing or a probe (a provider's `/models`, a local
 * server's `/api/tags`, `/props`…): bounded in time and in size, like every answer that
 * is not ours. One function for the model list, Settings' endpoint test and local-server
 * detection.
 */
import { request, type Dispatcher } from 'undici';
import { readTextAtMost } from '../http/bounded-body';

/** The most of one answer read: model lists run to a few hundred KB (OpenRouter's, the longest, about 1 MB). */
export const MAX_JSON_ANSWER_BYTES = 8 * 1024 * 1024;

/** An answer that came but cannot be used (too large, not JSON). */
export class BadAnswerError extends Error {
  override name = 'BadAnswerError';
}

export interface JsonAnswer {
  status: number;
  /** The parsed answer; null for an HTTP error status (its body is not read as JSON). */
  json: unknown;
}

export interface JsonRequest {
  headers?: Record<string, string>;
  /** Sent as JSON with POST; without it the request is a GET. */
  body?: unknown;
  timeoutMs: number;
  maxBytes?: number;
  dispatcher?: Dispatcher;
}

/** Asks `url` for JSON; throws the request's own error (unreachable, `TimeoutError`) or a BadAnswerError. */
export async function fetchJson(url: string, options: JsonRequest): Promise<JsonAnswer> {
  const maxBytes = options.maxBytes ?? MAX_JSON_ANSWER_BYTES;
  const post = options.body !== undefined;
  const headers = { accept: 'application/json', ...options.headers, ...(post ? { 'content-type': 'application/json' } : {}) };
  const res = await request(url, {
    method: post ? 'POST' : 'GET',
    headers,
    body: post ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(options.timeoutMs),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  if (res.statusCode >= 400) {
    await res.body.dump(); // undici reads at most 128 KiB of it, then closes the connection
    return { status: res.statusCode, json: null };
  }
  const { text, truncated } = await readTextAtMost(res.body, maxBytes);
  const where = new URL(url).pathname;
  if (truncated) throw new BadAnswerError(`the answer of ${where} is larger than ${maxBytes} bytes`);
  try {
    return { status: res.statusCode, json: JSON.parse(text) as unknown };
  } catch {
    throw new BadAnswerError(`the answer of ${where} is not JSON`);
  }
}
