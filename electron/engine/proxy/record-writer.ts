import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store';
import type { CallSink } from './call-recorder';
import type { CapturedCall } from './call-summary';
import { storeCalls } from './record-to-store';
import type { RecordWorkerReply, RecordWorkerRequest } from './record-worker';

export interface RecordWriter {
  /** Hands a batch of finished calls to the recording thread; returns at once. */
  write: CallSink;
  /** Resolves once every batch handed over is stored and the thread has exited. */
  close(): Promise<void>;
}

/** The bytes of `chunks` in one buffer of their own. */
function ownBytes(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * `call` with its bytes in buffers of their own: the captured ones are views into Node's
 * 8 KiB pool or undici's socket reads, and posting a view copies its whole backing buffer.
 */
const compact = (call: CapturedCall): CapturedCall => ({ ...call, request: ownBytes([call.request]), chunks: [ownBytes(call.chunks)] });

/**
 * The recording thread's module: from the source tree (vitest, `node --import tsx`), the
 * bootstrap beside this file that loads `record-worker.ts` through tsx; from the
 * electron-vite bundle, its `record-worker` entry (`out/main/`, beside this module or one
 * level above its chunk).
 */
function workerModule(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./record-worker-tsx.mjs', import.meta.url);
  for (const candidate of ['./record-worker.js', '../record-worker.js']) {
    const file = new URL(candidate, import.meta.url);
    if (existsSync(file)) return file;
  }
  throw new Error(`record-worker.js is missing beside ${import.meta.url}; rebuild with \`npm run build\`.`);
}

/**
 * Summarises and stores passthrough calls from a worker thread with its own connection to
 * the store's file (`record-worker.ts`), so the proxy's event loop never parses a recorded
 * call or waits for a commit. Each stored batch's ids come back and are announced through
 * `store.notifyImported` (the thread's writes are invisible to this store's `onChange`).
 * If the thread cannot start or dies, the batches it had not stored and all later ones
 * are stored in-process.
 */
export function startRecordWriter(store: Store, onError: (error: unknown) => void): RecordWriter {
  const unacknowledged = new Map<number, CapturedCall[]>();
  let exited: Promise<void> = Promise.resolve();
  let closing = false;
  let seq = 0;

  function onReply(reply: RecordWorkerReply): void {
    unacknowledged.delete(reply.seq);
    if (unacknowledged.size === 0) worker?.unref();
    if ('error' in reply) return onError(new Error(reply.error));
    try {
      store.notifyImported(reply.ids);
    } catch (error) {
      onError(error);
    }
  }

  function onExit(code: number): void {
    worker = null;
    if (!closing) {
      onError(new Error(`the recording thread exited (code ${code}); passthrough calls are now stored in-process`));
    }
    for (const calls of unacknowledged.values()) {
      try {
        // A batch committed just before the thread died has no reply: skip what is stored.
        storeCalls(store, calls.filter((call) => !store.getTrajectory(call.id)));
      } catch (error) {
        onError(error);
      }
    }
    unacknowledged.clear();
  }

  function start(): Worker | null {
    try {
      const started = new Worker(workerModule(), { workerData: { file: store.file } });
      started.on('message', onReply);
      started.on('error', onError);
      exited = new Promise((resolve) => started.once('exit', (code) => resolve(onExit(code))));
      // Idle, the thread never keeps the process alive; it is referenced while batches are in flight.
      started.unref();
      return started;
    } catch (error) {
      onError(error);
      return null;
    }
  }

  const post = (target: Worker, message: RecordWorkerRequest) => target.postMessage(message);
  // Started at once, so it has its store open by the time the first batch comes; batches
  // posted earlier wait in its queue.
  let worker = start();

  return {
    write(calls) {
      if (!worker) return void storeCalls(store, calls);
      const compacted = calls.map(compact);
      post(worker, { seq: ++seq, calls: compacted });
      unacknowledged.set(seq, compacted);
      worker.ref();
    },
    async close() {
      closing = true;
      // A thread that never got a batch has nothing to finish (its store may still be opening).
      if (worker && seq === 0) void worker.terminate();
      else if (worker) post(worker, { close: true });
      worker = null;
      await exited;
    },
  };
}
