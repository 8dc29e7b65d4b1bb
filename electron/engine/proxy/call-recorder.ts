import { summariseCall, type CapturedCall, type PassthroughRecord } from './call-summary';

/** Where summarised calls go, a slice at a time (one store transaction per slice). */
export type PassthroughSink = (records: PassthroughRecord[]) => void;

export interface CallRecorder {
  /** Queues a finished call; returns at once (parsing and storing happen later). */
  record(call: CapturedCall): void;
  /** Writes everything queued now, in one go. */
  flush(): void;
  /** Flushes and stops the timers. */
  close(): void;
}

/**
 * Records passthrough calls off the hot path. A finished call is queued; `flushMs` after
 * the first one, the queue is summarised and handed to the sink in slices of at most
 * `sliceSize` calls, one slice per turn of the event loop (`setImmediate`), so requests
 * arriving meanwhile wait for one slice at most, never for the whole backlog (storing a
 * call costs a few hundred µs on a slow machine). A failing sink is reported and its
 * slice dropped: recording must never break the proxy.
 */
export function createCallRecorder(options: {
  sink: PassthroughSink;
  flushMs?: number;
  sliceSize?: number;
  onError?: (error: unknown) => void;
}): CallRecorder {
  const flushMs = options.flushMs ?? 50;
  const sliceSize = options.sliceSize ?? 4;
  const onError = options.onError ?? ((error) => console.error('Recording passthrough calls failed:', error));
  let queue: CapturedCall[] = [];
  let timer: NodeJS.Timeout | null = null;
  let next: NodeJS.Immediate | null = null;

  function store(calls: CapturedCall[]): void {
    try {
      options.sink(calls.map(summariseCall));
    } catch (error) {
      onError(error);
    }
  }

  function writeSlice(): void {
    timer = null;
    next = null;
    store(queue.splice(0, sliceSize));
    if (queue.length > 0) next = setImmediate(writeSlice);
  }

  function stopTimers(): void {
    if (timer) clearTimeout(timer);
    if (next) clearImmediate(next);
    timer = null;
    next = null;
  }

  function flush(): void {
    stopTimers();
    if (queue.length === 0) return;
    const all = queue;
    queue = [];
    store(all);
  }

  return {
    record(call) {
      queue.push(call);
      if (!timer && !next) timer = setTimeout(writeSlice, flushMs);
    },
    flush,
    close: flush,
  };
}
