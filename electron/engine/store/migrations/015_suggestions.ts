/**
 * Migration 15: suggestions ("Suggest fixes" on an evaluation). `suggestion_sets` is one
 * request: the evaluation it analyses, the model, the hash of RUNBOOK.md its edits are made
 * to, its state (analyzing → evaluating → ready, or failed with an error) and the process
 * working on it (`owner`), so a restart finds what a dead process left. `suggestions` are
 * its proposals, numbered: lens, title, rationale, the evidence (trial steps, JSON), the
 * edit (find → replace) and the hash of the edited text, the re-evaluation of that text and,
 * once it ended, its verdict and before/after figures per cell; or dropped, with the reason.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE suggestion_sets (
  id            TEXT PRIMARY KEY,
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  state         TEXT NOT NULL CHECK (state IN ('analyzing', 'evaluating', 'ready', 'failed')),
  error         TEXT,
  model         TEXT NOT NULL,
  runbook_hash  TEXT NOT NULL,
  owner         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  ended_at      TEXT
) STRICT;
CREATE INDEX suggestion_sets_by_evaluation ON suggestion_sets (evaluation_id, created_at);
CREATE INDEX suggestion_sets_live ON suggestion_sets (state) WHERE state IN ('analyzing', 'evaluating');

CREATE TABLE suggestions (
  set_id          TEXT NOT NULL REFERENCES suggestion_sets (id) ON DELETE CASCADE,
  number          INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('evaluating', 'evaluated', 'failed', 'dropped')),
  lens            TEXT NOT NULL,
  title           TEXT NOT NULL,
  rationale       TEXT NOT NULL,
  evidence        TEXT NOT NULL DEFAULT '[]',
  find            TEXT NOT NULL,
  replace         TEXT NOT NULL,
  reason          TEXT,
  edited_hash     TEXT,
  reevaluation_id TEXT REFERENCES evaluations (id) ON DELETE SET NULL,
  verdict         TEXT CHECK (verdict IN ('improved', 'unchanged', 'worse')),
  cells           TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (set_id, number)
) STRICT;
`;
