/**
 * Migration 14: webhooks. `run_webhooks` is the URL a run's end is POSTed to (its signing
 * secret in the vault, named here); `webhook_deliveries` is the durable queue of those
 * POSTs, one per run: pending with the time of its next attempt, delivered, or failed for
 * good, with its attempts, the last HTTP status and error, so each delivery is visible.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE run_webhooks (
  trajectory_id TEXT PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  secret_name   TEXT,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  trajectory_id   TEXT NOT NULL UNIQUE REFERENCES trajectories (id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  secret_name     TEXT,
  run_status      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  delivered_at    TEXT
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
`;
