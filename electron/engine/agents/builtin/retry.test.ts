import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryable, ModelTimeoutError, RetriesExhaustedError, requestedDelayMs, withRetry } from './retry';

const httpError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error: { message: `status ${status}` } }, undefined, new Headers(headers));
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retry policy', () => {
  it('retries rate limits, server errors, timeouts and network failures, not client errors or aborts', () => {
    expect([429, 500, 502, 503, 408].map((s) => isRetryable(httpError(s)))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 422].map((s) => isRetryable(httpError(s)))).toEqual([false, false, false, false, false]);
    expect(isRetryable(new APIConnectionError({ message: 'down' }))).toBe(true);
    expect(isRetryable(new ModelTimeoutError(1000))).toBe(true);
    expect(isRetryable(Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
    expect(isRetryable(new APIUserAbortError())).toBe(false);
    expect(isRetryable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
  });

  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(requestedDelayMs(httpError(429, { 'retry-after': '3' }))).toBe(3000);
    expect(requestedDelayMs(httpError(429, { 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(requestedDelayMs(httpError(429, { 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    expect(requestedDelayMs(httpError(429))).toBeNull();
    expect(requestedDelayMs(httpError(429, { 'retry-after': 'soon' }))).toBeNull();
  });

  it('backs off exponentially with jitter, within bounds, and honours retry-after up to the cap', () => {
    const err = httpError(500);
    expect([1, 2, 3].map((a) => backoffDelayMs(err, a, policy, () => 1))).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((a) => backoffDelayMs(err, a, policy, () => 0))).toEqual([50, 100, 200]);
    expect(backoffDelayMs(err, 10, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(httpError(429, { 'retry-after': '0.3' }), 1, policy, () => 0)).toBe(300);
    expect(backoffDelayMs(httpError(429, { 'retry-after': '60' }), 1, policy)).toBe(1000);
  });

  it('stops after maxAttempts and says how many tries failed', async () => {
    let calls = 0;
    const notices: number[] = [];
    const fastPolicy = { ...policy, baseDelayMs: 1 };
    const failing = withRetry(async () => {
      calls++;
      throw httpError(503);
    }, fastPolicy, new AbortController().signal, (n) => notices.push(n.attempt));
    await expect(failing).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(failing).rejects.toThrow('model request failed after 4 attempts: 503 status 503');
    expect(calls).toBe(4);
    expect(notices).toEqual([1, 2, 3]);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = withRetry(async () => {
      throw httpError(429, { 'retry-after': '30' });
    }, { ...policy, maxDelayMs: 60_000 }, controller.signal, () => setTimeout(() => controller.abort(), 20));
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
