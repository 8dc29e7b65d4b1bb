import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../../electron/engine/base/process-identity';
import { DockerUnavailableError, createSandboxService, type SandboxService } from '../../electron/engine/sandbox';
import { DEFAULT_LIMITS, containerConfig } from '../../electron/engine/sandbox/container-config';
import { startSandbox } from '../../electron/engine/sandbox/docker-sandbox';
import {
  TEST_BASE_IMAGE,
  containerExists,
  createTestSandboxService,
  removeTestContainers,
  requireDocker,
} from '../helpers/docker';

let docker: Docker;
let service: SandboxService;

beforeAll(async () => {
  docker = await requireDocker();
  service = createTestSandboxService(docker);
});

afterAll(async () => {
  await service?.close();
  if (docker) await removeTestContainers(docker);
});

describe('sandbox lifecycle', () => {
  it('is gone within seconds of a cancel, not when its running command ends', async () => {
    const controller = new AbortController();
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'cancel', signal: controller.signal });
    const running = sandbox.exec('sleep 120', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    controller.abort();
    await expect(running).rejects.toThrow();
    while ((await containerExists(docker, sandbox.id)) && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = Date.now() - started;
    expect(await containerExists(docker, sandbox.id)).toBe(false);
    expect(elapsed).toBeLessThan(5000); // not the 120 s of its sleep
    console.log(`cancel → container gone in ${elapsed} ms`);
  });

  it('applies default and per-run CPU, memory and pids limits and labels', async () => {
    const defaults = await service.create({ image: TEST_BASE_IMAGE, runId: 'limits-default' });
    const custom = await service.create({
      image: TEST_BASE_IMAGE,
      runId: 'limits-custom',
      limits: { cpus: 0.5, memoryBytes: 256 * 1024 * 1024, pids: 64 },
    });
    const [a, b] = await Promise.all([defaults, custom].map((s) => docker.getContainer(s.id).inspect()));
    expect(a.HostConfig).toMatchObject({ NanoCpus: 2e9, Memory: 4 * 1024 ** 3, PidsLimit: 512 });
    expect(b.HostConfig).toMatchObject({ NanoCpus: 5e8, Memory: 256 * 1024 * 1024, PidsLimit: 64 });
    expect(a.Config.Labels).toMatchObject({
      app: 'jetty-desktop',
      'jetty.run_id': 'limits-default',
      'jetty.owner_pid': String(process.pid),
      'jetty.instance': service.instanceId,
    });
    expect(a.Config.WorkingDir).toBe('/app');
    await expect(service.create({ image: TEST_BASE_IMAGE, runId: 'bad', limits: { cpus: 0 } })).rejects.toThrow(
      'Invalid sandbox limit cpus=0',
    );
    await Promise.all([defaults.destroy(), custom.destroy()]);
  });

  it('has network by default and none with network: false', async () => {
    const online = await service.create({ image: TEST_BASE_IMAGE, runId: 'net-on' });
    const offline = await service.create({ image: TEST_BASE_IMAGE, runId: 'net-off', network: false });
    // A server on the host's bridge address (local to this machine) that the online sandbox can reach.
    const gateway = (await docker.getContainer(online.id).inspect()).NetworkSettings.Networks.bridge.Gateway;
    const server = http.createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, gateway, resolve));
    const url = `http://${gateway}:${(server.address() as AddressInfo).port}/`;
    try {
      expect(await online.exec(`curl -sS --max-time 5 ${url}`)).toMatchObject({ exitCode: 0, stdout: 'reached' });
      const blocked = await offline.exec(`curl -sS --max-time 5 ${url}`);
      expect(blocked.exitCode).not.toBe(0);
      expect(blocked.stdout).toBe('');
      expect((await offline.exec('ls /sys/class/net')).stdout).toBe('lo\n');
      expect((await docker.getContainer(offline.id).inspect()).HostConfig.NetworkMode).toBe('none');
    } finally {
      server.close();
      await Promise.all([online.destroy(), offline.destroy()]);
    }
  });

  it('reports Docker unavailable with what to do, for status and for every operation', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent.sock';
    let missing: SandboxService;
    let refused: SandboxService;
    try {
      missing = createSandboxService();
      process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
      refused = createSandboxService();
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    expect(await missing.status()).toEqual({
      available: false,
      error: 'Docker is not installed or not running — install Docker Desktop (or docker.io) and start it',
      fix: 'install Docker Desktop (or docker.io) and start it',
      host: 'unix:///nonexistent.sock',
    });
    const create = missing.create({ image: TEST_BASE_IMAGE, runId: 'no-docker' });
    await expect(create).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(create).rejects.toThrow('Docker is not installed or not running');
    await expect(missing.ensureImage({ snapshot: 'python312-uv' })).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(missing.cleanupOrphans()).rejects.toBeInstanceOf(DockerUnavailableError);

    const status = await refused.status();
    expect(status.available).toBe(false);
    expect(status.fix).toContain('sudo systemctl start docker');
    // Each service names the Docker it was made for, though DOCKER_HOST has changed since.
    expect(status.host).toBe('tcp://127.0.0.1:1');
    expect(status.error).toContain('tcp://127.0.0.1:1');
  });

  it('removes containers whose owner process is gone and keeps those of live processes', async () => {
    const live = await service.create({ image: TEST_BASE_IMAGE, runId: 'orphans-live' });
    const orphanId = await createSandboxInProcessThatExits();
    expect(await containerExists(docker, orphanId)).toBe(true);

    // Another test file's engine may sweep first (every engine start does): whichever sweep
    // removed the orphan, it is gone, and no sweep touches a live process's container.
    const removed = await service.cleanupOrphans();
    expect(removed).not.toContain(live.id);
    expect(await containerExists(docker, orphanId)).toBe(false);
    expect(await containerExists(docker, live.id)).toBe(true);
    await live.destroy();
  });

  it.runIf(THIS_PROCESS.boot !== null)('removes a container whose owner pid is alive but was recorded in an earlier boot', async () => {
    // After a reboot the pid on the label may belong to an unrelated process: here, our parent.
    const owner = { ...THIS_PROCESS, pid: process.ppid, boot: '0b0e1d2c-earlier-boot', instanceId: 'before-reboot' };
    // Made as a run's container is, not started: a parallel sweep may remove it at any moment, so nothing may follow its creation.
    const stale = await docker.createContainer(containerConfig({ image: TEST_BASE_IMAGE, runId: 'orphans-reboot', owner, limits: DEFAULT_LIMITS, network: false }));
    const thisBoot = await startSandbox(docker, { image: TEST_BASE_IMAGE, runId: 'orphans-this-boot', owner: { ...owner, boot: THIS_PROCESS.boot }, limits: DEFAULT_LIMITS, network: false });

    const removed = await service.cleanupOrphans(); // or a parallel file's engine start, as above
    expect(removed).not.toContain(thisBoot.id);
    expect(await containerExists(docker, stale.id)).toBe(false);
    expect(await containerExists(docker, thisBoot.id)).toBe(true);
    await thisBoot.destroy();
  });
});

/** Starts a Node process that creates a sandbox and exits without removing it; returns the container id. */
async function createSandboxInProcessThatExits(): Promise<string> {
  const script = `
    import { createSandboxService } from './electron/engine/sandbox/index.ts';
    const sandbox = await createSandboxService().create({ image: '${TEST_BASE_IMAGE}', runId: 'orphans-dead' });
    console.log(sandbox.id);
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  return output.trim();
}
