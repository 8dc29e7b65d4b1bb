import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/api';
import { readServeFile, SERVE_FILE } from '../engine/base/serve-file';
import { startBackgroundApi } from './background-api';

describe('the background Jetty API of the desktop app', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  async function engineIn(): Promise<{ engine: Engine; dataDir: string }> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-bg-api-'));
    const engine = await createEngine({ dataDir, env: {} });
    cleanups.push(async () => {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    return { engine, dataDir };
  }

  it('falls back to a free port when the configured one is taken, and reports where it listens', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;

    const { engine, dataDir } = await engineIn();
    const server = await startBackgroundApi(engine, dataDir, { JETTY_API_PORT: String(taken), JETTY_API_TOKEN: 'tok-123456' });
    cleanups.push(() => server.close());
    expect(server.port).not.toBe(taken);
    expect(await engine.api['localApi.info']({})).toEqual({ baseUrl: `http://127.0.0.1:${server.port}`, token: 'tok-123456' });

    const denied = await fetch(`${server.origin}/api/v1/collections/`);
    expect(denied.status).toBe(401);
    const allowed = await fetch(`${server.origin}/api/v1/collections/`, { headers: { Authorization: 'Bearer tok-123456' } });
    expect(allowed.status).toBe(200);
    expect(Array.isArray(await allowed.json())).toBe(true);
  });

  it("tells this data folder's jetty run where it listens (serve.json, owner only) until the engine closes", async () => {
    const { engine, dataDir } = await engineIn();
    const server = await startBackgroundApi(engine, dataDir, { JETTY_API_PORT: '0', JETTY_API_TOKEN: 'tok-654321' });
    cleanups.push(() => server.close());
    expect(readServeFile(dataDir)).toMatchObject({ pid: process.pid, origin: server.origin, token: 'tok-654321' });
    expect(statSync(path.join(dataDir, SERVE_FILE)).mode & 0o777).toBe(0o600);
    await engine.close();
    expect(readServeFile(dataDir)).toBeNull();
  });
});
