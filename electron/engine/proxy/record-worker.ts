import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store';
import type { PassthroughRecord } from './call-summary';
import { passthroughTrajectory } from './record-to-store';

/** A slice of calls to store in one transaction, or the request to close (after every earlier slice). */
export type RecordWorkerRequest = { seq: number; records: PassthroughRecord[] } | { close: true };
/** The thread has its store open; then, for each slice, its stored ids or why it could not be stored. */
export type RecordWorkerReply = { ready: true } | { seq: number; ids: string[] } | { seq: number; error: string };

/**
 * The thread that stores passthrough calls (see `record-writer.ts`): its own connection
 * to the same database file, so SQLite commits and checkpoints never stall the proxy's
 * event loop. Slices are stored in the order they arrive.
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
    reply = { seq: message.seq, ids: store.importTrajectories(message.records.map(passthroughTrajectory)) };
  } catch (error) {
    reply = { seq: message.seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies RecordWorkerReply);
