import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { openStore } from '../store';
import { createIngestLoop } from './ingest-loop';
import { createJournalIngester } from './journal-ingester';
import type { StoredCalls } from './record-to-store';

/** What the recording thread is started with. */
export interface RecordWorkerData {
  file: string;
  /** The journal folder the proxy writes (`call-journal.ts`). */
  journalDir: string;
  /** How long calls wait to be stored together. */
  flushMs: number;
  /** The store's shared secrets (every record is redacted of them), in memory only. */
  secrets: Record<string, string>;
  /** Where the shared secrets come each time they change (read before each transaction, see below). */
  secretsPort: MessagePort;
}
/** Calls were journaled, or the journal is closed: store what is left and exit. */
export type RecordWorkerRequest = { wake: true } | { close: true };
/** After each transaction: what it stored and what failed; or an error that stopped a run. */
export type RecordWorkerReply = StoredCalls | { error: string };

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

/**
 * The thread that stores passthrough calls from the journal (see `record-writer.ts`): its
 * own connection to the same database file, so reading frames, parsing, SQLite commits and
 * checkpoints never take time from the proxy's event loop. One transaction per `flushMs`.
 */
yieldToTheProxy();
const port = parentPort!;
const { file, journalDir, flushMs, secrets, secretsPort } = workerData as RecordWorkerData;
const store = openStore(file);
store.setSharedSecrets(secrets);
/**
 * The newest shared secrets, taken synchronously before each transaction: the proxy posts
 * them before it journals a call made after they changed, so no call is stored without
 * the secrets it may hold.
 */
function takeSecrets(): void {
  let latest: Record<string, string> | null = null;
  for (let message = receiveMessageOnPort(secretsPort); message; message = receiveMessageOnPort(secretsPort)) latest = message.message as Record<string, string>;
  if (latest) store.setSharedSecrets(latest);
}
const ingester = createJournalIngester(store, journalDir);
const post = (reply: RecordWorkerReply) => port.postMessage(reply);
const loop = createIngestLoop({ ingest: (final) => (takeSecrets(), ingester.ingest(final)) }, {
  flushMs,
  onReport: post,
  onError: (error) => post({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
});

port.on('message', (message: RecordWorkerRequest) => {
  if ('wake' in message) return loop.wake();
  loop.close();
  store.close();
  port.close();
});
