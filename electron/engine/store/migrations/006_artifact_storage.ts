/**
 * Migration 6: artifact storage per collection. `collection_storage` holds each
 * collection's settings (backend, bucket, prefix, region, endpoint as JSON; never
 * credentials). `storage_uploads` is the durable upload queue and the record of where
 * each artifact lives: a run's artifacts are written locally first and queued here with
 * the target they go to (fixed when queued, so a later settings change moves nothing
 * silently), retried with backoff until a sha256-verified copy is there (`done`).
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE collection_storage (
  collection TEXT PRIMARY KEY,
  settings   TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE storage_uploads (
  trajectory_id   TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  path            TEXT NOT NULL,
  collection      TEXT NOT NULL,
  target          TEXT NOT NULL,
  object_key      TEXT NOT NULL,
  local_file      TEXT NOT NULL,
  size            INTEGER NOT NULL,
  sha256          TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  local_pruned    INTEGER NOT NULL DEFAULT 0,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, path)
) STRICT, WITHOUT ROWID;
CREATE INDEX storage_uploads_due ON storage_uploads (next_attempt_at) WHERE state = 'pending';
CREATE INDEX storage_uploads_by_collection ON storage_uploads (collection, state);
`;
