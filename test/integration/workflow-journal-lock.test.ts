// The journal shares its database file with other connections (the passthrough's recording
// thread, another jetty process on the same data folder): a commit that meets one of them
// holding the write lock waits for it (busy_timeout) instead of failing at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxy } from '../../electron/engine/proxy';
import { openStore, type Store } from '../../electron/engine/store';
import { createModelClient, createWorkflowRuntime } from '../../electron/engine/workflows';

const HOLD_MS = 300;

/**
 * Another process takes the database's write lock; `release()` lets it keep the lock
 * HOLD_MS more and commit (so the caller can then meet the lock synchronously); `exited`
 * is its exit code.
 */
async function holdWriteLock(file: string): Promise<{ release(): void; exited: Promise<number | null> }> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]);
       db.exec('BEGIN IMMEDIATE');
       console.log('locked');
       require('node:fs').readSync(0, Buffer.alloc(1));
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS});
       db.exec('COMMIT');`,
      file,
    ],
    { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
  for await (const line of createInterface({ input: holder.stdout })) if (line === 'locked') break;
  return { release: () => holder.stdin.end('go\n'), exited };
}

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('workflow journal under another connection’s write lock', () => {
  it('a workflow started while another process holds the write lock waits for it and completes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-lock-'));
    dirs.push(dir);
    const store = openStore(path.join(dir, 'jetty.db'));
    stores.push(store);
    const proxy = createProxy({ store });
    const runtime = createWorkflowRuntime({ store, models: createModelClient(proxy), taskWorkflow: async () => null });
    const document = { init_params: { text: 'hi' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };
    try {
      const lock = await holdWriteLock(store.file);
      lock.release();
      const started = performance.now();
      const t = await runtime.start({ collection: 'wf', task: 'locked', document }).done;
      expect(t.status, t.error ?? '').toBe('completed');
      expect(t.steps.echo.outputs).toEqual({ text: 'hi' });
      // It waited for the lock rather than failing before it was released.
      expect(performance.now() - started).toBeGreaterThan(HOLD_MS / 3);
      expect(await lock.exited).toBe(0);
    } finally {
      await runtime.close();
      await proxy.close();
    }
  });
});
