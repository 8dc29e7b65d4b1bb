/**
 * Migration 8: the upload queue holds uploads of any kind. Migration 6 tied every row to
 * a trajectory (a foreign key), so an uploaded input file, which belongs to a collection
 * and to no run, could not be queued. The table is rebuilt with a `kind` column
 * (`artifact`: a run's `/app/results` file; `input`: an uploaded input file, under
 * `<dataDir>/files`; `export`: a trajectory's export snapshot) and `trajectory_id` `''`
 * for rows of no trajectory (a primary key column of a WITHOUT ROWID table cannot be
 * NULL). Rows that do belong to a trajectory still go with it: a trigger deletes them when
 * it is deleted, as the cascade did. Existing rows are artifacts.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE storage_uploads_v8 (
  kind            TEXT NOT NULL CHECK (kind IN ('artifact', 'input', 'export')),
  trajectory_id   TEXT NOT NULL,
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
  PRIMARY KEY (kind, trajectory_id, path)
) STRICT, WITHOUT ROWID;

INSERT INTO storage_uploads_v8
  (kind, trajectory_id, path, collection, target, object_key, local_file, size, sha256, state, attempts, next_attempt_at, last_error, local_pruned, updated_at)
SELECT 'artifact', trajectory_id, path, collection, target, object_key, local_file, size, sha256, state, attempts, next_attempt_at, last_error, local_pruned, updated_at
FROM storage_uploads;

DROP TABLE storage_uploads;
ALTER TABLE storage_uploads_v8 RENAME TO storage_uploads;
CREATE INDEX storage_uploads_due ON storage_uploads (next_attempt_at) WHERE state = 'pending';
CREATE INDEX storage_uploads_by_collection ON storage_uploads (collection, state);
CREATE INDEX storage_uploads_by_trajectory ON storage_uploads (trajectory_id) WHERE trajectory_id <> '';

CREATE TRIGGER storage_uploads_follow_trajectory AFTER DELETE ON trajectories
BEGIN
  DELETE FROM storage_uploads WHERE trajectory_id = OLD.id;
END;
`;
