import type Database from 'better-sqlite3';
import type { ChangeEmitter } from './changes';
import type { Redactor } from './redactor';

/** What the store's modules share: the connection, change notifications, redaction. */
export interface StoreContext {
  db: Database.Database;
  changes: ChangeEmitter;
  /** The redactor registered for a trajectory (its own secrets and the shared ones), else the shared secrets' redactor. */
  redactorFor(trajectoryId: string): Redactor;
  /** A copy of a stored value with the shared secrets' markers put back: only for work that resumes, never for display. */
  restoreShared<T>(value: T): T;
}

export const nowIso = (): string => new Date().toISOString();

/**
 * `write` as an IMMEDIATE transaction, which takes the write lock at BEGIN and waits for it
 * (busy_timeout) while another connection holds it — the passthrough's recording thread,
 * another jetty process. A deferred transaction that reads before it writes fails at once
 * with SQLITE_BUSY instead, since SQLite never waits to turn a read into a write; every
 * store transaction that writes goes through here. Inside another transaction it nests as
 * a savepoint, as `db.transaction` does.
 */
export function writeTransaction<A extends unknown[], R>(db: Database.Database, write: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(write);
  return (...args) => transaction.immediate(...args);
}
