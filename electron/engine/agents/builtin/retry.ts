/**
 * Bounded retries for model requests: exponential backoff with jitter on 429, 408/409,
 * 5xx and network failures; a `retry-after` header (seconds or HTTP date, or
 * `retry-after-ms`) wins over the computed delay, up to `maxDelayMs`.
 */
import { backoffMs, retryAfterMs } from '../../base/retry-policy';
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

import type { RetryPolicy } from './retry-policy';

export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** No answer within the idle timeout; retried like a network failure. */
export class ModelTimeoutError extends Error {
  constructor(ms: number) {
    super(`no response from the model for ${Math.round(ms / 1000)} s`);
    this.name = 'ModelTimeoutError';
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e.name === 'TypeError' && /terminated|fetch failed/.test(e.message)) return true;
  }
  return false;
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionError || err instanceof ModelTimeoutError) return true;
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    // A 2xx "error" is the SDK reporting an error event inside a stream: worth another try.
    return status === 408 || status === 409 || status === 429 || status >= 500 || (status >= 200 && status < 300);
  }
  return isNetworkFailure(err);
}

/** The delay the server asked for, in ms (OpenAI's `retry-after-ms` first, then `retry-after`), or null. */
export function requestedDelayMs(err: unknown, now = Date.now()): number | null {
  if (!(err instanceof APIError) || !err.headers) return null;
  const ms = Number(err.headers.get('retry-after-ms'));
  if (err.headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  return retryAfterMs(err.headers.get('retry-after'), now);
}

/** Delay before try `attempt + 1` (attempt counts from 1): the server's when it asked, else the backoff with jitter. */
export function backoffDelayMs(err: unknown, attempt: number, policy: RetryPolicy, random = Math.random): number {
  const asked = requestedDelayMs(err);
  if (asked !== null) return Math.min(asked, policy.maxDelayMs);
  return backoffMs(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: true }, random);
}

/** A one-line reason, e.g. "429 Rate limit reached…" or "connection reset". */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: unknown;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new APIUserAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(attempts > 1 ? `model request failed after ${attempts} attempts: ${describeError(lastError)}` : `model request failed: ${describeError(lastError)}`);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Runs `fn(attempt)` until it succeeds, a failure is not retryable, or the tries run out
 * (then throws RetriesExhaustedError). A cancelled `signal` is rethrown as is.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (notice: RetryNotice) => void,
): Promise<{ value: T; attempt: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempt };
    } catch (err) {
      if (signal.aborted) throw err;
      if (!isRetryable(err) || attempt >= policy.maxAttempts) throw new RetriesExhaustedError(attempt, err);
      const delayMs = backoffDelayMs(err, attempt, policy);
      onRetry({ attempt, delayMs, error: err });
      await sleep(delayMs, signal);
    }
  }
}
