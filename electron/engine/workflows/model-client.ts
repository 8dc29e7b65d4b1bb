import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { Usage } from '../../../shared/trajectory';
import { TRAJECTORY_ID_HEADER, type Passthrough, type RestCall } from '../proxy';
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
  close(): Promise<void>;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

function usageOf(completion: Json): Usage | null {
  const u = completion.usage as Json | undefined;
  if (!u || typeof u.prompt_tokens !== 'number') return null;
  const prompt = u.prompt_tokens;
  const output = typeof u.completion_tokens === 'number' ? u.completion_tokens : 0;
  return { prompt_tokens: prompt, completion_tokens: output, total_tokens: typeof u.total_tokens === 'number' ? u.total_tokens : prompt + output, cost_usd: typeof u.cost === 'number' ? u.cost : null };
}

function retryAfterMs(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * The passthrough reached over loopback HTTP: a private listener on 127.0.0.1 hands each
 * request to `passthrough.handle` (its public function), so workflow model calls are
 * relayed, converted per provider and recorded exactly like any client's call. The
 * listener starts on the first call.
 */
/** Where the private listener sends a request: chat completions, a native Gemini call, or a REST call (its RestCall as the body). */
const GEMINI_ROUTE = '/gemini/';
const REST_ROUTE = '/rest';

export function createModelClient(passthrough: Passthrough): ModelClient {
  let listening: Promise<{ server: http.Server; origin: string }> | null = null;
  const route = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    const body = JSON.parse(raw.toString('utf8')) as Json;
    const url = req.url ?? '';
    if (url.startsWith(GEMINI_ROUTE)) {
      return passthrough.handleCall(res, { api: 'gemini', body, raw, headers: req.headers, urlModel: { model: decodeURIComponent(url.slice(GEMINI_ROUTE.length)), stream: false } });
    }
    if (url === REST_ROUTE) return passthrough.handleRest(res, { ...(body as unknown as RestCall), headers: req.headers });
    return passthrough.handle(res, body, raw, req.headers);
  };
  const listen = () =>
    (listening ??= new Promise((resolve, reject) => {
      const server = http.createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => {
          route(req, res, Buffer.concat(parts)).catch((error: unknown) => {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { message: String(error) } }));
          });
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    }));

  /** POSTs to the listener; the provider's JSON answer, or the error it is (retryable or not). */
  async function call(path: string, body: Json, what: string, { idempotencyKey, signal }: CallOptions, headers: Record<string, string> = {}): Promise<ProviderReply> {
    const { origin } = await listen();
    let response;
    try {
      response = await request(`${origin}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: idempotencyKey },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RetryableStepError(`cannot reach the passthrough: ${(error as Error).message}`);
    }
    const text = await response.body.text();
    const status = response.statusCode;
    if (status >= 400) {
      const message = `${what} failed with ${status}: ${restErrorMessage(status, text)}`;
      if (status === 429 || status >= 500 || status === 408) throw new RetryableStepError(message, retryAfterMs(response.headers['retry-after']));
      throw new PermanentStepError(message);
    }
    const callId = response.headers[TRAJECTORY_ID_HEADER.toLowerCase()];
    return { body: JSON.parse(text) as Json, callId: typeof callId === 'string' ? callId : null };
  }

  return {
    async chat(body, options) {
      const reply = await call('/v1/chat/completions', { ...body, stream: false }, 'model call', options);
      return { completion: reply.body, usage: usageOf(reply.body), callId: reply.callId };
    },
    gemini: (model, body, options) => call(`${GEMINI_ROUTE}${encodeURIComponent(model)}`, body, 'gemini call', options),
    rest: ({ headers, ...rest }, options) => call(REST_ROUTE, rest as unknown as Json, `${rest.api} call`, options, headers),
    async close() {
      if (!listening) return;
      const { server } = await listening;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
