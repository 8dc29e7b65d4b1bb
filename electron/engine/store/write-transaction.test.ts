// Store transactions share the database file with other connections (the passthrough's
// recording thread, another jetty process): one that reads before it writes must wait for
// another connection's write lock, not fail with SQLITE_BUSY_SNAPSHOT once that one commits.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const HOLD_MS = 300;

/** Another process takes the write lock and writes; after `release()` it holds on HOLD_MS more, then commits. */
async function holdWriteLock(file: string) {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]);
       db.exec('BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS lock_probe (x); INSERT INTO lock_probe VALUES (1)');
       console.log('locked');
       require('node:fs').readSync(0, Buffer.alloc(1));
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS});
       db.exec('COMMIT');`,
      file,
    ],
    { cwd: path.resolve(import.meta.dirname, '../../..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
  for await (const line of createInterface({ input: holder.stdout })) if (line === 'locked') break;
  return { release: () => holder.stdin.end('go\n'), exited };
}

describe('store write transactions under another connection’s write lock', () => {
  it('a transaction that reads before it writes waits for the lock and succeeds', async () => {
    const { store, file } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const lock = await holdWriteLock(file);
    lock.release();
    const started = performance.now();
    // updateStatuses reads which ids exist, then writes: a deferred transaction would fail here.
    expect(store.updateStatuses({ [id]: 'archived' })).toEqual({ updated: [id], missing: [] });
    expect(performance.now() - started).toBeGreaterThan(HOLD_MS / 3);
    expect(store.getTrajectory(id)?.status).toBe('archived');
    expect(await lock.exited).toBe(0);
  });
});
