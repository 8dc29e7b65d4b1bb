// Docker going away under a warm pool and coming back, as a restart of Docker does to a
// long-lived `jetty serve`: the sandbox service reaches the real Docker through a proxy of
// its socket that the test cuts (every connection dropped, nothing accepted: the service's
// event stream breaks) and opens again; while it is cut the parked containers are removed,
// as a restarted Docker has none of them running, and the service hears no event of it.
// Once Docker answers again the pool notices on its own (no run asks), makes new
// containers, and the next run adopts one. (dockerd itself is shared with other processes
// on this machine: it is not restarted here.)
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxService } from '../../electron/engine/sandbox';
import { TEST_BASE_IMAGE, containerExists, createTestSandboxService, removeTestContainers, requireDocker, untilDocker } from '../helpers/docker';

const DOCKER_SOCKET = '/var/run/docker.sock';

/** A proxy of Docker's socket at `listenPath` that can be cut (all connections dropped, none accepted) and opened again. */
function socketProxy(listenPath: string) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  return {
    async open(): Promise<void> {
      await rm(listenPath, { force: true });
      server = net.createServer((client) => {
        const upstream = net.connect(DOCKER_SOCKET);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', drop).on('close', drop);
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(listenPath, resolve));
    },
    async cut(): Promise<void> {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
      server = null;
    },
  };
}

describe('a warm pool when Docker goes away and comes back', () => {
  let docker: Docker;
  let dir: string;
  let service: SandboxService | undefined;
  const proxy = { current: null as ReturnType<typeof socketProxy> | null };

  beforeAll(async () => {
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-pool-docker-'));
  });

  afterAll(async () => {
    await proxy.current?.open().catch(() => undefined);
    await service?.close();
    await proxy.current?.cut();
    if (docker) await removeTestContainers(docker);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('notices, without any run asking, that its parked containers went, makes new ones, and runs adopt them', async () => {
    const socketPath = path.join(dir, 'docker.sock');
    proxy.current = socketProxy(socketPath);
    await proxy.current.open();
    const listeners = new Set<() => void>();
    const pooled = createTestSandboxService(new Docker({ socketPath }), { warmPool: { size: () => 2, onChange: () => listeners.forEach((l) => l()) } });
    service = pooled;
    const wake = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));
    /** `pooled`'s parked containers once Docker (asked directly) and the pool both count `count` of them and `accept` holds. */
    const parked = (count: number, what: string, accept: (ids: string[]) => boolean = () => true) =>
      untilDocker(
        docker,
        { type: ['container'], label: [`jetty.instance=${pooled.instanceId}`] },
        async () => {
          const listed = await docker.listContainers({ filters: { label: [`jetty.instance=${pooled.instanceId}`, 'jetty.pool'], name: ['jetty-parked-'], status: ['running'] } });
          const ids = listed.map((c) => c.Id).sort();
          const pool = pooled.poolStatus()?.parked.reduce((n, p) => n + p.count, 0);
          return ids.length === count && pool === count && accept(ids) ? ids : undefined;
        },
        what,
        { wake },
      );

    await (await pooled.create({ image: TEST_BASE_IMAGE, runId: 'docker-away-warm' })).destroy();
    const before = await parked(2, 'the pool to fill');

    // Docker goes away; what it had running is gone when it is back.
    await proxy.current.cut();
    await Promise.all(before.map((id) => docker.getContainer(id).remove({ force: true })));
    for (const id of before) expect(await containerExists(docker, id)).toBe(false);
    // The pool still believes in them: it heard nothing.
    expect(pooled.poolStatus()?.parked).toEqual([expect.objectContaining({ count: 2 })]);

    await proxy.current.open();
    const rebuilt = await parked(2, 'the pool rebuilt once Docker answers again', (ids) => ids.every((id) => !before.includes(id)));
    const run = await pooled.create({ image: TEST_BASE_IMAGE, runId: 'docker-away-run', env: { BACK: 'yes' } });
    expect(run.adopted).toBe(true);
    expect(rebuilt).toContain(run.id);
    expect((await run.exec('echo "$BACK"')).stdout).toBe('yes\n');
    await run.destroy();
  }, 120_000);
});
