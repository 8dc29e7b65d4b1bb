import { backoffMs } from '../base/retry-policy';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StorageSettings } from '../../../shared/storage';
import type { UploadQueue, UploadRecord } from '../store';
import { describeStorageError } from './errors';
import { hashStream } from './hashing';
import type { StorageBackend } from './types';
import { StorageError } from './types';

export interface UploaderOptions {
  queue: UploadQueue;
  dataDir: string;
  /** The backend an upload goes to (its target settings and collection pick the credentials). */
  backendFor(collection: string, target: StorageSettings): StorageBackend;
  /** After each attempt (done or failed), e.g. to tell the UI. */
  onAttempt?(record: UploadRecord, outcome: { ok: true } | { ok: false; error: string }): void;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Uploads at once. */
  concurrency?: number;
}

const MAX_BATCHES = 1_000;

/**
 * Drains the durable upload queue: each due file (artifact, input or export) is streamed from its local copy to
 * its target, read back and checked against its sha256, then marked done (and its local
 * copy deleted when the target says `pruneLocal`). A failure leaves it pending with the
 * reason and a next attempt after a growing delay. Started by the engine, so whatever a
 * crash left pending goes up on the next start; uploading the same key again overwrites
 * it, so a resumed upload leaves one object.
 */
export function createUploader(options: UploaderOptions) {
  const { queue } = options;
  const base = options.baseDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 5 * 60_000;
  const concurrency = options.concurrency ?? 2;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function uploadOne(record: UploadRecord): Promise<void> {
    const file = path.join(options.dataDir, record.localFile);
    const signal = controller.signal;
    try {
      const local = await stat(file).catch(() => null);
      if (!local) throw new StorageError('not_found', `the local copy ${record.localFile} is missing`);
      const backend = options.backendFor(record.collection, record.target);
      await backend.put(record.objectKey, createReadStream(file), { size: record.size, sha256: record.sha256, signal });
      const copy = await hashStream(await backend.get(record.objectKey, undefined, signal));
      if (copy.sha256 !== record.sha256 || copy.size !== record.size) {
        throw new StorageError('refused', `verification failed: ${backend.describe(record.objectKey)} has ${copy.size} bytes with sha256 ${copy.sha256}, expected ${record.size} bytes with ${record.sha256}`);
      }
      const current = queue.markDone(record);
      if (current && record.target.backend !== 'local' && record.target.pruneLocal) {
        await rm(file, { force: true });
        queue.markPruned(record);
      }
      options.onAttempt?.(record, { ok: true });
    } catch (error) {
      if (closed) return; // stopped mid-upload: still pending, resumed on the next start
      const message = describeStorageError(error, record.target.backend).message;
      queue.markFailed(record, message, new Date(Date.now() + backoffMs(record.attempts + 1, { baseMs: base, maxMs: max })).toISOString());
      options.onAttempt?.(record, { ok: false, error: message });
    }
  }

  /** Uploads what is due, at most MAX_BATCHES batches per call (the timer picks up the rest). */
  async function drainDue(): Promise<void> {
    for (let n = 0; n < MAX_BATCHES && !closed; n++) {
      const batch = queue.due(new Date().toISOString(), concurrency);
      if (batch.length === 0) return;
      await Promise.all(batch.map(uploadOne));
    }
  }

  function scheduleNext(): void {
    if (closed) return;
    const at = queue.nextDueAt();
    if (at === null) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, Math.max(0, Date.parse(at) - Date.now()) + 5);
    timer.unref();
  }

  /** Starts draining now (or once more after the drain under way). */
  function kick(): void {
    if (closed) return;
    if (draining) {
      again = true;
      return;
    }
    draining = (async () => {
      do {
        again = false;
        await drainDue();
      } while (again && !closed);
    })().finally(() => {
      draining = null;
      scheduleNext();
    });
  }

  return {
    kick,
    /** Resolves when no drain is under way (tests, and `jetty run` before it exits). */
    idle: async (): Promise<void> => {
      while (draining) await draining;
    },
    /** Stops: aborts uploads under way (they stay pending) and waits for them to end. */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      controller.abort();
      await draining?.catch(() => undefined);
    },
  };
}

export type Uploader = ReturnType<typeof createUploader>;
