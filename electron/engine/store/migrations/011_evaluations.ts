/**
 * Migration 11: evaluations. `evaluations` holds what an evaluation asked for (the runbook at
 * a content hash and version, its matrix of cells, cases, trials per cell and case, the
 * concurrency per executor) and how it stands, with the process that runs it (`owner`), so a
 * restart finds the ones a dead process left. `evaluation_trials` is its plan, one row per
 * trial made when the evaluation (or a re-run of failures) is asked for: `pending`, then
 * `running` with the trajectory id of its run committed before the run starts, then `ended`
 * with how it ended (outcome, error kind, the report's stages, duration, tokens and cost of
 * its model calls). A run a crash interrupted is listed in `superseded` when its trial starts
 * again, so each trial is counted once.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE evaluations (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  runbook_path TEXT NOT NULL,
  collection   TEXT NOT NULL,
  task         TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  version      TEXT,
  definition   TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  error        TEXT,
  owner        TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  ended_at     TEXT
) STRICT;
CREATE INDEX evaluations_by_task ON evaluations (collection, task, created_at);
CREATE INDEX evaluations_by_created ON evaluations (created_at);
CREATE INDEX evaluations_live ON evaluations (status) WHERE status = 'running';

CREATE TABLE evaluation_trials (
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  cell          INTEGER NOT NULL,
  case_index    INTEGER NOT NULL,
  trial         INTEGER NOT NULL,
  rerun_of      INTEGER,
  executor      TEXT NOT NULL CHECK (executor IN ('local', 'remote')),
  state         TEXT NOT NULL CHECK (state IN ('pending', 'running', 'ended')),
  attempt       INTEGER NOT NULL DEFAULT 0,
  trajectory_id TEXT,
  superseded    TEXT NOT NULL DEFAULT '[]',
  outcome       TEXT CHECK (outcome IN ('passed', 'failed', 'error', 'cancelled')),
  error_kind    TEXT,
  error         TEXT,
  stages        TEXT NOT NULL DEFAULT '[]',
  duration_ms   REAL,
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd      REAL NOT NULL DEFAULT 0,
  started_at    TEXT,
  ended_at      TEXT,
  PRIMARY KEY (evaluation_id, cell, case_index, trial)
) STRICT;
CREATE INDEX evaluation_trials_by_trajectory ON evaluation_trials (trajectory_id) WHERE trajectory_id IS NOT NULL;
`;
