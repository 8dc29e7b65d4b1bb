import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { Usage } from '../../../shared/trajectory';
import { TRAJECTORY_ID_HEADER, type Passthrough } from '../proxy';
import { PermanentStepError, RetryableStepError } from './templates/types';

type Json = Record<string, unknown>;

export interface ModelReply {
  /** The OpenAI-shaped completion. */
  completion: Json;
  usage: Usage | null;
  /** The passthrough trajectory that recorded the call. */
  callId: string | null;
}

/** One chat completion through the passthrough. Throws RetryableStepError (429, 5xx, network) or PermanentStepError (4xx). */
export interface ModelClient {
  chat(body: Json, options: { idempotencyKey: string; signal: AbortSignal }): Promise<ModelReply>;
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

/** The provider's message out of an OpenAI-shaped error body. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text is the message
  }
  return text.slice(0, 500);
}

/**
 * The passthrough reached over loopback HTTP: a private listener on 127.0.0.1 hands each
 * request to `passthrough.handle` (its public function), so workflow model calls are
 * relayed, converted per provider and recorded exactly like any client's call. The
 * listener starts on the first call.
 */
export function createModelClient(passthrough: Passthrough): ModelClient {
  let listening: Promise<{ server: http.Server; url: string }> | null = null;
  const listen = () =>
    (listening ??= new Promise((resolve, reject) => {
      const server = http.createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => {
          const raw = Buffer.concat(parts);
          passthrough.handle(res, JSON.parse(raw.toString('utf8')) as Json, raw, req.headers).catch((error: unknown) => {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { message: String(error) } }));
          });
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions` }));
    }));

  return {
    async chat(body, { idempotencyKey, signal }) {
      const { url } = await listen();
      let response;
      try {
        response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: idempotencyKey },
          body: JSON.stringify({ ...body, stream: false }),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new RetryableStepError(`cannot reach the passthrough: ${(error as Error).message}`);
      }
      const text = await response.body.text();
      const status = response.statusCode;
      if (status >= 400) {
        const message = `model call failed with ${status}: ${errorMessage(text)}`;
        if (status === 429 || status >= 500 || status === 408) throw new RetryableStepError(message, retryAfterMs(response.headers['retry-after']));
        throw new PermanentStepError(message);
      }
      const completion = JSON.parse(text) as Json;
      const callId = response.headers[TRAJECTORY_ID_HEADER.toLowerCase()];
      return { completion, usage: usageOf(completion), callId: typeof callId === 'string' ? callId : null };
    },
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
