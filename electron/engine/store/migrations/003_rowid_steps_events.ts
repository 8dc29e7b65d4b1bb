/**
 * Migration 3: steps and events become rowid tables with a unique index on their key.
 * As WITHOUT ROWID tables their rows (JSON inputs, outputs, payloads: often over a tenth
 * of a page) sat in the primary-key B-tree, so every new trajectory's rows landed on a
 * random page of a large tree, and each commit rewrote one page per row. In a rowid table
 * new rows append at the end and only the narrow key index takes random inserts.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE steps_by_rowid (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  position      INTEGER NOT NULL,
  status        TEXT NOT NULL,
  inputs        TEXT NOT NULL,
  outputs       TEXT NOT NULL,
  started_at    TEXT,
  ended_at      TEXT,
  UNIQUE (trajectory_id, name)
) STRICT;
INSERT INTO steps_by_rowid (trajectory_id, name, position, status, inputs, outputs, started_at, ended_at)
  SELECT trajectory_id, name, position, status, inputs, outputs, started_at, ended_at
  FROM steps ORDER BY trajectory_id, position;
DROP TABLE steps;
ALTER TABLE steps_by_rowid RENAME TO steps;

CREATE TABLE events_by_rowid (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  time          TEXT NOT NULL,
  level         TEXT NOT NULL,
  type          TEXT NOT NULL,
  step          TEXT,
  payload       TEXT NOT NULL,
  UNIQUE (trajectory_id, seq)
) STRICT;
INSERT INTO events_by_rowid (trajectory_id, seq, time, level, type, step, payload)
  SELECT trajectory_id, seq, time, level, type, step, payload FROM events ORDER BY trajectory_id, seq;
DROP TABLE events;
ALTER TABLE events_by_rowid RENAME TO events;
`;
