/**
 * Migration 5: the cloud's durable state. `cloud_outbox` holds deploys, remote runs and
 * labels made while the remote was unreachable, in order (`seq`), each with the
 * idempotency key its deliveries send (so a retry never creates or launches twice) and
 * no secret values (secrets are named; their values are read from the vault when the
 * item is delivered). `trajectory_origins` marks trajectories pulled from a remote (base
 * URL, collection, task, remote id), with the remote status and the last event sequence
 * number already stored, so pulling again stores nothing twice.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE cloud_outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT NOT NULL CHECK (kind IN ('deploy', 'run', 'label')),
  base_url        TEXT NOT NULL,
  summary         TEXT NOT NULL,
  payload         TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE trajectory_origins (
  trajectory_id  TEXT PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  base_url       TEXT NOT NULL,
  collection     TEXT NOT NULL,
  task           TEXT NOT NULL,
  remote_id      TEXT NOT NULL,
  remote_status  TEXT NOT NULL,
  last_event_seq INTEGER NOT NULL DEFAULT 0,
  pulled_at      TEXT NOT NULL,
  UNIQUE (base_url, collection, task, remote_id)
) STRICT;
`;
