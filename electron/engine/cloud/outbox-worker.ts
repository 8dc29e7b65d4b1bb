import { backoffMs } from '../base/retry-policy';
import type { Outbox, OutboxItem } from '../store';
import { RemoteError } from './remote-error';

export interface OutboxWorkerOptions {
  outbox: Outbox;
  /** Delivers one item; throws RemoteError (transient: kept pending) or any other error (failed for good). */
  deliver(item: OutboxItem): Promise<unknown>;
  /** After each delivery attempt: what the connection learnt. */
  observe?(error: RemoteError | null): void;
  /** The outbox changed (an item added, delivered, failed, retried or dropped). */
  onChange?(): void;
  /** First retry delay after a transient failure, doubled each time up to `maxRetryMs`. Defaults 1 s and 60 s. */
  retryMs?: number;
  maxRetryMs?: number;
}

type Outcome = { delivered: true; value: unknown } | { delivered: false; item: OutboxItem };

/**
 * Delivers the outbox in order, exactly once per item (each carries its idempotency key,
 * and is removed only after the remote accepted it). A transient failure (offline, 429,
 * 5xx) stops the drain and schedules a retry with backoff; 401 stops it until the next
 * sign-in, nothing dropped; any other refusal marks that item failed (with the remote's
 * message) and the drain goes on.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const { outbox } = options;
  const base = options.retryMs ?? 1000;
  const max = options.maxRetryMs ?? 60_000;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;
  const waiting = new Map<number, (outcome: Outcome) => void>();

  const settle = (seq: number, outcome: Outcome) => {
    waiting.get(seq)?.(outcome);
    waiting.delete(seq);
  };

  const schedule = () => {
    clearTimeout(timer);
    if (closed) return;
    const delay = backoffMs(failures + 1, { baseMs: base, maxMs: max });
    failures++;
    timer = setTimeout(() => void drain(), delay);
    timer.unref();
  };

  async function once(): Promise<void> {
    for (const item of outbox.list()) {
      if (closed) return;
      if (item.state !== 'pending') continue;
      try {
        const value = await options.deliver(item);
        outbox.remove(item.seq);
        failures = 0;
        options.observe?.(null);
        options.onChange?.();
        settle(item.seq, { delivered: true, value });
      } catch (error) {
        const remote = error instanceof RemoteError ? error : null;
        options.observe?.(remote);
        const message = (error as Error).message;
        const stop = remote && (remote.transient || remote.kind === 'unauthorized' || remote.kind === 'signed_out');
        outbox.recordFailure(item.seq, message, stop ? 'pending' : 'failed');
        options.onChange?.();
        settle(item.seq, { delivered: false, item: outbox.get(item.seq)! });
        if (stop) {
          if (remote.transient) schedule();
          return;
        }
      }
    }
  }

  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await once();
      } while (again && !closed);
    })().finally(() => (running = null));
    return running;
  }

  return {
    drain,
    /** Waits for this item's next delivery attempt. */
    outcome(seq: number): Promise<Outcome> {
      return new Promise((resolve) => waiting.set(seq, resolve));
    },
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
