import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrationHash } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { openStore } from './index';
import { aTrajectory, tempDir } from './temp-store.test-helper';

/** The id a next migration would take: after the last shipped one. */
const NEXT_ID = MIGRATIONS[MIGRATIONS.length - 1].id + 1;

const withDb = <T>(file: string, use: (db: Database.Database) => T): T => {
  const db = new Database(file);
  try {
    return use(db);
  } finally {
    db.close();
  }
};

const recorded = (file: string) =>
  withDb(file, (db) => db.prepare('SELECT id, name, sha256 FROM schema_migrations ORDER BY id').all());

describe('migrations', () => {
  it('numbers migrations from 1 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it('creates the schema on a fresh file and records each migration with its sha256', () => {
    const file = path.join(tempDir(), 'jetty.db');
    openStore(file).close();
    expect(recorded(file)).toEqual(MIGRATIONS.map((m) => ({ id: m.id, name: m.name, sha256: migrationHash(m) })));
    const tables = withDb(file, (db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
    );
    expect(tables).toEqual(
      expect.arrayContaining(['artifacts', 'events', 'labels', 'schema_migrations', 'steps', 'trajectories']),
    );
  });

  it('re-opens an existing file without re-applying migrations and keeps its data', () => {
    const file = path.join(tempDir(), 'jetty.db');
    const first = openStore(file);
    const { id } = first.createTrajectory(aTrajectory());
    first.close();
    const before = recorded(file);
    const second = openStore(file);
    expect(second.getTrajectory(id)?.task).toBe('weekly-report');
    second.close();
    expect(recorded(file)).toEqual(before);
  });

  it('applies only the new migrations of a later version', () => {
    const file = path.join(tempDir(), 'jetty.db');
    openStore(file).close();
    const next: Migration = { id: NEXT_ID, name: 'notes', sql: 'ALTER TABLE trajectories ADD COLUMN notes TEXT' };
    withDb(file, (db) => migrate(db, [...MIGRATIONS, next], file));
    expect(recorded(file)).toHaveLength(MIGRATIONS.length + 1);
    const columns = withDb(file, (db) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('trajectories'));
    expect(columns).toContain('notes');
  });

  it('refuses a database whose applied migration was changed since', () => {
    const file = path.join(tempDir(), 'jetty.db');
    openStore(file).close();
    const tampered = MIGRATIONS.map((m, index) => (index === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => withDb(file, (db) => migrate(db, tampered, file))).toThrow(
      /migration 1 \(initial\) differs .*sha256 mismatch/,
    );
  });

  it('refuses to open a file whose recorded hash does not match the shipped migration', () => {
    const file = path.join(tempDir(), 'jetty.db');
    openStore(file).close();
    withDb(file, (db) => db.prepare("UPDATE schema_migrations SET sha256 = 'f00d' WHERE id = 1").run());
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'migration_changed' }));
  });

  it('refuses a database written by a newer version', () => {
    const file = path.join(tempDir(), 'jetty.db');
    openStore(file).close();
    withDb(file, (db) =>
      db
        .prepare("INSERT INTO schema_migrations VALUES (?, 'from-the-future', 'x', '2099-01-01')")
        .run(NEXT_ID),
    );
    expect(() => openStore(file)).toThrow(
      expect.objectContaining({ code: 'newer_schema', message: expect.stringMatching(/newer than this version/) }),
    );
  });

  it('moves steps and events of a version-2 file into rowid tables, keeping order and data', () => {
    const file = path.join(tempDir(), 'jetty.db');
    withDb(file, (db) => {
      migrate(db, MIGRATIONS.slice(0, 2), file);
      db.prepare(
        "INSERT INTO trajectories (id, collection, task, kind, status, init_params, created_at) VALUES ('0000abcd', 'c', 't', 'runbook', 'completed', '{}', '2026-01-01T00:00:00.000Z')",
      ).run();
      const step = db.prepare("INSERT INTO steps VALUES ('0000abcd', ?, ?, 'completed', '{}', ?, NULL, NULL)");
      step.run('second', 1, '{"n":2}');
      step.run('first', 0, '{"n":1}');
      const event = db.prepare("INSERT INTO events VALUES ('0000abcd', ?, '2026-01-01T00:00:00.000Z', 'info', 'log', NULL, ?)");
      event.run(2, '{"message":"b"}');
      event.run(1, '{"message":"a"}');
    });
    const store = openStore(file);
    try {
      expect(Object.entries(store.exportTrajectory('0000abcd').steps).map(([name, s]) => [name, s.outputs])).toEqual([
        ['first', { n: 1 }],
        ['second', { n: 2 }],
      ]);
      expect(store.exportTrajectory('0000abcd').events.map((e) => [e.seq, e.payload])).toEqual([
        [1, { message: 'a' }],
        [2, { message: 'b' }],
      ]);
    } finally {
      store.close();
    }
    const schemas = withDb(file, (db) =>
      db.prepare("SELECT sql FROM sqlite_master WHERE name IN ('steps', 'events')").pluck().all(),
    );
    expect(schemas).toHaveLength(2);
    for (const sql of schemas) expect(sql).not.toMatch(/WITHOUT ROWID/);
    expect(withDb(file, (db) => db.pragma('foreign_key_check'))).toEqual([]);
  });

  it('fails the evaluation of runs stored before a missing required output did, and indexes the verdict', () => {
    const file = path.join(tempDir(), 'jetty.db');
    withDb(file, (db) => {
      migrate(db, MIGRATIONS.slice(0, 9), file);
      const trajectory = db.prepare("INSERT INTO trajectories (id, collection, task, kind, status, init_params, created_at, evaluation) VALUES (?, 'c', 't', 'runbook', 'completed', '{}', ?, ?)");
      const evaluate = db.prepare("INSERT INTO steps (trajectory_id, name, position, status, inputs, outputs) VALUES (?, 'evaluate', 3, 'completed', '{}', ?)");
      trajectory.run('0000aaaa', '2026-01-01T00:00:01.000Z', '{"overall_passed":true,"pass":1,"partial":0,"fail":0,"report":{"overall_passed":true}}');
      evaluate.run('0000aaaa', '{"overall_passed":true,"pass":1,"partial":0,"fail":0,"missing_outputs":["greeting.txt"]}');
      trajectory.run('0000bbbb', '2026-01-01T00:00:02.000Z', null);
      evaluate.run('0000bbbb', '{"message":"no validation_report.json","missing_outputs":["report.md","validation_report.json"]}');
      trajectory.run('0000cccc', '2026-01-01T00:00:03.000Z', '{"overall_passed":true,"pass":1,"partial":0,"fail":0}');
      evaluate.run('0000cccc', '{"overall_passed":true,"pass":1,"partial":0,"fail":0}');
    });
    const store = openStore(file);
    try {
      expect(store.getTrajectory('0000aaaa')?.evaluation).toEqual({ overall_passed: false, pass: 1, partial: 0, fail: 0, missing_outputs: ['greeting.txt'], report: { overall_passed: true } });
      expect(store.getTrajectory('0000bbbb')?.evaluation).toEqual({ overall_passed: false, pass: 0, partial: 0, fail: 0, missing_outputs: ['report.md', 'validation_report.json'] });
      expect(store.getTrajectory('0000cccc')?.evaluation?.overall_passed).toBe(true);
      expect(store.listTrajectories({ evaluation: 'failed' }).trajectories.map((t) => t.id)).toEqual(['0000bbbb', '0000aaaa']);
    } finally {
      store.close();
    }
    const plan = withDb(file, (db) =>
      db.prepare("EXPLAIN QUERY PLAN SELECT id FROM trajectories WHERE evaluation_verdict = 'failed' ORDER BY created_at DESC").all() as { detail: string }[],
    );
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX trajectories_by_verdict \(evaluation_verdict=\?\)/);
  });
});

