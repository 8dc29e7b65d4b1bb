/**
 * Migration 2 (added for the local Jetty API): collections and tasks created over REST.
 * Runbooks found in opened folders are tasks too, but they live in the folders, not here.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
CREATE TABLE collections (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE tasks (
  collection  TEXT NOT NULL,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  workflow    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (collection, name)
) STRICT, WITHOUT ROWID;
`;
