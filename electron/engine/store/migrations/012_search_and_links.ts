/**
 * Migration 12: full-text search over trajectories, and the links between them.
 *
 * `search_index` is a contentless FTS5 table (only the index is stored, never a second copy
 * of the text): a row per record of a trajectory — an event (its redacted text: a message, a
 * tool call's arguments, a result's output, command output…), a model prompt's or
 * completion's message, a result file's text — holding the words that record was the first
 * of its trajectory to hold (store/search-index.ts). Its rowid says where the row came from: `n * 2^24 + local`, `n` the trajectory's number in `search_trajectories` (an
 * INTEGER PRIMARY KEY, so a VACUUM does not renumber it; each new one is below the last, so
 * the newest trajectories' rows come first in FTS5's scans), `local` an event's seq below
 * 2^23, or 2^23 + k for the k-th document of `search_documents`. Rows are written in the same
 * transaction as the events they index (store/search-index.ts). Trajectories stored before
 * this migration are indexed in the background, in seq order from `next_seq` up to the seq
 * they had then (`search_backlog`); what they store from now on is indexed as it is written.
 *
 * `trajectory_links` says which trajectory belongs under which: a workflow's model calls
 * (the passthrough trajectory a `model_call` event's `call_id` names), its fan-out children
 * (`workflow_runs.parent_id`), the runbook runs its `run_runbook` steps started (the step's
 * `trajectory_id` output, checkpointed before the run starts), and a re-run's original.
 * Triggers keep the first three as the engine writes events, workflow runs and steps. They
 * insert only what is not there yet (NOT EXISTS): a trigger's OR IGNORE gives way to the
 * conflict policy of the statement that fired it, and an upsert of a step (ON CONFLICT DO
 * UPDATE) that writes its outputs again would fail on the link its first write made.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE VIRTUAL TABLE search_index USING fts5(text, content='');

CREATE TABLE search_trajectories (
  n             INTEGER PRIMARY KEY,
  trajectory_id TEXT NOT NULL UNIQUE REFERENCES trajectories (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE search_documents (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  local         INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('message', 'artifact')),
  ref           TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, local),
  UNIQUE (trajectory_id, kind, ref)
) STRICT, WITHOUT ROWID;

CREATE TABLE search_backlog (
  trajectory_id TEXT PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  next_seq      INTEGER NOT NULL DEFAULT 1,
  through_seq   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO search_backlog (trajectory_id, through_seq)
  SELECT t.id, coalesce((SELECT max(seq) FROM events e WHERE e.trajectory_id = t.id), 0) FROM trajectories t;

CREATE TABLE trajectory_links (
  child_id  TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('call', 'child', 'runbook', 'rerun')),
  parent_id TEXT NOT NULL,
  step      TEXT,
  PRIMARY KEY (child_id, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX trajectory_links_by_parent ON trajectory_links (parent_id, kind);

CREATE TRIGGER trajectory_links_calls AFTER INSERT ON events
WHEN NEW.type = 'model_call' AND json_extract(NEW.payload, '$.source') = 'workflow' AND json_extract(NEW.payload, '$.call_id') IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT json_extract(NEW.payload, '$.call_id'), 'call', NEW.trajectory_id, NEW.step
  WHERE NOT EXISTS (SELECT 1 FROM trajectory_links WHERE child_id = json_extract(NEW.payload, '$.call_id') AND kind = 'call');
END;

CREATE TRIGGER trajectory_links_children AFTER INSERT ON workflow_runs
WHEN NEW.parent_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT NEW.id, 'child', NEW.parent_id, NEW.parent_step
  WHERE NOT EXISTS (SELECT 1 FROM trajectory_links WHERE child_id = NEW.id AND kind = 'child');
END;

CREATE TRIGGER trajectory_links_runbook_steps AFTER INSERT ON steps
WHEN json_type(NEW.outputs, '$.trajectory_id') = 'text'
BEGIN
  INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT json_extract(NEW.outputs, '$.trajectory_id'), 'runbook', NEW.trajectory_id, NEW.name
  WHERE EXISTS (SELECT 1 FROM trajectories WHERE id = NEW.trajectory_id AND kind = 'workflow')
    AND NOT EXISTS (SELECT 1 FROM trajectory_links WHERE child_id = json_extract(NEW.outputs, '$.trajectory_id') AND kind = 'runbook');
END;

CREATE TRIGGER trajectory_links_runbook_step_updates AFTER UPDATE OF outputs ON steps
WHEN json_type(NEW.outputs, '$.trajectory_id') = 'text'
BEGIN
  INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT json_extract(NEW.outputs, '$.trajectory_id'), 'runbook', NEW.trajectory_id, NEW.name
  WHERE EXISTS (SELECT 1 FROM trajectories WHERE id = NEW.trajectory_id AND kind = 'workflow')
    AND NOT EXISTS (SELECT 1 FROM trajectory_links WHERE child_id = json_extract(NEW.outputs, '$.trajectory_id') AND kind = 'runbook');
END;

INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT json_extract(payload, '$.call_id'), 'call', trajectory_id, step FROM events
  WHERE type = 'model_call' AND json_extract(payload, '$.source') = 'workflow' AND json_extract(payload, '$.call_id') IS NOT NULL;
INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT id, 'child', parent_id, parent_step FROM workflow_runs WHERE parent_id IS NOT NULL;
INSERT OR IGNORE INTO trajectory_links (child_id, kind, parent_id, step)
  SELECT json_extract(s.outputs, '$.trajectory_id'), 'runbook', s.trajectory_id, s.name FROM steps s
  JOIN trajectories t ON t.id = s.trajectory_id AND t.kind = 'workflow'
  WHERE json_type(s.outputs, '$.trajectory_id') = 'text';
`;
