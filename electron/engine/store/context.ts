import type Database from 'better-sqlite3';
import type { ChangeEmitter } from './changes';
import type { Redactor } from './redactor';

/** What the store's modules share: the connection, change notifications, redaction. */
export interface StoreContext {
  db: Database.Database;
  changes: ChangeEmitter;
  /** The redactor registered for a trajectory, or one that changes nothing. */
  redactorFor(trajectoryId: string): Redactor;
}

export const nowIso = (): string => new Date().toISOString();
