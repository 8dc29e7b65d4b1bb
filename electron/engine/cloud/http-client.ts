import { backoffMs, retryAfterMs } from '../base/retry-policy';
import { linkedSignal } from '../base/linked-signal';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { readAtMost, readTextAtMost } from '../http/bounded-body';
import { parseJsonInput } from '../http/json-input';
import { CLOUD_LIMITS } from './limits';
import { kindOfStatus, RemoteError, remoteMessage } from './remote-error';
import { redactToken } from './token-file';

export interface HttpClientOptions {
  baseUrl: string;
  /** The bearer token, read at each request (null: signed out). */
  token: () => string | null;
  /** Time to the response headers, and between body chunks of a plain request. Default CLOUD_LIMITS.idleMs. */
  timeoutMs?: number;
  /** The largest JSON answer read (default CLOUD_LIMITS.answerBytes) and the most of an error body read (CLOUD_LIMITS.errorBodyBytes). */
  answerBytes?: number;
  /** The most a JSON answer may take in all, retries included (default CLOUD_LIMITS.requestMs). */
  requestMs?: number;
  errorBodyBytes?: number;
  /** Retries after a 429 or 5xx (never after another 4xx). Default 4. */
  retries?: number;
  /** First backoff delay, doubled at each retry up to `maxDelayMs`. Defaults 500 ms and 15 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest `retry-after` honoured; a longer one fails at once (rate_limited). Default 60 s. */
  maxRetryAfterMs?: number;
  /** Parallel connections to the remote. Default 16. */
  connections?: number;
  /** Told before each retry (status, delay), e.g. for a progress line. */
  onRetry?(info: { status: number; delayMs: number; attempt: number; path: string }): void;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  /** Bytes sent as they are, with their media type (a folder's tar). */
  raw?: { bytes: Buffer; contentType: string };
  /** Sent as `Idempotency-Key`, so the remote can tell a retry from a new request. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** A streaming answer (server-sent events): no body timeout, the caller reads it. */
  stream?: boolean;
  /** Stops the request (and its retries) when aborted: a pull's overall deadline, a follow that ends. */
  signal?: AbortSignal;
  /** For `json`: the largest answer read (default: the client's `answerBytes`). */
  maxBytes?: number;
}

export interface RemoteResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * A remote's JSON answer, parsed after its nesting is checked (one linear scan): deeply
 * nested text costs `JSON.parse` far more per byte than any real answer (2 MiB of `[` take
 * ~100 ms), and would overflow the stack of the code that reads it after.
 */
export function parseRemoteJson(what: string, bytes: Buffer, status: number | null = null): unknown {
  try {
    return parseJsonInput(bytes.toString('utf8'));
  } catch (error) {
    throw new RemoteError('server', `${what}: the remote's answer is ${(error as Error).message}; the remote is misbehaving (check JETTY_API_URL)`, status);
  }
}

/**
 * The one HTTP client to a remote Jetty: bearer token, timeouts, and retries with
 * exponential backoff on 429 (waiting `retry-after` when given) and 5xx, never on other
 * 4xx. No answer at all is `offline` at once (the outbox retries later). The token
 * appears in no error message.
 */
export function createHttpClient(options: HttpClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? CLOUD_LIMITS.idleMs;
  const answerBytes = options.answerBytes ?? CLOUD_LIMITS.answerBytes;
  const errorBodyBytes = options.errorBodyBytes ?? CLOUD_LIMITS.errorBodyBytes;
  const requestMs = options.requestMs ?? CLOUD_LIMITS.requestMs;
  const retries = options.retries ?? 4;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 15_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const agent = new Agent({ connections: options.connections ?? 16, headersTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });

  async function send(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions): Promise<RemoteResponse> {
    const token = options.token();
    if (!token) throw new RemoteError('signed_out', `not signed in to ${base}: run jetty login (or set the token in Settings)`);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...opts.headers };
    let body: string | Buffer | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.raw) {
      headers['content-type'] = opts.raw.contentType;
      body = opts.raw.bytes;
    } else if (opts.form) body = opts.form;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    try {
      const res = await request(`${base}${path}`, {
        method,
        headers,
        body,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: opts.stream ? 0 : timeoutMs,
        signal: opts.signal,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (error) {
      if (opts.signal?.aborted) throw stopped(method, path, opts.signal);
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      throw new RemoteError('offline', `${base} did not answer ${method} ${path} (${String(reason).replace(token, redactToken(token))})`);
    }
  }

  /** Why a request was stopped by its signal (the reason names the deadline that passed). */
  const stopped = (method: string, path: string, signal: AbortSignal): RemoteError => {
    const reason =
      signal.reason instanceof Error && signal.reason.name === 'TimeoutError'
        ? `it took longer than the ${Math.round(requestMs / 1000)} s one answer may take; try again later`
        : signal.reason instanceof Error && signal.reason.name !== 'AbortError'
          ? signal.reason.message
          : 'it was cancelled';
    return new RemoteError('offline', `${method} ${path} to ${base} stopped: ${reason}`);
  };

  /** The body of a failing answer, read only up to `errorBodyBytes`. */
  const errorText = async (res: RemoteResponse): Promise<string> => (await readTextAtMost(res.body, errorBodyBytes).catch(() => ({ text: '' }))).text;

  /** Sends, retrying 429 and 5xx; returns a 2xx response, else throws RemoteError with the remote's message. */
  async function call(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions = {}): Promise<RemoteResponse> {
    for (let attempt = 0; ; attempt++) {
      const res = await send(method, path, opts);
      if (res.status < 400) return res;
      const text = await errorText(res);
      const kind = kindOfStatus(res.status);
      const message = `${method} ${path}: ${res.status} ${remoteMessage(text)}`;
      if ((kind !== 'rate_limited' && kind !== 'server') || attempt >= retries) throw new RemoteError(kind, message, res.status);
      const after = res.status === 429 ? retryAfterMs(res.headers['retry-after']) : null;
      if (after !== null && after > maxRetryAfter) throw new RemoteError(kind, `${message} (retry after ${Math.ceil(after / 1000)} s)`, res.status);
      const delayMs = after ?? backoffMs(attempt + 1, { baseMs: baseDelay, maxMs: maxDelay });
      options.onRetry?.({ status: res.status, delayMs, attempt: attempt + 1, path });
      await sleep(delayMs, undefined, { signal: opts.signal }).catch(() => {
        throw stopped(method, path, opts.signal!);
      });
    }
  }

  /**
   * A 2xx answer's body, read whole but never more than `maxBytes`: a larger declared
   * length is refused before reading, a longer body is cut off and refused.
   */
  async function readAnswer(method: string, path: string, res: RemoteResponse, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    const tooLarge = () =>
      new RemoteError('server', `${method} ${path}: the remote's answer is larger than ${maxBytes} bytes, the most one answer may be; the remote is misbehaving (check JETTY_API_URL)`, res.status);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body.destroy();
      throw tooLarge();
    }
    try {
      // A declared length within the bound is what the HTTP layer delivers, no more: read it in one go.
      if (Number.isFinite(declared)) return Buffer.from(await res.body.arrayBuffer());
      const { bytes, truncated } = await readAtMost(res.body, maxBytes);
      if (truncated) throw tooLarge();
      return bytes;
    } catch (error) {
      if (error instanceof RemoteError) throw error;
      if (signal?.aborted) throw stopped(method, path, signal);
      throw new RemoteError('offline', `${method} ${path}: the answer from ${base} broke off (${(error as { code?: string }).code ?? (error as Error).message}); try again`);
    }
  }

  return {
    baseUrl: base,
    call,
    /** A JSON answer (an empty body is null). */
    async json(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions = {}): Promise<unknown> {
      // One timer for the whole answer.
      const limit = linkedSignal([opts.signal], { ms: requestMs, message: 'the answer took too long' });
      let bytes: Buffer;
      let status: number;
      try {
        const res = await call(method, path, { ...opts, signal: limit.signal });
        status = res.status;
        bytes = await readAnswer(method, path, res, opts.maxBytes ?? answerBytes, limit.signal);
      } finally {
        limit.dispose();
      }
      if (bytes.length === 0) return null;
      return parseRemoteJson(`${method} ${path}`, bytes, status);
    },
    readAnswer,
    close: () => agent.close(),
  };
}
export type HttpClient = ReturnType<typeof createHttpClient>;
export { FormData };
