/**
 * Migration 13: routines, scheduled runs of a task (Jetty's routine API). `routines` holds
 * each one's cadence (JSON, UTC), its parameter overrides (JSON, redacted), the names of its
 * secret parameters (their values are in the vault, never here), whether it is paused, its
 * webhook (the secret in the vault) and `schedule_from`: slots after it are due (set at
 * creation, resume and cadence change, so a paused time is never made up).
 * `routine_firings` is each firing: the slot it stands for (NULL for run-now), how many
 * earlier slots it folds in (missed while nothing ran), and the trajectory id chosen when
 * the slot was claimed; the claim is the row itself (UNIQUE routine and slot), so two
 * processes, or a process killed around a firing, never fire a slot twice.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE routines (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  collection            TEXT NOT NULL,
  task                  TEXT NOT NULL,
  name                  TEXT NOT NULL,
  cadence               TEXT NOT NULL,
  init_params_overrides TEXT NOT NULL DEFAULT '{}',
  secret_params         TEXT NOT NULL DEFAULT '[]',
  paused                INTEGER NOT NULL DEFAULT 0,
  webhook_url           TEXT,
  webhook_secret        INTEGER NOT NULL DEFAULT 0,
  schedule_from         TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  UNIQUE (collection, task, name)
) STRICT;

CREATE TABLE routine_firings (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  routine_id    INTEGER NOT NULL REFERENCES routines (id) ON DELETE CASCADE,
  slot          TEXT,
  trigger       TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  missed        INTEGER NOT NULL DEFAULT 0,
  trajectory_id TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('claimed', 'started', 'failed')),
  error         TEXT,
  fired_at      TEXT NOT NULL,
  UNIQUE (routine_id, slot)
) STRICT;
CREATE INDEX routine_firings_by_trajectory ON routine_firings (trajectory_id);
`;
