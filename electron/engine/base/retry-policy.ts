/**
 * The one retry policy of the engine: exponential backoff (with jitter where many clients
 * retry together) and the `retry-after` a server asks for. Model calls (the built-in
 * agent, workflow steps), the cloud client, its outbox and the storage upload queue all
 * wait this way.
 */

export interface Backoff {
  /** The first delay. */
  baseMs: number;
  /** No delay is longer. */
  maxMs: number;
  /** Keep a random 50–100 % of each delay, so clients retrying together spread out. */
  jitter?: boolean;
}

/** The largest exponent taken (2^30 of any base is past every cap). */
const MAX_DOUBLINGS = 30;

/** The delay before retry number `retry` (1 = the first retry): base × 2^(retry − 1), capped at max. */
export function backoffMs(retry: number, { baseMs, maxMs, jitter = false }: Backoff, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(retry - 1, 0), MAX_DOUBLINGS));
  return jitter ? Math.round(step * (0.5 + random() * 0.5)) : step;
}

/** A `retry-after` header's wait in ms: seconds (fractions allowed) or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | readonly string[] | null | undefined, now = Date.now()): number | null {
  const text = typeof value === 'string' ? value : value?.[0];
  if (!text) return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
