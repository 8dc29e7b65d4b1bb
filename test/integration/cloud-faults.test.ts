import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/api';
import { createCloudService, type CloudService } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore, type Store } from '../../electron/engine/store';
import { REPO } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const WORKFLOW = path.join(REPO, 'test/fixtures/cloud/echo.workflow.json');

/** The remote's own view, asked directly (not through the proxy): what it holds, counted. */
async function onRemote(remote: ServedJetty, p: string): Promise<unknown> {
  const res = await fetch(`${remote.origin}/api/v1${p}`, { headers: { authorization: `Bearer ${remote.token}` } });
  return res.status === 404 ? null : res.json();
}

/** Resolves when `check` holds after an outbox change (events, not sleeps); fails after `ms`. */
function outboxSettles(changes: EventTarget, check: () => boolean, ms = 30_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the outbox did not settle')), ms);
    const listener = () => {
      if (!check()) return;
      clearTimeout(timer);
      changes.removeEventListener('change', listener);
      resolve();
    };
    changes.addEventListener('change', listener);
  });
}

describe('cloud faults against a second real jetty serve behind a fault proxy', () => {
  let remote: ServedJetty;
  let proxy: FaultProxy;
  let dir: string;
  let store: Store;
  let cloud: CloudService;
  const changes = new EventTarget();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-faults-'));
    await mkdir(path.join(dir, 'served'));
    await mkdir(path.join(dir, 'client'));
    remote = await startJettyServe(path.join(dir, 'served'), { fromSource: true, timeoutMs: 60_000 });
    proxy = await startFaultProxy(remote.origin);
    store = openStore(path.join(dir, 'client', 'jetty.db'));
    cloud = createCloudService({
      store,
      vault: openSecretVault(path.join(dir, 'client')),
      dataDir: path.join(dir, 'client'),
      env: { HOME: path.join(dir, 'home'), JETTY_API_URL: proxy.url },
      http: { baseDelayMs: 100, retries: 4 },
      outboxRetryMs: 100,
      onOutbox: () => changes.dispatchEvent(new Event('change')),
    });
    await cloud.signIn(remote.token);
  }, 90_000);
  afterAll(async () => {
    await cloud?.close();
    store?.close();
    await proxy?.close();
    await remote?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in: the token file is 0600 in a 0700 folder and only a redacted form is shown', async () => {
    const { statSync } = await import('node:fs');
    expect(cloud.status()).toMatchObject({ state: 'online', tokenSource: 'file' });
    expect(cloud.status().token).not.toContain(remote.token.slice(2, -2));
    expect(statSync(path.join(dir, 'home/.config/jetty/token')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'home/.config/jetty')).mode & 0o777).toBe(0o700);
  });

  it('429 then 200: retried after retry-after', async () => {
    proxy.fault('GET', '/api/v1/collections', { status: 429, headers: { 'retry-after': '1' } });
    const from = proxy.log.length;
    await cloud.collections();
    const calls = proxy.log.slice(from).filter((r) => r.path.startsWith('/api/v1/collections'));
    expect(calls.map((c) => c.outcome)).toEqual([429, 'forwarded']);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('500s: retried with exponential backoff, never after a 4xx', async () => {
    for (let i = 0; i < 3; i++) proxy.fault('GET', '/api/v1/collections', { status: 500 });
    const from = proxy.log.length;
    await cloud.collections();
    const calls = proxy.log.slice(from);
    expect(calls.map((c) => c.outcome)).toEqual([500, 500, 500, 'forwarded']);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);

    proxy.fault('GET', '/api/v1/collections', { status: 422 });
    const before = proxy.log.length;
    await expect(cloud.collections()).rejects.toThrow(/422/);
    expect(proxy.log.length - before).toBe(1);
  });

  it('remote down: deploy, run and label are queued; back up: each delivered exactly once, in order', async () => {
    // A pulled trajectory to label: deploy, run and pull while the remote is up.
    const deployed = await cloud.deploy({ file: WORKFLOW, collection: 'faults', task: 'seeded' });
    expect(deployed.status).toBe('delivered');
    const seeded = await cloud.run({ file: WORKFLOW, collection: 'faults', task: 'seeded', params: { text: 'one' } });
    expect(seeded.status).toBe('delivered');
    await cloud.following();
    const pulled = store.origins().ofTask(proxy.url, 'faults', 'seeded');
    const [localId] = [...pulled.values()].map((o) => o.trajectory_id);
    expect(store.getTrajectory(localId)?.status).toBe('completed');

    await proxy.down();
    const queued = [
      await cloud.deploy({ file: WORKFLOW, collection: 'faults', task: 'offline' }),
      await cloud.run({ file: WORKFLOW, collection: 'faults', task: 'offline', params: { text: 'two' } }),
      await cloud.pushLabel(localId, { key: 'verdict', value: 'good', author: 'tester' }),
    ];
    expect(queued.map((q) => q?.status)).toEqual(['queued', 'queued', 'queued']);
    expect(cloud.status().state).toBe('offline');
    expect(store.outbox().list().map((i) => i.kind)).toEqual(['deploy', 'run', 'label']);

    await proxy.up();
    await outboxSettles(changes, () => store.outbox().list().length === 0);
    await cloud.following();
    const tasks = (await onRemote(remote, '/tasks/faults')) as { name: string }[];
    expect(tasks.filter((t) => t.name === 'offline')).toHaveLength(1);
    const runs = (await onRemote(remote, '/db/trajectories/faults/offline')) as { total: number };
    expect(runs.total).toBe(1);
    const remoteId = [...pulled.values()][0].remote_id;
    const labelled = (await onRemote(remote, `/db/trajectory/faults/seeded/${remoteId}`)) as { labels: { key: string }[] };
    expect(labelled.labels.filter((l) => l.key === 'verdict')).toHaveLength(1);
  }, 60_000);

  it('a launch whose answer is lost is retried with its idempotency key: one run on the remote', async () => {
    proxy.fault('POST', '/api/v1/run/faults/offline', { swallow: true });
    const first = await cloud.run({ file: WORKFLOW, collection: 'faults', task: 'offline', params: { text: 'three' } });
    expect(first.status).toBe('queued');
    await outboxSettles(changes, () => store.outbox().list().length === 0);
    await cloud.following();
    const runs = (await onRemote(remote, '/db/trajectories/faults/offline')) as { total: number };
    expect(runs.total).toBe(2);
    expect(proxy.log.filter((r) => r.path === '/api/v1/run/faults/offline').map((r) => r.outcome)).toEqual(['forwarded', 'swallowed', 'forwarded']);
  }, 60_000);

  it('401: signed-out state with a clear message, nothing lost from the outbox', async () => {
    await proxy.down();
    const queued = await cloud.deploy({ file: WORKFLOW, collection: 'faults', task: 'after-401' });
    expect(queued.status).toBe('queued');
    proxy.fault('POST', '/api/v1/', { status: 401 });
    proxy.fault('GET', '/api/v1/', { status: 401 });
    await proxy.up();
    await cloud.flush();
    expect(cloud.status()).toMatchObject({ state: 'rejected' });
    expect(cloud.status().message).toMatch(/refused the token \(401\)/);
    expect(store.outbox().list()).toHaveLength(1);
    expect(store.outbox().list()[0]).toMatchObject({ state: 'pending', kind: 'deploy' });
    await cloud.signIn(remote.token);
    await outboxSettles(changes, () => store.outbox().list().length === 0);
    expect(((await onRemote(remote, '/tasks/faults')) as { name: string }[]).some((t) => t.name === 'after-401')).toBe(true);
  }, 60_000);

  it('kill -9 of the app with a non-empty outbox: delivered after restart', async () => {
    const dataDir = path.join(dir, 'killed');
    const home = path.join(dir, 'killed-home');
    await proxy.down();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/integration/cloud-outbox-child.ts'), dataDir, WORKFLOW], {
      env: { ...process.env, HOME: home, JETTY_API_URL: proxy.url, CHILD_TOKEN: remote.token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('queued')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code} before queueing: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await proxy.up();
    const engine = await createEngine({ dataDir, env: { HOME: home, JETTY_API_URL: proxy.url } });
    try {
      await outboxSettles(
        { addEventListener: (_: string, l: () => void) => engine.bus.subscribe('cloud.outbox.changed', l), removeEventListener: () => undefined } as unknown as EventTarget,
        () => engine.services.store.outbox().list().length === 0,
      );
      const tasks = (await onRemote(remote, '/tasks/faults')) as { name: string }[];
      expect(tasks.filter((t) => t.name === 'after-kill')).toHaveLength(1);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
