import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import type { CapturedCall } from './call-summary';
import { storeCalls } from './record-to-store';

/** A batch of finished calls to store in one transaction, or the request to close (after every earlier batch). */
export type RecordWorkerRequest = { seq: number; calls: CapturedCall[] } | { close: true };
/** For each batch, its stored ids or why it could not be stored. */
export type RecordWorkerReply = { seq: number; ids: string[] } | { seq: number; error: string };

/**
 * The thread that summarises and stores passthrough calls (see `record-writer.ts`): its own
 * connection to the same database file, so parsing, SQLite commits and checkpoints never
 * take time from the proxy's event loop. Batches are stored in the order they arrive.
 */
const port = parentPort!;
const store = openStore((workerData as { file: string }).file);

port.on('message', (message: RecordWorkerRequest) => {
  if ('close' in message) {
    store.close();
    port.close();
    return;
  }
  let reply: RecordWorkerReply;
  try {
    reply = { seq: message.seq, ids: storeCalls(store, message.calls) };
  } catch (error) {
    reply = { seq: message.seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
