import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import type { Migration } from './migrations';

interface AppliedMigration {
  id: number;
  name: string;
  sha256: string;
}

export const migrationHash = (migration: Migration): string =>
  createHash('sha256').update(migration.sql).digest('hex');

/**
 * Brings the schema up to date: checks that every migration already applied is unchanged
 * (same sha256 as recorded), refuses a database written by a newer version, then applies
 * the missing migrations in order with their hashes recorded. All of it runs in one
 * IMMEDIATE transaction, so two processes opening a fresh file cannot both migrate it.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): void {
  db.transaction(() => migrateInTransaction(db, migrations, file)).immediate();
}

function migrateInTransaction(db: Database.Database, migrations: readonly Migration[], file: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT id, name, sha256 FROM schema_migrations ORDER BY id').all() as AppliedMigration[];
  const known = new Map(migrations.map((m) => [m.id, m]));
  for (const row of applied) {
    const migration = known.get(row.id);
    if (!migration) {
      throw new StoreError(
        'newer_schema',
        `The database ${file} has schema migration ${row.id} (${row.name}), newer than this version of Jetty ` +
          `knows (latest ${migrations.at(-1)?.id ?? 0}). Update Jetty Desktop, or point it at another data directory.`,
      );
    }
    if (migrationHash(migration) !== row.sha256) {
      throw new StoreError(
        'migration_changed',
        `Schema migration ${row.id} (${row.name}) differs from the one applied to ${file} ` +
          `(sha256 mismatch). Applied migrations must never change: restore its original SQL and add a new migration.`,
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  const done = new Set(applied.map((row) => row.id));
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    db.exec(migration.sql);
    record.run(migration.id, migration.name, migrationHash(migration), new Date().toISOString());
  }
}
