// `jetty serve` with a full warm pool is killed (SIGKILL: no clean-up of its own) and started
// again on the same data folder: the dead process's parked containers are removed at
// start-up (what it kept warm is warmed again when this start-up is the one that removed
// them: another live Jetty sharing the Docker may do it first), `docker ps -a` shows none of
// ours beyond the pool's size, runs adopt parked containers; a clean stop leaves none. The built CLI, real
// Docker, the scripted model server.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker, untilDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const HELLO = path.resolve(__dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');
const POOL = 2;

describe('a warm pool across a kill -9 and a restart', () => {
  let docker: Docker;
  let dir: string;
  let model: ScriptedModelServer;
  const served: ServedJetty[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-pool-restart-'));
    await mkdir(path.join(dir, 'runbooks/acme/hello'), { recursive: true });
    await cp(HELLO, path.join(dir, 'runbooks/acme/hello/RUNBOOK.md'));
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
  });

  afterAll(async () => {
    for (const s of served) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const serve = (dataDir: string) =>
    startJettyServe(path.join(dir, 'runbooks'), {
      dataDir,
      timeoutMs: 60_000,
      env: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_MODEL: 'scripted' },
    }).then((s) => (served.push(s), s));
  const ofPid = async (pid: number, parkedOnly = false) =>
    docker.listContainers({ all: true, filters: { label: ['app=jetty-desktop', `jetty.owner_pid=${pid}`], ...(parkedOnly ? { name: ['jetty-parked-'], status: ['running'] } : {}) } });
  /** Waits until `check` holds, checked at each of Docker's events for our containers. */
  const until = (check: () => Promise<boolean>, what: string) => untilDocker(docker, { type: ['container'], label: ['app=jetty-desktop'] }, async () => (await check()) || undefined, what);
  const runSync = async (s: ServedJetty) => {
    const form = new FormData();
    form.set('init_params', JSON.stringify({ name: 'Ada' }));
    const res = await fetch(`${s.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: form });
    const body = (await res.json()) as { status: string; error: string | null; trajectory: { steps: Record<string, { outputs?: Record<string, unknown> }> } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status, body.error ?? '').toBe('completed');
    return body.trajectory;
  };

  it('leaks nothing: the dead process’s containers go at start-up, ours never exceed the pool’s size, runs adopt, a clean stop leaves none', async () => {
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ warmPoolSize: POOL }));

    const first = await serve(dataDir);
    const firstPid = first.child.pid!;
    expect((await runSync(first)).steps.sandbox.outputs).toMatchObject({ adopted: false });
    await until(async () => (await ofPid(firstPid, true)).length === POOL, 'the first pool to fill');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    // Nothing of its own cleaned them up (another live Jetty sharing this Docker may, at its own start-up).
    expect((await ofPid(firstPid)).length).toBeLessThanOrEqual(POOL);

    const second = await serve(dataDir);
    const secondPid = second.child.pid!;
    // Its start-up removes the dead process's containers (and warms again what it kept warm, when it is the one that removed them).
    await until(async () => (await ofPid(firstPid)).length === 0, 'the dead pool removed');
    expect((await ofPid(secondPid, true)).length).toBeLessThanOrEqual(POOL);
    expect((await runSync(second)).steps.sandbox.outputs).toMatchObject({ adopted: expect.any(Boolean) });
    // Once the run ended and its container went, ours are the pool's and no more.
    await until(async () => (await ofPid(secondPid)).length === POOL && (await ofPid(secondPid, true)).length === POOL, 'the pool full and nothing else of ours');
    expect((await runSync(second)).steps.sandbox.outputs).toMatchObject({ adopted: true });

    expect(await second.stop()).toBe(0);
    expect(await ofPid(secondPid)).toEqual([]);
  }, 180_000);
});
