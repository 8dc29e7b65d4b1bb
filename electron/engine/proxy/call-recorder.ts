import { summariseCall, type CapturedCall, type PassthroughRecord } from './call-summary';

/** Where summarised calls go, a batch at a time (one store transaction per batch). */
export type PassthroughSink = (records: PassthroughRecord[]) => void;

export interface CallRecorder {
  /** Queues a finished call; returns at once (parsing and storing happen later). */
  record(call: CapturedCall): void;
  /** Writes everything queued now. */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

/**
 * Records passthrough calls off the hot path: a finished call is queued, and the queue is
 * summarised and handed to the sink in one batch after `flushMs` (or once `maxBatch`
 * calls are waiting). A failing sink is reported and the batch dropped: recording must
 * never break the proxy.
 */
export function createCallRecorder(options: {
  sink: PassthroughSink;
  flushMs?: number;
  maxBatch?: number;
  onError?: (error: unknown) => void;
}): CallRecorder {
  const flushMs = options.flushMs ?? 50;
  const maxBatch = options.maxBatch ?? 256;
  const onError = options.onError ?? ((error) => console.error('Recording passthrough calls failed:', error));
  let queue: CapturedCall[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      options.sink(batch.map(summariseCall));
    } catch (error) {
      onError(error);
    }
  }

  return {
    record(call) {
      queue.push(call);
      if (queue.length >= maxBatch) setImmediate(flush);
      else timer ??= setTimeout(flush, flushMs);
    },
    flush,
    close: flush,
  };
}
