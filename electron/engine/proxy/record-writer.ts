import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store';
import type { PassthroughSink } from './call-recorder';
import type { PassthroughRecord } from './call-summary';
import { storeSink } from './record-to-store';
import type { RecordWorkerReply, RecordWorkerRequest } from './record-worker';

export interface RecordWriter {
  /** Hands a slice of calls to the recording thread; returns at once. */
  write: PassthroughSink;
  /** Resolves once every slice handed over is stored and the thread has exited. */
  close(): Promise<void>;
}

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
 * Stores passthrough calls from a worker thread with its own connection to the store's
 * file (`record-worker.ts`), so the proxy's event loop never waits for a commit. Each
 * stored slice's ids come back and are announced through `store.notifyImported` (the
 * thread's writes are invisible to this store's `onChange`). Slices are stored in-process
 * until the thread has its store open, and if the thread cannot start or dies, the slices
 * it had not stored and all later ones are.
 */
export function startRecordWriter(store: Store, onError: (error: unknown) => void): RecordWriter {
  const inProcess = storeSink(store);
  const unacknowledged = new Map<number, PassthroughRecord[]>();
  let exited: Promise<void> = Promise.resolve();
  let closing = false;
  let ready = false;
  let seq = 0;

  function storeInProcess(records: PassthroughRecord[]): void {
    try {
      // A slice committed just before the thread died has no reply: skip what is stored.
      inProcess(records.filter((record) => !store.getTrajectory(record.id)));
    } catch (error) {
      onError(error);
    }
  }

  function onReply(reply: RecordWorkerReply): void {
    if ('ready' in reply) {
      ready = true;
      return;
    }
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
    for (const records of unacknowledged.values()) storeInProcess(records);
    unacknowledged.clear();
  }

  function start(): Worker | null {
    try {
      const started = new Worker(workerModule(), { workerData: { file: store.file } });
      started.on('message', onReply);
      started.on('error', onError);
      exited = new Promise((resolve) => started.once('exit', (code) => resolve(onExit(code))));
      // Idle, the thread never keeps the process alive; it is referenced while slices are in flight.
      started.unref();
      return started;
    } catch (error) {
      onError(error);
      return null;
    }
  }

  const post = (target: Worker, message: RecordWorkerRequest) => target.postMessage(message);
  // Started at once, so it is usually ready by the time the first call ends.
  let worker = start();

  return {
    write(records) {
      if (!worker || !ready) return inProcess(records);
      post(worker, { seq: ++seq, records });
      unacknowledged.set(seq, records);
      worker.ref();
    },
    async close() {
      closing = true;
      // A thread that never got a slice has nothing to finish (its store may still be opening).
      if (worker && seq === 0) void worker.terminate();
      else if (worker) post(worker, { close: true });
      worker = null;
      await exited;
    },
  };
}
