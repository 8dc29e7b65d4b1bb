// `jetty serve` with a full warm pool is killed (SIGKILL: no clean-up of its own) and started
// again on the same data folder: the dead process's parked containers are removed at
// start-up and what it kept warm is warmed again, so `docker ps -a` shows none of ours beyond
// the pool's size; the next run adopts one; a clean stop leaves none. The built CLI, real
// Docker, the scripted model server.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
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
  const until = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const runSync = async (s: ServedJetty) => {
    const form = new FormData();
    form.set('init_params', JSON.stringify({ name: 'Ada' }));
    const res = await fetch(`${s.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: form });
    const body = (await res.json()) as { status: string; error: string | null; trajectory: { steps: Record<string, { outputs?: Record<string, unknown> }> } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status, body.error ?? '').toBe('completed');
    return body.trajectory;
  };

  it('leaks nothing: the dead process’s containers go at start-up, the pool is warmed again, a clean stop leaves none', async () => {
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ warmPoolSize: POOL }));

    const first = await serve(dataDir);
    const firstPid = first.child.pid!;
    expect((await runSync(first)).steps.sandbox.outputs).toMatchObject({ adopted: false });
    await until(async () => (await ofPid(firstPid, true)).length === POOL, 'the first pool to fill');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    // Nothing of its own cleaned them up.
    expect(await ofPid(firstPid)).toHaveLength(POOL);

    const second = await serve(dataDir);
    const secondPid = second.child.pid!;
    // No run asked: the start-up removed the dead process's containers and warmed what it kept warm.
    await until(async () => (await ofPid(firstPid)).length === 0 && (await ofPid(secondPid, true)).length === POOL, 'the dead pool removed and a new one warmed');
    expect((await ofPid(firstPid)).length + (await ofPid(secondPid)).length).toBe(POOL);
    expect((await runSync(second)).steps.sandbox.outputs).toMatchObject({ adopted: true });

    expect(await second.stop()).toBe(0);
    expect(await ofPid(secondPid)).toEqual([]);
  }, 180_000);
});
