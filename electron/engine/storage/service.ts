import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Artifact } from '../../../shared/trajectory';
import type { ConnectionTest, StorageSettings, UploadEntry } from '../../../shared/storage';
import type { CopyPlan, CopyProgress } from '../../../shared/storage-api';
import { uploadLocation, type QueuedUpload, type Store, type UploadRecord } from '../store';
import { writeExportFile } from '../trajectories/export-stream';
import { createCopier } from './copier';
import { credentialOrigin, resolveCredentials, vaultNames, type CredentialOrigin, type SecretSource } from './credentials';
import { hashStream } from './hashing';
import { artifactKey, exportKey, inputKey } from './keys';
import { probeBackend } from './probe';
import { openBackend } from './registry';
import type { ByteRange, StorageBackend, StorageCredentials } from './types';
import { StorageError } from './types';
import { createUploader } from './uploader';

const LOCAL: StorageSettings = { backend: 'local' };
const ARTIFACTS = 'artifacts';
/** Uploaded input files, relative to the data folder (as `server/rest/files-root.ts` keeps them). */
const FILES = 'files';
/** Export snapshots, relative to the data folder: `exports/<id>.json`, written before they are queued. */
const EXPORTS = 'exports';
const EXPORT_PATH = 'export.json';
/** Label changes this close together make one new export snapshot. */
const EXPORT_DEBOUNCE_MS = 2_000;

/** A vault the service can also write keys to (the app's SecretVault fits). */
export interface SecretStore extends SecretSource {
  set(name: string, value: string): void;
  delete(name: string): void;
}

export interface StorageServiceOptions {
  store: Store;
  dataDir: string;
  /** Where collections' storage keys are kept; without it only the environment's are used. */
  vault?: SecretStore | null;
  env?: NodeJS.ProcessEnv;
  baseDelayMs?: number;
}

/** One upload attempt's outcome (the UI's pending list refreshes on it). */
export interface UploadAttempt {
  collection: string;
  kind: UploadRecord['kind'];
  /** '' for an input uploaded to the collection alone. */
  trajectoryId: string;
  path: string;
  ok: boolean;
  error?: string;
}

export interface StorageDescription {
  collection: string;
  settings: StorageSettings;
  credentials: CredentialOrigin;
  pending: number;
}

/**
 * Artifact storage per collection: settings (in the store, nothing secret), keys (vault
 * or environment), the upload queue and its drain, reads through the backend an
 * artifact went to, and "Test connection".
 */
export function createStorageService(options: StorageServiceOptions) {
  const env = options.env ?? process.env;
  const queue = options.store.uploadQueue();
  const vault = options.vault ?? null;
  const localRoot = path.join(options.dataDir, ARTIFACTS);

  const backendFor = (collection: string, settings: StorageSettings): StorageBackend =>
    openBackend(settings, {
      localRoot,
      env,
      credentials: (): StorageCredentials =>
        resolveCredentials(collection, settings.backend as Exclude<StorageSettings['backend'], 'local'>, vault, env),
    });

  const listeners = new Set<(attempt: UploadAttempt) => void>();
  const uploader = createUploader({
    queue,
    dataDir: options.dataDir,
    backendFor,
    baseDelayMs: options.baseDelayMs,
    onAttempt: (record, outcome) => {
      const attempt = { collection: record.collection, kind: record.kind, trajectoryId: record.trajectoryId ?? '', path: record.path, ok: outcome.ok, ...(outcome.ok ? {} : { error: outcome.error }) };
      for (const listener of listeners) listener(attempt);
    },
  });

  const settingsOf = (collection: string): StorageSettings => queue.settings(collection) ?? LOCAL;

  const progressListeners = new Set<(progress: CopyProgress) => void>();
  const copier = createCopier({
    store: options.store,
    queue,
    dataDir: options.dataDir,
    settingsOf,
    backendFor,
    onProgress: (progress) => {
      for (const listener of progressListeners) listener(progress);
    },
  });

  const queuedFor = (trajectoryId: string, collection: string, settings: StorageSettings, artifacts: readonly Artifact[]): QueuedUpload[] =>
    settings.backend === 'local'
      ? []
      : artifacts.map((a) => ({
          kind: 'artifact' as const,
          trajectoryId,
          path: a.path,
          collection,
          target: settings,
          objectKey: artifactKey(trajectoryId, a.path),
          localFile: path.posix.join(ARTIFACTS, trajectoryId, a.path),
          size: a.size,
          sha256: a.sha256,
        }));

  /** The bytes (all or a range) of an upload done and verified on its backend; null when it is not (read the local copy). */
  async function openRecord(record: UploadRecord | null, range?: ByteRange): Promise<{ stream: Readable; size: number } | null> {
    if (!record || record.state !== 'done') return null;
    // An empty object has no byte range to ask for (S3 answers 416).
    const within = range && record.size > 0 ? { start: range.start, end: Math.min(range.end, record.size - 1) } : undefined;
    const stream = await backendFor(record.collection, record.target).get(record.objectKey, within);
    return { stream, size: record.size };
  }

  /*
   * Export snapshots. A trajectory's export is a document made from the store, so there is
   * no file to upload until one is written: a snapshot is taken when a run ends (its
   * events, artifacts, evaluation and status are final then, and a pruned data folder
   * still has a copy of what happened in the collection's bucket), and taken again when
   * its labels change afterwards, debounced (labelling is a burst of clicks: one snapshot
   * per burst, not one per label). Only trajectories that got a snapshot at their end are
   * re-taken. Each is written locally first (`exports/<id>.json`, temp + rename), then
   * queued like any upload (durable, retried, verified by sha256); a newer snapshot
   * replaces the queued one, and the older one's upload can no longer mark it done (the
   * queue checks the sha256). Snapshots of one trajectory are taken one after the other.
   */
  const snapshotChains = new Map<string, Promise<unknown>>();
  const labelTimers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  async function takeSnapshot(trajectoryId: string): Promise<{ location: string } | null> {
    const t = options.store.getTrajectory(trajectoryId);
    if (!t || t.status === 'pending' || t.status === 'running' || closed) return null;
    const settings = settingsOf(t.collection);
    if (settings.backend === 'local') return null;
    const localFile = path.posix.join(EXPORTS, `${trajectoryId}.json`);
    const { size, sha256 } = await writeExportFile(options.store, trajectoryId, path.join(options.dataDir, localFile));
    const upload: QueuedUpload = { kind: 'export', trajectoryId, path: EXPORT_PATH, collection: t.collection, target: settings, objectKey: exportKey(trajectoryId), localFile, size, sha256 };
    queue.enqueue([upload]);
    uploader.kick();
    return { location: uploadLocation(upload) };
  }

  function snapshotExport(trajectoryId: string): Promise<{ location: string } | null> {
    const next = (snapshotChains.get(trajectoryId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => takeSnapshot(trajectoryId));
    snapshotChains.set(trajectoryId, next);
    void next
      .catch((error: unknown) => console.error(`The export snapshot of ${trajectoryId} was not written:`, error))
      .finally(() => snapshotChains.get(trajectoryId) === next && snapshotChains.delete(trajectoryId));
    return next;
  }

  const offLabels = options.store.onChange((change) => {
    if (change.table !== 'labels' || closed || !queue.get({ kind: 'export', trajectoryId: change.trajectoryId, path: EXPORT_PATH })) return;
    clearTimeout(labelTimers.get(change.trajectoryId));
    const timer = setTimeout(() => {
      labelTimers.delete(change.trajectoryId);
      void snapshotExport(change.trajectoryId).catch(() => undefined);
    }, EXPORT_DEBOUNCE_MS);
    timer.unref();
    labelTimers.set(change.trajectoryId, timer);
  });

  const describe = (collection: string): StorageDescription => {
    const settings = settingsOf(collection);
    return { collection, settings, credentials: credentialOrigin(collection, settings.backend, vault, env), pending: queue.list(collection, 'pending', 10_000).length };
  };

  return {
    settings: settingsOf,
    describe,
    /** Sets a collection's settings; keys, if given, go to the vault (never the store). Uploads already queued keep their target. */
    configure(collection: string, settings: StorageSettings, keys?: { accessKeyId: string; secretAccessKey: string }): StorageDescription {
      if (keys) {
        if (!vault) throw new StorageError('refused', 'no secret vault here to keep storage keys in; set them in the environment instead');
        vault.set(vaultNames(collection).accessKeyId, keys.accessKeyId);
        vault.set(vaultNames(collection).secretAccessKey, keys.secretAccessKey);
      }
      queue.setSettings(collection, settings);
      return describe(collection);
    },
    /** Writes, reads back and deletes a probe object with `settings` (default: the collection's). */
    testConnection: (collection: string, settings?: StorageSettings): Promise<ConnectionTest> =>
      probeBackend(() => backendFor(collection, settings ?? settingsOf(collection))),
    /**
     * Hands a finished run's artifacts (already written locally) to the collection's
     * backend: queued durably, then uploaded in the background. Returns where they go, or
     * null when the collection keeps them locally.
     */
    enqueueRun(trajectoryId: string, collection: string, artifacts: readonly Artifact[]): { location: string; count: number } | null {
      const settings = settingsOf(collection);
      if (settings.backend === 'local' || artifacts.length === 0) return null;
      const uploads = queuedFor(trajectoryId, collection, settings, artifacts);
      queue.enqueue(uploads); // uploaded once the run has ended (see LocalServices)
      return { location: uploadLocation({ target: settings, objectKey: `${ARTIFACTS}/${trajectoryId}` }), count: uploads.length };
    },
    /**
     * A run has ended: its export snapshot is taken (collections with a remote backend) and
     * the queue drained (its artifacts, inputs and export go up now). Resolves once queued.
     */
    runEnded: async (trajectoryId: string): Promise<void> => {
      await snapshotExport(trajectoryId).catch(() => null);
      uploader.kick();
    },
    /** Takes a trajectory's export snapshot now (see above); null when its collection keeps files locally or it has not ended. */
    snapshotExport,
    /**
     * Queues an uploaded input file (`relativePath` under the files root, already written
     * there) for the collection's backend, hashed from the local copy; with a run's id, it
     * waits for the run to end (the sandbox copies it in first). Null when kept locally.
     */
    async enqueueInput(collection: string, relativePath: string, trajectoryId: string | null = null): Promise<{ location: string } | null> {
      const settings = settingsOf(collection);
      if (settings.backend === 'local') return null;
      const localFile = path.posix.join(FILES, relativePath);
      const { size, sha256 } = await hashStream(createReadStream(path.join(options.dataDir, localFile)));
      const upload: QueuedUpload = { kind: 'input', trajectoryId, path: relativePath, collection, target: settings, objectKey: inputKey(relativePath), localFile, size, sha256 };
      queue.enqueue([upload]);
      uploader.kick();
      return { location: uploadLocation(upload) };
    },
    /** An uploaded input file's upload record, by its path under the files root. */
    inputUpload: (relativePath: string): UploadRecord | null => queue.inputAt(relativePath),
    /** An uploaded input file's bytes (all or a range) from its backend; null when not uploaded there. */
    openInput: (relativePath: string, range?: ByteRange) => openRecord(queue.inputAt(relativePath), range),
    /** A trajectory's export snapshot's upload record (null: none was taken). */
    exportUpload: (trajectoryId: string): UploadRecord | null => queue.get({ kind: 'export', trajectoryId, path: EXPORT_PATH }),
    /** What copying the collection's existing artifacts to its current backend would move (after a switch nothing moves until asked). */
    planCopy: (collection: string): Promise<CopyPlan> => copier.plan(collection),
    /** Starts that copy (from local copies and from the old remote backend); progress goes to `onProgress` listeners. */
    copyExisting: (collection: string): Promise<CopyPlan> => copier.start(collection),
    /** Makes the collection's pending uploads (or one) due now, and starts draining. */
    retry(collection: string, one?: { trajectoryId: string; path: string }): number {
      const retried = queue.retryNow(collection, one && { kind: 'artifact', ...one });
      uploader.kick();
      return retried;
    },
    /** The upload records of a trajectory's artifacts (those kept only locally have none). */
    artifactUploads: (trajectoryId: string, paths: readonly string[]): UploadRecord[] =>
      paths.map((p) => queue.get({ kind: 'artifact', trajectoryId, path: p })).filter((r): r is UploadRecord => r !== null),
    uploads: (collection: string, state: 'pending' | 'done' | null = null, limit = 200): UploadEntry[] => queue.list(collection, state, limit),
    upload: (trajectoryId: string, artifactPath: string): UploadRecord | null => queue.get({ kind: 'artifact', trajectoryId, path: artifactPath }),
    /**
     * An artifact's bytes (all or a range) from the backend it was uploaded to and
     * verified on; null when it was not (its local copy is the one to read).
     */
    openUploaded: (trajectoryId: string, artifactPath: string, range?: ByteRange): Promise<{ stream: Readable; size: number } | null> =>
      openRecord(queue.get({ kind: 'artifact', trajectoryId, path: artifactPath }), range),
    /** A presigned download URL of an uploaded artifact, where its backend has them. */
    async downloadUrl(trajectoryId: string, artifactPath: string, expiresInSeconds = 900): Promise<string | null> {
      const record = queue.get({ kind: 'artifact', trajectoryId, path: artifactPath });
      if (!record || record.state !== 'done') return null;
      return (await backendFor(record.collection, record.target).downloadUrl?.(record.objectKey, expiresInSeconds)) ?? null;
    },
    /** Calls `listener` as a copy after a backend switch moves on; returns an unsubscribe function. */
    onProgress(listener: (progress: CopyProgress) => void): () => void {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    /** Calls `listener` after each upload attempt; returns an unsubscribe function. */
    onUpload(listener: (attempt: UploadAttempt) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Starts draining the queue (what a crash left pending goes up now). */
    start: () => uploader.kick(),
    idle: async () => {
      await Promise.all([...snapshotChains.values()].map((p) => p.catch(() => undefined)));
      await copier.idle();
      await uploader.idle();
    },
    close: async () => {
      closed = true;
      offLabels();
      for (const timer of labelTimers.values()) clearTimeout(timer);
      await Promise.all([...snapshotChains.values()].map((p) => p.catch(() => undefined)));
      await copier.close();
      await uploader.close();
    },
  };
}

export type StorageService = ReturnType<typeof createStorageService>;
