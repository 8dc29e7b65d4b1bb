import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isOwnerProcessAlive, openStore } from '../../electron/engine/store';

const CHILD = path.join(import.meta.dirname, 'store-crash-child.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-store-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it reports `killAfter` committed events, then SIGKILLs it mid-stream. */
async function runAndKill(file: string, killAfter: number): Promise<{ id: string; committed: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(killAfter * 100)], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let id = '';
  let committed = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word === 'trajectory') id = value;
    if (word === 'committed') committed = Number(value);
    if (committed >= killAfter) {
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited).toBeNull(); // killed by a signal, not finished
  return { id, committed };
}

describe('store after kill -9 of a writer', () => {
  // Three kills at different points, on the same file, each followed by recovery.
  it.each([2000, 5000, 9000])('keeps every committed event after a kill at %i, stays intact, recovers', async (killAfter) => {
    const file = path.join(dir, 'jetty.db');
    const { id, committed } = await runAndKill(file, killAfter);
    expect(id).toMatch(/^[0-9a-f]{8}$/);

    const raw = new Database(file);
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }

    const store = openStore(file);
    try {
      const total = store.countEvents(id);
      expect(total).toBeGreaterThanOrEqual(committed);
      let expected = 1;
      for (let page; (page = store.listEvents(id, { afterSeq: expected - 1, limit: 1000 })).length; ) {
        for (const event of page) {
          expect(event.seq).toBe(expected);
          expect(event.type === 'command_output' && event.payload.tool_call_id).toBe(String(expected));
          expected += 1;
        }
      }
      expect(expected - 1).toBe(total);

      expect(store.markInterrupted(isOwnerProcessAlive)).toEqual([id]);
      expect(store.getTrajectory(id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    } finally {
      store.close();
    }
  });
});
