import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { StorageSettings } from '../../../shared/storage';
import type { CopyPlan, CopyProgress } from '../../../shared/storage-api';
import type { QueuedUpload, Store, UploadQueue, UploadRecord } from '../store';
import { uploadLocation } from '../store';
import { describeStorageError } from './errors';
import { hashStream } from './hashing';
import { artifactKey } from './keys';
import { localBackend } from './local';
import type { StorageBackend } from './types';
import { StorageError } from './types';

/** Artifacts looked at per plan, and errors kept per copy. */
const MAX_ARTIFACTS = 10_000;
const MAX_ERRORS = 20;
const PAGE = 100;
const PROGRESS_EVERY_MS = 200;

export interface CopierOptions {
  store: Store;
  queue: UploadQueue;
  dataDir: string;
  settingsOf(collection: string): StorageSettings;
  backendFor(collection: string, settings: StorageSettings): StorageBackend;
  onProgress(progress: CopyProgress): void;
}

/** One artifact to copy and where its bytes are now: its local copy, or the backend it was uploaded to before the switch. */
interface CopyItem {
  upload: QueuedUpload & { trajectoryId: string };
  from: { kind: 'local'; file: string } | { kind: 'remote'; record: UploadRecord };
  location: string;
}

const sameTarget = (a: StorageSettings, b: StorageSettings) => JSON.stringify(a) === JSON.stringify(b);

/** Counts the bytes going through (for progress) without holding them. */
function counting(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/**
 * Switching a collection's backend moves nothing by itself: this copies its existing
 * artifacts to the current backend on request, each streamed from where it is now (its
 * local copy, or the OLD remote backend, get → put, never whole in memory), verified by
 * sha256 on the new backend, then recorded there. Progress is reported as it goes. An
 * artifact whose local copy fails to go up is handed to the upload queue (retried with
 * backoff); one whose only copy is remote keeps being read from the old backend.
 */
export function createCopier(options: CopierOptions) {
  const { store, queue } = options;
  const running = new Map<string, { plan: CopyPlan; done: Promise<void> }>();
  const local = localBackend(options.dataDir);
  const controller = new AbortController();
  const { signal } = controller;

  async function items(collection: string): Promise<{ settings: StorageSettings; list: CopyItem[] }> {
    const settings = options.settingsOf(collection);
    const list: CopyItem[] = [];
    for (let page = 1; list.length < MAX_ARTIFACTS && page <= MAX_ARTIFACTS / PAGE; page++) {
      const found = store.listTrajectories({ collection, page, limit: PAGE });
      for (const t of found.trajectories) {
        if (t.status === 'pending' || t.status === 'running') continue; // its files are not final yet
        for (const a of t.artifacts) {
          const record = queue.get({ kind: 'artifact', trajectoryId: t.id, path: a.path });
          if (record?.state === 'done' && sameTarget(record.target, settings)) continue; // already there
          const localFile = path.posix.join('artifacts', t.id, a.path);
          const hasLocal = !record?.localPruned && (await stat(path.join(options.dataDir, localFile)).catch(() => null))?.isFile();
          if (settings.backend === 'local' && hasLocal) continue; // the local copy is the local backend's
          const upload: CopyItem['upload'] = { kind: 'artifact', trajectoryId: t.id, path: a.path, collection, target: settings, objectKey: artifactKey(t.id, a.path), localFile, size: a.size, sha256: a.sha256 };
          // Where the collection keeps it now is its old backend when it was uploaded there; the bytes come from the local copy when there is one.
          const location = record?.state === 'done' ? uploadLocation(record).replace(/\/artifacts\/.*$/, '') : 'local';
          if (hasLocal) list.push({ upload, from: { kind: 'local', file: localFile }, location });
          else if (record?.state === 'done') list.push({ upload, from: { kind: 'remote', record }, location });
        }
      }
      if (!found.has_more) break;
    }
    return { settings, list };
  }

  const destinationOf = (collection: string, settings: StorageSettings) => (settings.backend === 'local' ? local : options.backendFor(collection, settings));
  const describeTarget = (settings: StorageSettings) => (settings.backend === 'local' ? 'local' : uploadLocation({ target: settings, objectKey: '' }).replace(/\/$/, ''));

  function summarise(collection: string, settings: StorageSettings, list: CopyItem[]): CopyPlan {
    const from = new Map<string, { location: string; count: number; bytes: number }>();
    for (const item of list) {
      const entry = from.get(item.location) ?? { location: item.location, count: 0, bytes: 0 };
      entry.count += 1;
      entry.bytes += item.upload.size;
      from.set(item.location, entry);
    }
    return { collection, to: describeTarget(settings), count: list.length, bytes: list.reduce((n, i) => n + i.upload.size, 0), from: [...from.values()] };
  }

  async function sourceOf(item: CopyItem): Promise<Readable> {
    if (item.from.kind === 'local') return createReadStream(path.join(options.dataDir, item.from.file));
    const { record } = item.from;
    return options.backendFor(record.collection, record.target).get(record.objectKey, undefined, signal);
  }

  async function copyOne(item: CopyItem, destination: StorageBackend, onBytes: (n: number) => void): Promise<void> {
    const { upload } = item;
    const source = (await sourceOf(item)).pipe(counting(onBytes));
    await destination.put(upload.objectKey, source, { size: upload.size, sha256: upload.sha256, signal });
    const copy = await hashStream(await destination.get(upload.objectKey, undefined, signal));
    if (copy.sha256 !== upload.sha256 || copy.size !== upload.size) {
      throw new StorageError('refused', `verification failed: ${destination.describe(upload.objectKey)} has ${copy.size} bytes with sha256 ${copy.sha256}, expected ${upload.size} bytes with ${upload.sha256}`);
    }
    const prune = item.from.kind === 'local' && upload.target.backend !== 'local' && upload.target.pruneLocal;
    if (prune) await rm(path.join(options.dataDir, upload.localFile), { force: true });
    queue.recordCopied(upload, item.from.kind === 'remote' ? upload.target.backend !== 'local' : prune);
  }

  async function run(plan: CopyPlan, settings: StorageSettings, list: CopyItem[]): Promise<void> {
    const progress: CopyProgress = { collection: plan.collection, state: 'running', to: plan.to, total: plan.count, copied: 0, failed: 0, bytesTotal: plan.bytes, bytesCopied: 0, current: null, errors: [] };
    let lastSent = 0;
    const send = (force: boolean) => {
      if (!force && Date.now() - lastSent < PROGRESS_EVERY_MS) return;
      lastSent = Date.now();
      options.onProgress({ ...progress, errors: [...progress.errors] });
    };
    send(true);
    const destination = destinationOf(plan.collection, settings);
    for (const item of list) {
      if (signal.aborted) return; // closing: what was not copied stays where it is
      progress.current = `${item.upload.trajectoryId}/${item.upload.path}`;
      const before = progress.bytesCopied;
      try {
        await copyOne(item, destination, (n) => {
          progress.bytesCopied += n;
          send(false);
        });
        progress.copied += 1;
      } catch (error) {
        if (signal.aborted) return;
        progress.bytesCopied = before;
        progress.failed += 1;
        const message = describeStorageError(error, destination.describe('')).message;
        if (progress.errors.length < MAX_ERRORS) progress.errors.push({ trajectoryId: item.upload.trajectoryId, path: item.upload.path, error: message });
        if (item.from.kind === 'local' && settings.backend !== 'local') queue.enqueue([item.upload]); // the queue retries it with backoff
      }
      send(true);
    }
    progress.current = null;
    progress.state = progress.failed > 0 ? 'failed' : 'done';
    send(true);
  }

  return {
    /** What a copy would move now, grouped by where the artifacts are. */
    async plan(collection: string): Promise<CopyPlan> {
      const { settings, list } = await items(collection);
      return summarise(collection, settings, list);
    },
    /** Starts copying (one copy per collection at a time: asking again while one runs answers its plan). */
    async start(collection: string): Promise<CopyPlan> {
      const under = running.get(collection);
      if (under) return under.plan;
      const { settings, list } = await items(collection);
      const plan = summarise(collection, settings, list);
      const done = run(plan, settings, list).finally(() => running.delete(collection));
      running.set(collection, { plan, done });
      return plan;
    },
    /** Resolves once every copy under way has ended. */
    idle: async (): Promise<void> => {
      await Promise.all([...running.values()].map((r) => r.done));
    },
    /** Stops copies under way (what was not copied yet stays where it is) and waits for them. */
    async close(): Promise<void> {
      controller.abort();
      await Promise.all([...running.values()].map((r) => r.done.catch(() => undefined)));
    },
  };
}
