import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { restrictToOwner } from '../base/data-dir';
import { StoreError } from './errors';

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if missing) the SQLite file with the store's settings, turning the
 * usual failures — missing or read-only folder, read-only file, a file that is not a
 * database or is corrupt — into a StoreError that says what to do.
 */
export function openDatabase(file: string): Database.Database {
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StoreError('cannot_open', `Cannot open the Jetty database ${file}: the folder ${dir} does not exist.`);
  }
  let db: Database.Database | undefined;
  // The database holds prompts and outputs: the owner's only, however the file or an older copy was made.
  // (SQLite gives the -wal and -shm files the database's mode.)
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) restrictToOwner(f, 0o600);
  try {
    db = new Database(file);
    restrictToOwner(file, 0o600);
    applySettings(db);
    return db;
  } catch (error) {
    db?.close();
    throw describeOpenError(error, file);
  }
}

function applySettings(db: Database.Database): void {
  // Reading the journal mode is the first access to the file's header: a file that is
  // not a database fails here rather than in some later query.
  db.pragma('journal_mode = WAL');
  // In WAL mode, synchronous=NORMAL still writes every committed transaction to the WAL
  // file before the commit returns; it only skips the fsync at commit. A crashed or
  // killed process therefore never loses a committed transaction (the OS holds the
  // written pages); only an OS crash or power loss can drop the last few commits, and
  // the database stays consistent even then. FULL would fsync every event batch, which
  // costs far more than the guarantee is worth for run logs on a desktop.
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  // Trajectory ids are random, so every new trajectory lands on random pages of the id
  // index and of the steps and events tables. A 32 MiB page cache (allocated as used)
  // keeps those pages in memory instead of re-reading them from the file, and checkpoints
  // every 10,000 WAL pages (40 MiB) instead of 1,000 copy each page once for many
  // commits. Together they take about 45% off storing a passthrough call in a store of
  // 100k trajectories (bench/README.md, proxy).
  db.pragma('cache_size = -32768');
  db.pragma('wal_autocheckpoint = 10000');
}

/** Maps an error met while opening or migrating to an actionable StoreError. */
export function describeOpenError(error: unknown, file: string): Error {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(
      'corrupt',
      `The Jetty database ${file} is not a valid SQLite database or is corrupt (${reason}). ` +
        'Move it (and any -wal/-shm files beside it) aside to start with an empty store.',
      { cause: error },
    );
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) {
    return new StoreError(
      'read_only',
      `The Jetty database ${file} is read-only (${reason}). Make the file and its folder writable, ` +
        'or choose another data directory (--data-dir or JETTY_DATA_DIR).',
      { cause: error },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))) {
    return new StoreError(
      'cannot_open',
      `Cannot open or create the Jetty database ${file} (${reason}). Check that its folder is writable, ` +
        'or choose another data directory (--data-dir or JETTY_DATA_DIR).',
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(reason);
}
