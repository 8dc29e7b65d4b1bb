import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store';
import { createCallRecorder } from './call-recorder';
import type { CapturedCall } from './call-summary';
import { storeCalls } from './record-to-store';
import type { RecordWorkerData, RecordWorkerReply, RecordWorkerRequest } from './record-worker';

export interface RecordWriter {
  /** Takes a finished call; returns at once. */
  record(call: CapturedCall): void;
  /** Resolves once every call taken is stored and the thread has exited. */
  close(): Promise<void>;
}

/** How long finished calls wait to be handed to the recording thread together. */
const HAND_OVER_MS = 5;

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
 * call or waits for a commit. Finished calls are handed over every `HAND_OVER_MS` (a few
 * µs each; handing over a 50 ms batch of 100 at once would hold the loop for 0.5–1.5 ms,
 * and one message per call would wake the thread for each); the thread stores them in
 * one transaction per `flushMs`. The stored ids come back and are announced through
 * `store.notifyImported` (the thread's writes are invisible to this store's `onChange`). If the thread cannot start or dies, the calls it
 * had not stored and all later ones are stored in-process, a batch per `flushMs`.
 */
export function startRecordWriter(store: Store, options: { flushMs: number; onError: (error: unknown) => void }): RecordWriter {
  const { flushMs, onError } = options;
  const inProcess = createCallRecorder({ flushMs, onError, sink: (calls) => void storeCalls(store, calls) });
  /** Hand-overs the thread has not confirmed stored, by number. */
  const unacknowledged = new Map<number, CapturedCall[]>();
  let pending: CapturedCall[] = [];
  let handOver: NodeJS.Timeout | null = null;
  let exited: Promise<void> = Promise.resolve();
  let closing = false;
  let seq = 0;

  function onReply(reply: RecordWorkerReply): void {
    for (const handed of unacknowledged.keys()) if (handed <= reply.upTo) unacknowledged.delete(handed);
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
      // Calls committed just before the thread died have no reply: skip what is stored.
      for (const call of calls) if (!store.getTrajectory(call.id)) inProcess.record(call);
    }
    unacknowledged.clear();
  }

  function start(): Worker | null {
    try {
      const data: RecordWorkerData = { file: store.file, flushMs };
      const started = new Worker(workerModule(), { workerData: data });
      started.on('message', onReply);
      started.on('error', onError);
      exited = new Promise((resolve) => started.once('exit', (code) => resolve(onExit(code))));
      // Idle, the thread never keeps the process alive; it is referenced while calls are in flight.
      started.unref();
      return started;
    } catch (error) {
      onError(error);
      return null;
    }
  }

  const post = (target: Worker, message: RecordWorkerRequest) => target.postMessage(message);

  function handOverPending(): void {
    handOver = null;
    if (pending.length === 0) return;
    const calls = pending;
    pending = [];
    if (!worker) return calls.forEach(inProcess.record);
    post(worker, { seq: ++seq, calls });
    unacknowledged.set(seq, calls);
    worker.ref();
  }

  // Started at once, so it has its store open by the time the first calls come; calls
  // handed over earlier wait in its queue.
  let worker = start();

  return {
    record(call) {
      if (!worker) return inProcess.record(call);
      pending.push(compact(call));
      handOver ??= setTimeout(handOverPending, HAND_OVER_MS);
    },
    async close() {
      if (handOver) clearTimeout(handOver);
      handOverPending();
      closing = true;
      // A thread that never got a call has nothing to finish (its store may still be opening).
      if (worker && seq === 0) void worker.terminate();
      else if (worker) post(worker, { close: true });
      worker = null;
      await exited;
      inProcess.close();
    },
  };
}
