import type { IncomingHttpHeaders } from 'node:http';
import { retryAfterMs } from '../base/retry-policy';
import { decodeUsage } from '../wire/chat-completions';
import { isObject } from '../wire/internal';
import { trajectoryUsage } from '../wire/trajectory-usage';
import type { Usage } from '../../../shared/trajectory';
import { TRAJECTORY_ID_HEADER, type Passthrough, type RestCall } from '../proxy';
import { collectingSink, type ResponseSink } from '../proxy/response-sink';
import { restErrorMessage } from '../proxy/rest-apis';
import { PermanentStepError, RetryableStepError } from './templates/types';

type Json = Record<string, unknown>;

export interface ModelReply {
  /** The OpenAI-shaped completion. */
  completion: Json;
  usage: Usage | null;
  /** The passthrough trajectory that recorded the call. */
  callId: string | null;
}

/** A provider's JSON answer through the passthrough, and the passthrough trajectory that recorded the call. */
export interface ProviderReply {
  body: Json;
  callId: string | null;
}

/** A call in a provider's own REST API (OpenAI Images, Replicate), as the passthrough relays it. */
export type RestRequest = Omit<RestCall, 'headers'> & { headers?: Record<string, string> };

export interface CallOptions {
  idempotencyKey: string;
  signal: AbortSignal;
}

/**
 * Model and provider calls through the passthrough. Each throws RetryableStepError (429,
 * 5xx, network) or PermanentStepError (other 4xx) with the provider's message.
 */
export interface ModelClient {
  /** One chat completion. */
  chat(body: Json, options: CallOptions): Promise<ModelReply>;
  /** One Gemini generateContent call in Gemini's own API (its answer untranslated: image parts stay). */
  gemini(model: string, body: Json, options: CallOptions): Promise<ProviderReply>;
  /** One call in a provider's own REST API. */
  rest(request: RestRequest, options: CallOptions): Promise<ProviderReply>;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** A chat completion's usage as the wire decodes it, with the cost a provider such as OpenRouter reports in it. */
function usageOf(completion: Json): Usage | null {
  const u = completion.usage;
  if (!isObject(u) || typeof u.prompt_tokens !== 'number') return null;
  return { ...trajectoryUsage(decodeUsage(u)), cost_usd: typeof u.cost === 'number' ? u.cost : null };
}

/** How an in-process call reaches the relay: chat completions, a native Gemini call, or a provider's own REST call. */
type Relayed = (sink: ResponseSink, headers: IncomingHttpHeaders) => Promise<void>;

/**
 * The passthrough called in process: each call hands the relay a sink that collects its
 * answer, so workflow model calls are relayed, converted per provider and recorded exactly
 * like any client's call, with no socket anyone else could reach.
 */
export function createModelClient(passthrough: Passthrough): ModelClient {
  /** One call through the relay; the provider's JSON answer, or the error it is (retryable or not). */
  async function call(relayed: Relayed, what: string, { idempotencyKey, signal }: CallOptions, headers: Record<string, string> = {}): Promise<ProviderReply> {
    const { sink, answer } = collectingSink(signal);
    const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    let reply;
    try {
      const relaying = relayed(sink, { ...lowered, [IDEMPOTENCY_HEADER.toLowerCase()]: idempotencyKey });
      [reply] = await Promise.all([answer, relaying]);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RetryableStepError(`the passthrough failed: ${(error as Error).message}`);
    }
    const text = reply.body.toString('utf8');
    const { status } = reply;
    if (status >= 400) {
      const message = `${what} failed with ${status}: ${restErrorMessage(status, text)}`;
      if (status === 429 || status >= 500 || status === 408) throw new RetryableStepError(message, retryAfterMs(reply.headers['retry-after']));
      throw new PermanentStepError(message);
    }
    const callId = reply.headers[TRAJECTORY_ID_HEADER.toLowerCase()];
    return { body: JSON.parse(text) as Json, callId: callId ?? null };
  }

  const json = (body: Json) => Buffer.from(JSON.stringify(body));

  return {
    async chat(body, options) {
      const request = { ...body, stream: false };
      const reply = await call((sink, headers) => passthrough.handle(sink, request, json(request), headers), 'model call', options);
      return { completion: reply.body, usage: usageOf(reply.body), callId: reply.callId };
    },
    gemini: (model, body, options) =>
      call((sink, headers) => passthrough.handleCall(sink, { api: 'gemini', body, raw: json(body), headers, urlModel: { model, stream: false } }), 'gemini call', options),
    rest: ({ headers, ...rest }, options) => call((sink, forwarded) => passthrough.handleRest(sink, { ...rest, headers: forwarded }), `${rest.api} call`, options, headers),
  };
}
