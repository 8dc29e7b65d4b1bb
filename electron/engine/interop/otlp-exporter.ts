/**
 * OTLP/HTTP JSON export of spans, built so that a slow, failing or absent collector costs
 * the runs nothing: `export` only appends to a bounded queue (O(1), never awaits); one
 * request at a time sends a batch, bounded in time, retried with the engine's backoff a
 * few times, then dropped. What was dropped (a full queue, a batch out of retries) is
 * counted and shown with the rest (`stats`).
 */
import { backoffMs, type Backoff } from '../base/retry-policy';
import { VERSION } from '../base/version';
import type { OtlpSpan } from './otel-spans';

export interface OtlpExporterOptions {
  /** The collector's base URL (`http://127.0.0.1:4318`), or its whole `/v1/traces` URL. */
  endpoint: string;
  headers?: Record<string, string>;
  maxQueueSpans?: number;
  batchSpans?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: Backoff;
  /** How long spans wait for others to join their batch. */
  lingerMs?: number;
}

export interface OtlpStats {
  endpoint: string;
  queued: number;
  /** Spans in the request being sent (or retried) now. */
  sending: number;
  sent: number;
  dropped: number;
  failedRequests: number;
  lastError: string | null;
}

const DEFAULTS = { maxQueueSpans: 20_000, batchSpans: 512, timeoutMs: 5_000, maxAttempts: 3, backoff: { baseMs: 500, maxMs: 10_000, jitter: true }, lingerMs: 200 };

/** Where spans go: `<base>/v1/traces`. */
export const tracesUrl = (endpoint: string) => (/\/v1\/traces\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`);

export function otlpBody(spans: OtlpSpan[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'jetty-desktop' } }, { key: 'service.version', value: { stringValue: VERSION } }] },
        scopeSpans: [{ scope: { name: 'jetty-desktop', version: VERSION }, spans }],
      },
    ],
  };
}

export function createOtlpExporter(options: OtlpExporterOptions) {
  const o = { ...DEFAULTS, ...options };
  const url = tracesUrl(o.endpoint);
  let queue: OtlpSpan[] = [];
  const stats: OtlpStats = { endpoint: url, queued: 0, sending: 0, sent: 0, dropped: 0, failedRequests: 0, lastError: null };
  let timer: NodeJS.Timeout | null = null;
  let sending: Promise<void> | null = null;
  let closed = false;

  async function post(batch: OtlpSpan[]): Promise<boolean> {
    for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...o.headers },
          body: JSON.stringify(otlpBody(batch)),
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return true;
        stats.lastError = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 429 && res.status !== 408) break;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        stats.lastError = (error as Error).name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (cause?.code ?? (error as Error).message);
      }
      stats.failedRequests++;
      if (attempt < o.maxAttempts && !closed) await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, o.backoff)).unref());
    }
    return false;
  }

  function schedule(delay: number): void {
    if (timer || sending || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      sending = (async () => {
        while (queue.length > 0) {
          const batch = queue.slice(0, o.batchSpans);
          queue = queue.slice(batch.length);
          stats.queued = queue.length;
          stats.sending = batch.length;
          if (await post(batch)) stats.sent += batch.length;
          else stats.dropped += batch.length;
          stats.sending = 0;
          if (closed) break;
        }
      })().finally(() => {
        sending = null;
        schedule(o.lingerMs);
      });
    }, delay);
    timer.unref();
  }

  return {
    /** Queues spans to send; past the queue's bound they are dropped (counted). Never waits. */
    export(spans: OtlpSpan[]): void {
      const room = Math.max(0, o.maxQueueSpans - queue.length);
      if (spans.length > room) stats.dropped += spans.length - room;
      queue.push(...spans.slice(0, room));
      stats.queued = queue.length;
      schedule(o.lingerMs);
    },
    stats: (): OtlpStats => ({ ...stats }),
    /** Sends what is queued now and waits for it (tests, a CLI run's end). */
    async flush(): Promise<void> {
      for (let i = 0; i < 1000 && (queue.length > 0 || sending || timer); i++) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
          schedule(0);
        }
        await (sending ?? new Promise((resolve) => setTimeout(resolve, 5)));
      }
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      stats.dropped += queue.length;
      queue = [];
    },
  };
}
export type OtlpExporter = ReturnType<typeof createOtlpExporter>;
