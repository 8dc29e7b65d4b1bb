import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudService } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore } from '../../electron/engine/store';
import { sha256 } from '../helpers/fake-remote';
import { seedDataDir, seededTrajectory } from '../helpers/seed-remote';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const CHILD = path.join(__dirname, 'pull-crash-child.ts');
const SMALL = 150;
const BIG_EVENTS = 25_000;
/** Store changes seen before the kill: past the first trajectories, well before the end. */
const KILL_AFTER_CHANGES = 40;

/** The remote's trajectories: two long ones (newest, so they are pulled first) and SMALL short ones, each with one artifact. */
function remoteDocs() {
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1) - i * 60_000).toISOString();
  const ids = [0, 1].map((i) => (0xd0000000 + i).toString(16)).concat(Array.from({ length: SMALL }, (_, i) => (0xd1000000 + i).toString(16)));
  return ids.map((id, i) => {
    const content = `report of ${id}\n`;
    return {
      doc: { ...seededTrajectory(id, i < 2 ? BIG_EVENTS : 12, 'crash', 'task', at(i)), artifacts: [{ path: 'out/report.txt', size: Buffer.byteLength(content), sha256: sha256(content), media_type: 'text/plain' }] },
      content,
    };
  });
}

describe('a pull killed (SIGKILL) part-way, then pulled again', () => {
  let dir: string;
  let remote: ServedJetty;
  const docs = remoteDocs();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-pull-crash-'));
    const remoteData = path.join(dir, 'remote');
    await seedDataDir(remoteData, docs.map((d) => d.doc));
    for (const { doc, content } of docs) {
      await mkdir(path.join(remoteData, 'artifacts', doc.id, 'out'), { recursive: true });
      await writeFile(path.join(remoteData, 'artifacts', doc.id, 'out', 'report.txt'), content);
    }
    await mkdir(path.join(dir, 'served'));
    remote = await startJettyServe(path.join(dir, 'served'), { fromSource: true, dataDir: remoteData, timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await remote?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores everything once: no duplicate, nothing half-imported, each artifact in place, integrity_check ok', async () => {
    const dataDir = path.join(dir, 'client');
    await mkdir(dataDir);
    const env = { ...process.env, HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin, CHILD_TOKEN: remote.token };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    let changes = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('done')) throw new Error(`the pull finished before the kill: ${line}`);
      if (++changes >= KILL_AFTER_CHANGES) break;
    }
    child.kill('SIGKILL');
    await exited;

    const file = path.join(dataDir, 'jetty.db');
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const storedBefore = (check.prepare('SELECT COUNT(*) AS n FROM trajectories').get() as { n: number }).n;
    // A long trajectory was cut part-way: its origin says how far it got, its header that it is not complete.
    const partial = check.prepare("SELECT o.last_event_seq AS seq, t.status, t.error FROM trajectory_origins o JOIN trajectories t ON t.id = o.trajectory_id WHERE o.remote_status = 'importing'").all() as { seq: number; status: string; error: string }[];
    check.close();
    expect(storedBefore, 'the kill came after the end').toBeLessThan(docs.length);
    expect(partial.length, 'no trajectory was cut part-way').toBeGreaterThan(0);
    for (const p of partial) expect(p).toMatchObject({ status: 'failed', error: expect.stringMatching(/still being pulled/) });
    expect(partial.every((p) => p.seq > 0 && p.seq < BIG_EVENTS)).toBe(true);

    const store = openStore(file);
    const cloud = createCloudService({ store, vault: openSecretVault(dataDir), dataDir, env: { HOME: env.HOME, JETTY_API_URL: remote.origin } });
    try {
      const result = await cloud.pull({ collection: 'crash', task: 'task' });
      expect(result.failed).toEqual([]);
      expect(result.added.length + result.refreshed.length + result.unchanged).toBe(docs.length);
      const again = await cloud.pull({ collection: 'crash', task: 'task' });
      expect(again).toMatchObject({ added: [], refreshed: [], unchanged: docs.length, failed: [] });

      const origins = store.origins().ofTask(remote.origin, 'crash', 'task');
      expect(origins.size).toBe(docs.length);
      expect(store.listTrajectories({ limit: 200 }).total).toBe(docs.length);
      for (const { doc, content } of docs) {
        const origin = origins.get(doc.id)!;
        expect(origin, doc.id).toBeDefined();
        const local = store.getTrajectory(origin.trajectory_id)!;
        expect(local, doc.id).toMatchObject({ status: 'completed', error: null, artifacts: [expect.objectContaining({ path: 'out/report.txt' })] });
        expect(store.countEvents(local.id), doc.id).toBe(doc.events.length);
        expect(store.listEvents(local.id, { afterSeq: doc.events.length - 1, limit: 1 })[0].seq).toBe(doc.events.length);
        expect(readFileSync(path.join(dataDir, 'artifacts', local.id, 'out', 'report.txt'), 'utf8'), doc.id).toBe(content);
      }
    } finally {
      await cloud.close();
      store.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    after.close();
  }, 180_000);
});
