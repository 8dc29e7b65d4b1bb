/**
 * Migration 9: what the model saw and said. A run's conversation is stored as a chain:
 * each distinct message once per trajectory (`conversation_messages`, its body redacted,
 * keyed by its sha256), and `conversation_nodes`, one per prefix of a prompt, keyed by
 * sha256(parent hash + message hash) — a Merkle chain, so a call's prompt is the node of
 * its last message, the chain back to the root gives its messages in order, and a call
 * that re-sends the whole conversation adds only the rows of its new messages. The
 * rendered runbook a run's agent received is kept beside it (`rendered_runbooks`).
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE conversation_messages (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  hash          TEXT NOT NULL,
  body          TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE conversation_nodes (
  trajectory_id TEXT NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  hash          TEXT NOT NULL,
  parent_hash   TEXT NOT NULL,
  message_hash  TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE rendered_runbooks (
  trajectory_id TEXT PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  text          TEXT NOT NULL
) STRICT;
`;
