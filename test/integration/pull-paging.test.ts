import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stallOf } from '../helpers/stall-of';
import { dispatch } from '../../shared/rpc';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createCloudService } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore } from '../../electron/engine/store';
import { seedDataDir, seededTrajectory } from '../helpers/seed-remote';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

/** The longest the event loop may be held at once while a large import or pull goes on. */
const MAX_STALL_MS = 200;
const BIG = 120_000;
const SECOND = 80_000;

describe('events in pages, from a real jetty serve, without stalling the event loop', () => {
  let dir: string;
  let remote: ServedJetty;
  const get = async (p: string) => (await fetch(`${remote.origin}/api/v1${p}`, { headers: { authorization: `Bearer ${remote.token}` } })).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-pull-paging-'));
    const remoteData = path.join(dir, 'remote');
    await seedDataDir(remoteData, [seededTrajectory('b1000001', BIG, 'big', 'events'), seededTrajectory('b1000002', SECOND, 'big', 'events'), seededTrajectory('b1000003', 5, 'big', 'events')]);
    await mkdir(path.join(dir, 'served'));
    remote = await startJettyServe(path.join(dir, 'served'), { fromSource: true, dataDir: remoteData, timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await remote?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('GET /db/trajectory says when events follow its page, and pages with events_after / events_limit', async () => {
    const first = await get('/db/trajectory/big/events/b1000001');
    expect((first.events as unknown[]).length).toBe(10_000);
    expect(first.events_has_more).toBe(true);
    const tail = await get(`/db/trajectory/big/events/b1000001?events_after=${BIG - 10}&events_limit=1000`);
    expect((tail.events as { seq: number }[]).map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => BIG - 9 + i));
    expect(tail.events_has_more).toBe(false);
    const bad = await fetch(`${remote.origin}/api/v1/db/trajectory/big/events/b1000001?events_limit=0`, { headers: { authorization: `Bearer ${remote.token}` } });
    expect(bad.status).toBe(422);
  });

  it(`a pull of ${BIG + SECOND} events stores every one and never holds the event loop ${MAX_STALL_MS} ms`, async () => {
    const client = path.join(dir, 'client');
    await mkdir(client);
    const store = openStore(path.join(client, 'jetty.db'));
    const cloud = createCloudService({ store, vault: openSecretVault(client), dataDir: client, env: { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin } });
    try {
      await cloud.signIn(remote.token);
      const { value: result, busy, late } = await stallOf(() => cloud.pull({ collection: 'big', task: 'events' }));
      expect(result.added).toHaveLength(3);
      const counts = result.added.map((id) => store.countEvents(id)).sort((a, b) => b - a);
      expect(counts).toEqual([BIG, SECOND, 5]);
      for (const id of result.added) expect(store.getTrajectory(id)).toMatchObject({ status: 'completed', error: null });
      console.log(`longest stall during the pull: ${busy.toFixed(0)} ms on the CPU (${late.toFixed(0)} ms wall clock on this machine)`);
      expect(busy).toBeLessThan(MAX_STALL_MS);
      const again = await cloud.pull({ collection: 'big', task: 'events' });
      expect(again).toMatchObject({ added: [], refreshed: [], unchanged: 3 });
    } finally {
      await cloud.close();
      store.close();
    }
  }, 180_000);
});

describe('a 100,000-event trajectory imported through the WebSocket door', () => {
  let dir: string;
  let engine: Engine;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-import-pieces-'));
    engine = await createEngine({ dataDir: path.join(dir, 'data'), env: {} });
  });
  afterAll(async () => {
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The WebSocket's own parse of one message (at most 20 MiB; this one is ~12 MB) comes
  // before the call and is the transport's; what is measured is the import itself, through
  // the same door (contract validation and handler) a WebSocket message reaches.
  it(`is stored whole without holding the event loop ${MAX_STALL_MS} ms`, async () => {
    const document = seededTrajectory('c1000001', 100_000, 'big', 'import');
    const { value, busy, late } = await stallOf(() => dispatch(engine.webApi, 'trajectory.import', { document }) as Promise<{ id: string }>);
    expect(engine.services.store.countEvents(value.id)).toBe(100_000);
    expect(engine.services.store.getTrajectory(value.id)).toMatchObject({ status: 'completed', error: null });
    console.log(`longest stall during the import: ${busy.toFixed(0)} ms on the CPU (${late.toFixed(0)} ms wall clock on this machine)`);
    expect(busy).toBeLessThan(MAX_STALL_MS);
  }, 120_000);
});
