import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import { createCallRecorder } from './call-recorder';
import type { CapturedCall } from './call-summary';
import { storeCalls } from './record-to-store';

/** What the recording thread is started with. */
export interface RecordWorkerData {
  file: string;
  /** How long calls wait to be stored together. */
  flushMs: number;
}
/** Finished calls (numbered hand-overs), or the request to store what is left and close. */
export type RecordWorkerRequest = { seq: number; calls: CapturedCall[] } | { close: true };
/** After each transaction: every hand-over up to `upTo` is stored (their ids), or failed. */
export type RecordWorkerReply = { upTo: number; ids: string[] } | { upTo: number; error: string };

/**
 * The thread that summarises and stores passthrough calls (see `record-writer.ts`): its own
 * connection to the same database file, so parsing, SQLite commits and checkpoints never
 * take time from the proxy's event loop. Calls arrive a few at a time and are stored
 * together, in arrival order, one transaction per `flushMs`.
 */
/**
 * Linux only: this thread's own scheduling priority, lowered to the least (nice 19), so
 * the proxy's threads get a CPU first when they contend with a commit. Elsewhere a
 * thread's priority cannot be set from Node, and the thread keeps the process's.
 */
function yieldToTheProxy(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: run at the process's priority.
  }
}

yieldToTheProxy();
const port = parentPort!;
const { file, flushMs } = workerData as RecordWorkerData;
const store = openStore(file);
let received = 0;

const recorder = createCallRecorder({
  flushMs,
  sink(calls) {
    let reply: RecordWorkerReply;
    try {
      reply = { upTo: received, ids: storeCalls(store, calls) };
    } catch (error) {
      reply = { upTo: received, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply);
  },
});

port.on('message', (message: RecordWorkerRequest) => {
  if ('close' in message) {
    recorder.close();
    store.close();
    port.close();
    return;
  }
  received = message.seq;
  for (const call of message.calls) recorder.record(call);
});
