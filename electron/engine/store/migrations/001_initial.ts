/**
 * Migration 1: the initial schema. Once released, never edit this text: its sha256 is
 * recorded in every database it was applied to, and a changed migration is refused.
 * Change the schema by adding the next numbered migration.
 */
export const sql = `
CREATE TABLE trajectories (
  id                TEXT PRIMARY KEY,
  collection        TEXT NOT NULL,
  task              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('runbook', 'passthrough', 'workflow')),
  status            TEXT NOT NULL
                    CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'archived')),
  error             TEXT,
  init_params       TEXT NOT NULL,
  agent             TEXT,
  model             TEXT,
  created_at        TEXT NOT NULL,
  started_at        TEXT,
  ended_at          TEXT,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  total_tokens      INTEGER,
  cost_usd          REAL,
  evaluation        TEXT,
  owner             TEXT
) STRICT;
CREATE INDEX trajectories_by_task ON trajectories (collection, task, created_at);
CREATE INDEX trajectories_by_created ON trajectories (created_at);
CREATE INDEX trajectories_live ON trajectories (status) WHERE status IN ('pending', 'running');

CREATE TABLE steps (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  position      INTEGER NOT NULL,
  status        TEXT NOT NULL,
  inputs        TEXT NOT NULL,
  outputs       TEXT NOT NULL,
  started_at    TEXT,
  ended_at      TEXT,
  PRIMARY KEY (trajectory_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  time          TEXT NOT NULL,
  level         TEXT NOT NULL,
  type          TEXT NOT NULL,
  step          TEXT,
  payload       TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE artifacts (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  path          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  media_type    TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, path)
) STRICT, WITHOUT ROWID;

CREATE TABLE labels (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  author        TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, key, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX labels_by_key ON labels (key, value);
`;
