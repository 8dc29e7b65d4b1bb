import type { StorageSettings, UploadEntry } from '../../../shared/storage';
import { StorageSettingsSchema } from '../../../shared/storage';
import { nowIso, type StoreContext, writeTransaction } from './context';
import { parseOrThrow } from './validate';

/**
 * What an upload is (migration 8): a run's artifact, an uploaded input file (of a
 * collection; of a run too when it came with `/run`), or a trajectory's export snapshot.
 */
export type UploadKind = 'artifact' | 'input' | 'export';

/** Names one upload: an artifact by its run and path; an input by its path under the files root; an export by its trajectory. */
export interface UploadKey {
  kind: UploadKind;
  /** The trajectory it belongs to; null for an input uploaded to a collection alone. */
  trajectoryId: string | null;
  path: string;
}

/** One file to upload: where it is, where it goes (settings without credentials), what it must hash to. */
export interface QueuedUpload extends UploadKey {
  collection: string;
  target: StorageSettings;
  /** The object's key, relative to the target's prefix. */
  objectKey: string;
  /** The local copy, relative to the data folder. */
  localFile: string;
  size: number;
  sha256: string;
}

export interface UploadRecord extends QueuedUpload {
  state: 'pending' | 'done';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  localPruned: boolean;
}

interface UploadRow {
  kind: UploadKind;
  trajectory_id: string;
  path: string;
  collection: string;
  target: string;
  object_key: string;
  local_file: string;
  size: number;
  sha256: string;
  state: 'pending' | 'done';
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  local_pruned: number;
}

const COLUMNS = 'kind, trajectory_id, path, collection, target, object_key, local_file, size, sha256, state, attempts, next_attempt_at, last_error, local_pruned';

/** Rows of no trajectory keep '' there (a key column cannot be NULL); callers see null. */
const NO_TRAJECTORY = '';
const keyParams = (key: UploadKey) => ({ kind: key.kind, trajectoryId: key.trajectoryId ?? NO_TRAJECTORY, path: key.path });
const rowParams = (u: QueuedUpload) => ({ ...u, ...keyParams(u), target: JSON.stringify(u.target) });

const fromRow = (row: UploadRow): UploadRecord => ({
  kind: row.kind,
  trajectoryId: row.trajectory_id === NO_TRAJECTORY ? null : row.trajectory_id,
  path: row.path,
  collection: row.collection,
  target: JSON.parse(row.target) as StorageSettings,
  objectKey: row.object_key,
  localFile: row.local_file,
  size: row.size,
  sha256: row.sha256,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  localPruned: row.local_pruned === 1,
});

/** `s3://bucket/prefix/key` (or `r2://`, `gcs://`): where an upload goes, as shown to people. */
export const uploadLocation = (record: Pick<QueuedUpload, 'target' | 'objectKey'>): string => {
  const { target } = record;
  if (target.backend === 'local') return 'local';
  const prefix = target.prefix.replace(/\/+$/, '');
  return `${target.backend}://${target.bucket}/${prefix ? `${prefix}/` : ''}${record.objectKey}`;
};

export type UploadQueue = ReturnType<typeof uploadQueueRepository>;

/**
 * Collections' storage settings and the durable upload queue (migrations 6 and 8). The
 * queue is drained by engine/storage/uploader.ts; after a crash its rows are still here,
 * so the next start resumes them. Settings hold no credentials.
 */
export function uploadQueueRepository(ctx: StoreContext) {
  const sql = {
    settings: ctx.db.prepare<[string], { settings: string }>('SELECT settings FROM collection_storage WHERE collection = ?'),
    putSettings: ctx.db.prepare(
      `INSERT INTO collection_storage (collection, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (collection) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    ),
    enqueue: ctx.db.prepare(
      `INSERT INTO storage_uploads (${COLUMNS}, updated_at)
       VALUES (@kind, @trajectoryId, @path, @collection, @target, @objectKey, @localFile, @size, @sha256, 'pending', 0, NULL, NULL, 0, @now)
       ON CONFLICT (kind, trajectory_id, path) DO UPDATE SET
         collection = excluded.collection, target = excluded.target, object_key = excluded.object_key,
         local_file = excluded.local_file, size = excluded.size, sha256 = excluded.sha256, state = 'pending',
         attempts = 0, next_attempt_at = NULL, last_error = NULL, local_pruned = 0, updated_at = excluded.updated_at`,
    ),
    due: ctx.db.prepare<[string, number], UploadRow>(
      `SELECT ${COLUMNS} FROM storage_uploads
       WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.id = trajectory_id AND t.status IN ('pending', 'running'))
       ORDER BY next_attempt_at IS NOT NULL, next_attempt_at, kind, trajectory_id, path LIMIT ?`,
    ),
    nextDue: ctx.db.prepare<[], { at: string | null }>(`SELECT MIN(next_attempt_at) AS at FROM storage_uploads WHERE state = 'pending'`),
    inputAt: ctx.db.prepare<[string], UploadRow>(`SELECT ${COLUMNS} FROM storage_uploads WHERE kind = 'input' AND path = ? LIMIT 1`),
    get: ctx.db.prepare<[ReturnType<typeof keyParams>], UploadRow>(
      `SELECT ${COLUMNS} FROM storage_uploads WHERE kind = @kind AND trajectory_id = @trajectoryId AND path = @path`,
    ),
    list: ctx.db.prepare<[{ collection: string; state: string | null; limit: number }], UploadRow>(
      `SELECT ${COLUMNS} FROM storage_uploads WHERE collection = @collection AND (@state IS NULL OR state = @state)
       ORDER BY updated_at DESC, kind, trajectory_id, path LIMIT @limit`,
    ),
    done: ctx.db.prepare(
      `UPDATE storage_uploads SET state = 'done', attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL, updated_at = @now
       WHERE kind = @kind AND trajectory_id = @trajectoryId AND path = @path AND sha256 = @sha256 AND state = 'pending'`,
    ),
    failed: ctx.db.prepare(
      `UPDATE storage_uploads SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @error, updated_at = @now
       WHERE kind = @kind AND trajectory_id = @trajectoryId AND path = @path AND sha256 = @sha256 AND state = 'pending'`,
    ),
    pruned: ctx.db.prepare('UPDATE storage_uploads SET local_pruned = 1, updated_at = @now WHERE kind = @kind AND trajectory_id = @trajectoryId AND path = @path'),
    copied: ctx.db.prepare(
      `INSERT INTO storage_uploads (${COLUMNS}, updated_at)
       VALUES (@kind, @trajectoryId, @path, @collection, @target, @objectKey, @localFile, @size, @sha256, 'done', 1, NULL, NULL, @localPruned, @now)
       ON CONFLICT (kind, trajectory_id, path) DO UPDATE SET
         collection = excluded.collection, target = excluded.target, object_key = excluded.object_key, state = 'done',
         attempts = storage_uploads.attempts + 1, next_attempt_at = NULL, last_error = NULL, local_pruned = excluded.local_pruned,
         updated_at = excluded.updated_at`,
    ),
    retry: ctx.db.prepare(
      `UPDATE storage_uploads SET next_attempt_at = NULL, updated_at = @now
       WHERE collection = @collection AND state = 'pending' AND (@path IS NULL OR (kind = @kind AND trajectory_id = @trajectoryId AND path = @path))`,
    ),
  };

  const enqueueMany = writeTransaction(ctx.db, (uploads: readonly QueuedUpload[]) => {
    const now = nowIso();
    for (const u of uploads) sql.enqueue.run({ ...rowParams(u), now });
  });

  return {
    /** A collection's storage settings; null when none were set (the local default). */
    settings(collection: string): StorageSettings | null {
      const row = sql.settings.get(collection);
      return row ? StorageSettingsSchema.parse(JSON.parse(row.settings)) : null;
    },
    setSettings(collection: string, settings: StorageSettings): StorageSettings {
      const parsed = parseOrThrow(StorageSettingsSchema, settings, 'storage settings');
      sql.putSettings.run(collection, JSON.stringify(parsed), nowIso());
      return parsed;
    },
    /** Queues uploads in one transaction; an artifact queued again starts over. */
    enqueue: (uploads: readonly QueuedUpload[]): void => enqueueMany(uploads),
    /** Pending uploads whose next attempt is due by `now` and whose run has ended (its files are final), oldest first. */
    due: (now: string, limit: number): UploadRecord[] => sql.due.all(now, limit).map(fromRow),
    /** When the earliest pending upload is due (null: none pending, or one due at once is among them). */
    nextDueAt: (): string | null => sql.nextDue.get()?.at ?? null,
    get(key: UploadKey): UploadRecord | null {
      const row = sql.get.get(keyParams(key));
      return row ? fromRow(row) : null;
    },
    /** A collection's uploads, newest first. */
    list(collection: string, state: 'pending' | 'done' | null, limit: number): UploadEntry[] {
      return sql.list.all({ collection, state, limit }).map((row) => {
        const r = fromRow(row);
        return {
          kind: r.kind,
          trajectoryId: r.trajectoryId ?? NO_TRAJECTORY,
          path: r.path,
          size: r.size,
          state: r.state,
          location: uploadLocation(r),
          attempts: r.attempts,
          nextAttemptAt: r.nextAttemptAt,
          lastError: r.lastError,
          localPruned: r.localPruned,
        };
      });
    },
    /** An uploaded input file's record, by its path under the files root (whichever run it came with, if any). */
    inputAt(path: string): UploadRecord | null {
      const row = sql.inputAt.get(path);
      return row ? fromRow(row) : null;
    },
    /**
     * Marks the upload of these bytes done; false when the row now names other bytes (a
     * newer export snapshot queued meanwhile: that one still has to go up).
     */
    markDone: (upload: UploadKey & { sha256: string }): boolean => sql.done.run({ ...keyParams(upload), sha256: upload.sha256, now: nowIso() }).changes > 0,
    markFailed: (upload: UploadKey & { sha256: string }, error: string, nextAttemptAt: string): void =>
      void sql.failed.run({ ...keyParams(upload), sha256: upload.sha256, error, nextAttemptAt, now: nowIso() }),
    markPruned: (key: UploadKey): void => void sql.pruned.run({ ...keyParams(key), now: nowIso() }),
    /** Records an artifact copied (and verified) onto `target` by a backend switch: done there at once, in one statement. */
    recordCopied: (upload: QueuedUpload, localPruned: boolean): void =>
      void sql.copied.run({ ...rowParams(upload), localPruned: localPruned ? 1 : 0, now: nowIso() }),
    /** Makes a collection's pending uploads (or one of them) due now; returns how many. */
    retryNow: (collection: string, one?: UploadKey): number =>
      sql.retry.run({ now: nowIso(), collection, ...(one ? keyParams(one) : { kind: null, trajectoryId: null, path: null }) }).changes,
  };
}
