import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCloudService, type CloudService, type CloudServiceOptions } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore, type Store } from '../../electron/engine/store';
import { startHostileServer, type HostileServer } from './hostile-http';

/** A route of a fake remote Jetty: the answer to a request whose path (without `/api/v1`) starts with `prefix`. */
export type RemoteRoute = (req: IncomingMessage, res: ServerResponse, url: URL, count: (n: number) => void) => unknown;

export const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A remote trajectory in the cloud's shape with `events` events (seq 1…n) and the given artifacts. */
export function remoteTrajectory(id: string, options: { events?: number; from?: number; artifacts?: { path: string; size: number; sha256: string }[] } = {}) {
  const from = options.from ?? 1;
  return {
    trajectory_id: id,
    id,
    collection: 'c',
    task: 't',
    kind: 'runbook',
    status: 'completed',
    created_at: '2026-01-01T00:00:00.000Z',
    steps: {},
    labels: [],
    artifacts: (options.artifacts ?? []).map((a) => ({ ...a, media_type: 'text/plain' })),
    events: Array.from({ length: options.events ?? 3 }, (_, i) => ({
      seq: from + i,
      time: '2026-01-01T00:00:00.000Z',
      level: 'info',
      type: 'log',
      step: null,
      payload: { message: `event ${from + i}` },
    })),
  };
}

/**
 * A fake remote Jetty on loopback that answers as `routes` say (matched by path prefix
 * under `/api/v1`; `/collections/` answers `[]` unless routed), and a cloud service over a
 * fresh data folder pointing at it, signed in. `close` stops both and removes the folder.
 */
export async function fakeRemote(routes: Record<string, RemoteRoute>, options: Partial<CloudServiceOptions> = {}) {
  const server: HostileServer = await startHostileServer(async (req, res, count) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rest = url.pathname.replace(/^\/api\/v1/, '');
    const key = Object.keys(routes)
      .filter((p) => rest.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (key) return routes[key](req, res, url, count);
    if (rest === '/collections/') return json(res, 200, []);
    json(res, 404, { error: { message: 'no such route' } });
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-fake-remote-'));
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const store: Store = openStore(path.join(dataDir, 'jetty.db'));
  const cloud: CloudService = createCloudService({
    store,
    vault: openSecretVault(dataDir),
    dataDir,
    env: { HOME: path.join(dir, 'home'), JETTY_API_URL: server.url },
    http: { retries: 0, baseDelayMs: 10 },
    ...options,
  });
  await cloud.signIn('mlc_fake-remote-token');
  return {
    server,
    store,
    cloud,
    dir,
    dataDir,
    async close() {
      await cloud.close();
      store.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
