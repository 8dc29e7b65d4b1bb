import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { RecordingStatus } from '../../../shared/contract';
import { isNoSpace } from '../base/disk-full';
import { processOwnerToken, type Store } from '../store';
import { openJournalWriter } from './call-journal';
import type { CapturedCall } from './call-summary';
import { createIngestLoop, type IngestLoop } from './ingest-loop';
import { createJournalIngester, recoverJournals } from './journal-ingester';
import type { CallJournal } from './passthrough';
import type { StoredCalls } from './record-to-store';
import type { RecordWorkerData, RecordWorkerReply, RecordWorkerRequest } from './record-worker';
import { createRecordingStatus } from './recording-status';

export interface RecordWriter extends CallJournal {
  /** Journals a finished call (one write); throws when it cannot, having counted why. */
  record(call: CapturedCall): void;
  /** Why new calls are refused (the disk is full), or null. */
  refusal(): string | null;
  status(): RecordingStatus;
  /** Resolves once every journaled call is stored (or, on a full disk, left in the journal for the next start). */
  close(): Promise<void>;
}

/** While the disk is full, how often a new call looks for free space again. */
const FREE_SPACE_CHECK_MS = 1000;
/** Free space below which the disk still counts as full. */
const MIN_FREE_BYTES = 1024 * 1024;

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

const freeBytes = (dir: string): number => {
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize;
};

/**
 * Records passthrough calls durably: each finished call is appended to a journal in
 * `journalRoot` by the request path (`call-journal.ts`, one write, before the response's
 * last byte), and a worker thread with its own connection to the store's file stores the
 * journal a transaction per `flushMs` and deletes what it stored (`record-worker.ts`), so
 * the proxy's event loop never parses a call or waits for a commit. At start, what crashed
 * proxies left in the journal is stored first (restarting is recovery). The stored ids
 * come back and are announced through `store.notifyImported`. If the thread cannot start
 * or dies, this thread stores the journal itself, a transaction per `flushMs`.
 */
export function startRecordWriter(
  store: Store,
  options: { flushMs: number; journalRoot: string; onError: (error: unknown) => void; onStatus?: (status: RecordingStatus) => void },
): RecordWriter {
  const { flushMs, onError } = options;
  const status = createRecordingStatus(options.onStatus);
  const onReport = (report: StoredCalls, announce: boolean) => {
    if (announce) store.notifyImported(report.ids);
    status.stored(report.ids.length);
    report.failures.forEach(status.failed);
    status.diskFull('store', report.diskFull);
  };

  mkdirSync(options.journalRoot, { recursive: true });
  onReport(recoverJournals(store, options.journalRoot), false);
  const journal = openJournalWriter(options.journalRoot, {
    name: `${process.pid}-${randomBytes(4).toString('hex')}`,
    owner: processOwnerToken(),
    rotateMs: flushMs,
  });

  let inProcess: IngestLoop | null = null;
  const storeInProcess = (): IngestLoop =>
    (inProcess ??= createIngestLoop(createJournalIngester(store, journal.dir), { flushMs, onReport: (r) => onReport(r, false), onError }));

  let closing = false;
  let exited: Promise<void> = Promise.resolve();
  /** The version of the shared secrets the thread has: each call sends the store's first when they changed, so no call is stored without them. */
  let sentSecrets = -1;
  let secretsPort: MessagePort | null = null;
  const sendSecrets = () => {
    const shared = store.sharedSecrets();
    if (shared.version === sentSecrets) return;
    sentSecrets = shared.version;
    secretsPort?.postMessage({ ...shared.values });
  };
  function start(): Worker | null {
    try {
      const shared = store.sharedSecrets();
      const channel = new MessageChannel();
      secretsPort = channel.port1;
      secretsPort.unref();
      const data: RecordWorkerData = { file: store.file, journalDir: journal.dir, flushMs, secrets: { ...shared.values }, secretsPort: channel.port2 };
      sentSecrets = shared.version;
      const started = new Worker(workerModule(), { workerData: data, transferList: [channel.port2] });
      started.on('message', (reply: RecordWorkerReply) => ('error' in reply ? onError(new Error(reply.error)) : onReport(reply, true)));
      started.on('error', onError);
      exited = new Promise((resolve) =>
        started.once('exit', (code) => {
          worker = null;
          if (!closing) {
            onError(new Error(`the recording thread exited (code ${code}); passthrough calls are now stored in-process`));
            storeInProcess().wake();
          }
          resolve();
        }),
      );
      // The journal holds every call, so the thread never has to keep the process alive.
      started.unref();
      return started;
    } catch (error) {
      onError(error);
      return null;
    }
  }
  let worker = start();
  const post = (message: RecordWorkerRequest) => worker?.postMessage(message);

  let lastWake = -Infinity;
  let lastSpaceCheck = 0;

  return {
    record(call) {
      if (worker) sendSecrets();
      try {
        journal.append(call);
      } catch (error) {
        const reason = `cannot write the journal in ${journal.dir}: ${(error as Error).message}`;
        status.failed({ id: call.id, reason });
        if (isNoSpace(error)) status.diskFull('journal', true);
        throw new Error(reason, { cause: error });
      }
      if (call.endedAt - lastWake < flushMs) return;
      lastWake = call.endedAt;
      if (worker) post({ wake: true });
      else storeInProcess().wake();
    },
    refusal() {
      if (!status.isDiskFull) return null;
      const now = Date.now();
      if (now - lastSpaceCheck >= FREE_SPACE_CHECK_MS) {
        lastSpaceCheck = now;
        try {
          if (freeBytes(options.journalRoot) >= MIN_FREE_BYTES) status.diskFull('journal', false);
        } catch {
          // Cannot tell: stay as we are.
        }
      }
      return status.isDiskFull ? `the disk holding ${path.dirname(options.journalRoot)} is full: calls cannot be recorded; free some space` : null;
    },
    status: status.snapshot,
    async close() {
      closing = true;
      journal.close();
      // Kept alive until the thread has stored the rest and exited.
      worker?.ref();
      post({ close: true });
      await exited;
      // Whatever the thread did not store (it died, or never started) is stored here.
      storeInProcess().close();
    },
  };
}
