import type { CapturedCall } from './call-summary';

/** Where finished calls go, a batch at a time (summarised and stored there). */
export type CallSink = (calls: CapturedCall[]) => void;

export interface CallRecorder {
  /** Queues a finished call; returns at once (parsing and storing happen later). */
  record(call: CapturedCall): void;
  /** Hands everything queued to the sink now. */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

/**
 * Groups finished passthrough calls so they are stored together: a call is only queued,
 * and `flushMs` after the first one the whole queue goes to the sink in one batch (one
 * transaction). The recording thread stores through one; so does the proxy's own thread
 * when that thread is gone. A failing sink is reported and its batch dropped: recording
 * must never break the proxy.
 */
export function createCallRecorder(options: { sink: CallSink; flushMs?: number; onError?: (error: unknown) => void }): CallRecorder {
  const flushMs = options.flushMs ?? 50;
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
      options.sink(batch);
    } catch (error) {
      onError(error);
    }
  }

  return {
    record(call) {
      queue.push(call);
      timer ??= setTimeout(flush, flushMs);
    },
    flush,
    close: flush,
  };
}
