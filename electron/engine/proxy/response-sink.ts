/**
 * Where the relay writes a call's answer: status and headers, chunks, the end. HTTP is one
 * door onto the relay (`httpSink`, over a Node ServerResponse); an in-process caller such
 * as a workflow step collects the answer in memory (`collectingSink`), with no socket at
 * all.
 */
import type { ServerResponse } from 'node:http';

export type Head = Record<string, string | number>;

export interface SinkListeners {
  /** The consumer went away before the end (the client disconnected, the caller aborted). */
  gone(): void;
  /** The consumer can take more after `needsDrain`. */
  drain(): void;
}

export interface ResponseSink {
  readonly headersSent: boolean;
  /** The whole answer was handed over (`end` called and, for a socket, flushed). */
  readonly finished: boolean;
  /** The consumer asks the relay to pause until `drain`. */
  readonly needsDrain: boolean;
  head(status: number, headers: Head): void;
  /** A chunk of the body; an urgent one leaves now rather than with the rest of this turn's writes. */
  write(bytes: Uint8Array, urgent?: boolean): void;
  end(bytes?: Uint8Array): void;
  /** Drops the answer mid-way (a stream that cannot go on). */
  abort(): void;
  /** Subscribes to the consumer's going and draining; returns the unsubscribe. */
  watch(listeners: SinkListeners): () => void;
}

/** The relay's answer on an HTTP response. */
export function httpSink(res: ServerResponse): ResponseSink {
  return {
    get headersSent() {
      return res.headersSent;
    },
    get finished() {
      return res.writableFinished;
    },
    get needsDrain() {
      return res.writableNeedDrain;
    },
    head: (status, headers) => void res.writeHead(status, headers),
    write(bytes, urgent = false) {
      res.write(bytes);
      // A write corks the socket until the turn ends; uncorking the socket sends what is written so
      // far now. (Not res.uncork(): on Node 22 a response uncorked without res.cork() writes an
      // empty chunk, which ends a chunked stream early.)
      if (urgent) res.socket?.uncork();
    },
    end: (bytes) => void (bytes ? res.end(bytes) : res.end()),
    abort: () => void res.destroy(),
    watch({ gone, drain }) {
      const onClose = () => {
        if (!res.writableFinished) gone();
      };
      res.on('close', onClose);
      res.on('drain', drain);
      return () => {
        res.off('close', onClose);
        res.off('drain', drain);
      };
    },
  };
}

/** A whole answer collected in memory: header names in lower case. */
export interface CollectedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A sink that keeps the answer in memory for an in-process caller. `answer` resolves when
 * the relay ends it, and rejects when the relay aborts it mid-way or `signal` aborts first
 * (the relay is then told the consumer is gone, so it stops the provider's call).
 */
export function collectingSink(signal?: AbortSignal): { sink: ResponseSink; answer: Promise<CollectedAnswer> } {
  let status = 0;
  let headers: Record<string, string> = {};
  const chunks: Buffer[] = [];
  let finished = false;
  let settled = false;
  const watchers = new Set<SinkListeners>();
  let resolve!: (answer: CollectedAnswer) => void;
  let reject!: (error: unknown) => void;
  const answer = new Promise<CollectedAnswer>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const settle = (error: unknown | null) => {
    if (settled) return;
    settled = true;
    signal?.removeEventListener('abort', onAbort);
    if (error === null) resolve({ status, headers, body: Buffer.concat(chunks) });
    else reject(error);
  };
  function onAbort() {
    if (settled) return;
    for (const w of [...watchers]) w.gone();
    settle(signal!.reason ?? new Error('aborted'));
  }
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    answer,
    sink: {
      get headersSent() {
        return status !== 0;
      },
      get finished() {
        return finished;
      },
      needsDrain: false,
      head(code, head) {
        status = code;
        headers = Object.fromEntries(Object.entries(head).map(([k, v]) => [k.toLowerCase(), String(v)]));
      },
      write: (bytes) => void chunks.push(Buffer.from(bytes)),
      end(bytes) {
        if (bytes) chunks.push(Buffer.from(bytes));
        finished = true;
        settle(null);
      },
      abort: () => settle(new Error('the answer was cut off mid-way')),
      watch(listeners) {
        watchers.add(listeners);
        return () => watchers.delete(listeners);
      },
    },
  };
}
