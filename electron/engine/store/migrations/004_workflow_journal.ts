/**
 * Migration 4: the durable workflow journal. `workflow_runs` holds what a run needs to
 * resume after a crash (its document, parameters, input files, parent, owner); the steps
 * of a workflow trajectory are its journal entries: a step's row gains the attempt that
 * produced it and that attempt's error, and is committed with its resolved inputs and
 * outputs in one transaction when the step ends. Children of a fan-out are keyed by
 * (parent, step, index), so a resumed parent adopts the children it already started.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE workflow_runs (
  id          TEXT PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  document    TEXT NOT NULL,
  init_params TEXT NOT NULL,
  files       TEXT NOT NULL,
  parent_id   TEXT REFERENCES workflow_runs (id) ON DELETE CASCADE,
  parent_step TEXT,
  child_index INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  owner       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX workflow_runs_live ON workflow_runs (status) WHERE status = 'running';
CREATE UNIQUE INDEX workflow_runs_children ON workflow_runs (parent_id, parent_step, child_index) WHERE parent_id IS NOT NULL;

ALTER TABLE steps ADD COLUMN attempt INTEGER;
ALTER TABLE steps ADD COLUMN error TEXT;
`;
