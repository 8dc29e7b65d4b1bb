import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection';
import { openStore } from './index';
import { tempDir } from './temp-store.test-helper';

/** Tries openStore(file) in a child process, as `nobody` when we are root (root ignores permissions). */
function openInChild(file: string): { code?: string; message?: string; opened?: true } {
  const script = `import(${JSON.stringify(path.join(import.meta.dirname, 'index.ts'))}).then(({ openStore }) => {
    try { openStore(${JSON.stringify(file)}).close(); console.log('{"opened":true}'); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
  })`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    ...asNobody,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout);
}

/** A folder `nobody` can enter but not write. */
function readOnlyFolder(): string {
  const parent = tempDir();
  chmodSync(parent, 0o755);
  const dir = path.join(parent, 'read-only');
  mkdirSync(dir);
  return dir;
}

describe('opening the database', () => {
  it('applies WAL, NORMAL sync, foreign keys and a busy timeout', () => {
    const db = openDatabase(path.join(tempDir(), 'jetty.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('explains a file that is not a database', () => {
    const file = path.join(tempDir(), 'jetty.db');
    writeFileSync(file, Buffer.alloc(8192, 'not sqlite at all '));
    expect(() => openStore(file)).toThrow(
      expect.objectContaining({ code: 'corrupt', message: expect.stringMatching(/not a valid SQLite database.*Move it/) }),
    );
  });

  it('explains a missing folder', () => {
    const file = path.join(tempDir(), 'missing', 'jetty.db');
    expect(() => openStore(file)).toThrow(
      expect.objectContaining({ code: 'cannot_open', message: expect.stringMatching(/folder .*missing does not exist/) }),
    );
  });

  it('explains a read-only folder when creating the database', () => {
    const dir = readOnlyFolder();
    chmodSync(dir, 0o555);
    const result = openInChild(path.join(dir, 'jetty.db'));
    expect(result.code).toBe('cannot_open');
    expect(result.message).toMatch(/Check that its folder is writable/);
  });

  it('explains an existing database in a read-only folder', () => {
    const dir = readOnlyFolder();
    const file = path.join(dir, 'jetty.db');
    openStore(file).close();
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    const result = openInChild(file);
    expect(result.code).toBe('read_only');
    expect(result.message).toMatch(/is read-only .*Make the file and its folder writable/);
  });
});
