import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { REPO, jetty, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const SECRET = 'GREETING_TOKEN';
const SECRET_VALUE = 'greet-2c26b46b68ffc68f';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('jetty deploy, pull, cloud and run --remote against a second real jetty serve', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let remote: ServedJetty;
  let runbook: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let remoteId = '';
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => jetty([...args, '--data-dir', dataDir], { ...env, ...extra });
  const remoteGet = async (p: string) => {
    const res = await fetch(`${remote.origin}/api/v1${p}`, { headers: { authorization: `Bearer ${remote.token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-cli-'));
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    await mkdir(path.join(dir, 'served'));
    remote = await startJettyServe(path.join(dir, 'served'), {
      timeoutMs: 60_000,
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
    });
    const text = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8');
    runbook = path.join(dir, 'runbooks/demo/hello-report/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    await writeFile(runbook, text.replace('primary_outputs:', `secrets:\n  ${SECRET}:\n    env: ${SECRET}\n    description: test secret\n    required: true\nprimary_outputs:`));
    dataDir = path.join(dir, 'client');
    env = { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin, JETTY_CLOUD_TOKEN: remote.token };
  }, 120_000);
  afterAll(async () => {
    await remote?.stop();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('jetty cloud collections: empty at first; a refused token exits 3 with the remote’s reason', async () => {
    const empty = await cli(['cloud', 'collections', '--json']);
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(empty.stdout)).toEqual([]);
    const refused = await cli(['cloud', 'collections'], { JETTY_CLOUD_TOKEN: 'not-the-remote-token' });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/401/);
    expect(refused.stdout).toBe('');
  });

  it('jetty deploy: the preflight lists the missing secret and exits 1 without deploying; --set-secrets sets it from the vault and deploys', async () => {
    const refused = await cli(['deploy', runbook, '--collection', 'demo']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`missing secrets in demo: ${SECRET}`);
    expect(refused.stdout).toContain('--set-secrets');
    expect((await remoteGet('/collections/')).body).toEqual([]);

    const notInVault = await cli(['deploy', runbook, '--collection', 'demo', '--set-secrets']);
    expect(notInVault.code).toBe(1);
    expect(notInVault.stderr).toContain(`the local secret store has no value for ${SECRET}`);

    openSecretVault(dataDir).set(SECRET, SECRET_VALUE);
    const deployed = await cli(['deploy', runbook, '--collection', 'demo', '--set-secrets']);
    expect(deployed).toMatchObject({ code: 0, stderr: '' });
    expect(deployed.stdout.trim().split('\n')).toEqual([`missing secrets in demo: ${SECRET}`, `deployed demo/hello-report (task created, collection created, secrets set: ${SECRET}, folder: 1 file)`]);
    expect((await remoteGet('/collections/demo/environment')).body).toHaveProperty(SECRET);
    expect(deployed.stdout + deployed.stderr).not.toContain(SECRET_VALUE);

    const again = await cli(['deploy', runbook, '--collection', 'demo', '--task', 'hello-report']);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('deployed demo/hello-report (task updated, folder: 1 file)');
    expect(((await remoteGet('/tasks/demo/')).body as unknown as { name: string }[]).map((t) => t.name)).toEqual(['hello-report']);
  });

  it('jetty cloud collections|tasks list what the deploy made; bad usage exits 2', async () => {
    expect((await cli(['cloud', 'collections'])).stdout).toMatch(/^demo\b/m);
    const tasks = await cli(['cloud', 'tasks', 'demo']);
    expect(tasks.code).toBe(0);
    expect(tasks.stdout).toMatch(/^hello-report\b/m);
    expect((await cli(['cloud', 'tasks'])).code).toBe(2);
    expect((await cli(['cloud', 'nothing'])).code).toBe(2);
    expect((await cli(['cloud', 'tasks', 'absent'])).code).toBe(1);
  });

  it('jetty run --remote runs on the remote, prints the run’s events as they come, and exits 0 when it completed', async () => {
    const ran = await cli(['run', '--remote', runbook, '--collection', 'demo', '--param', 'name=Ada', '--agent', 'builtin', '--model', 'scripted']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const started = ran.stdout.match(/^Trajectory ([0-9a-f]{8}) \(remote ([0-9a-f]{8})\)$/m);
    expect(started).not.toBeNull();
    remoteId = started![2];
    expect(ran.stdout).toContain('write_file');
    expect(ran.stdout.trim().split('\n').at(-1)).toBe(`Trajectory ${started![1]}: completed — evaluation: passed (1 pass, 0 partial, 0 fail)`);
    const onRemote = await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`);
    expect(onRemote.body.status).toBe('completed');
    expect(JSON.stringify(onRemote.body)).not.toContain(SECRET_VALUE);
    expect((await cli(['run', '--remote', runbook])).code).toBe(2);
  }, 180_000);

  it('jetty cloud trajectories C/T pages the remote task’s trajectories', async () => {
    const listed = await cli(['cloud', 'trajectories', 'demo/hello-report']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${remoteId}  completed`, 'm'));
    expect(listed.stdout).toContain('page 1, 1 of 1');
    const json = JSON.parse((await cli(['cloud', 'trajectories', 'demo/hello-report', '--json', '--limit', '5'])).stdout) as { total: number; limit: number };
    expect(json).toMatchObject({ total: 1, limit: 5 });
    expect((await cli(['cloud', 'trajectories', 'demo'])).code).toBe(2);
  });

  it('jetty pull C/T imports into another data folder once: pulling twice stores nothing twice', async () => {
    const other = path.join(dir, 'other');
    const pull = () => jetty(['pull', 'demo/hello-report', '--data-dir', other], env);
    const first = await pull();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout.trim()).toBe('pulled demo/hello-report: 1 new, 0 refreshed, 0 unchanged, 0 label(s) added');
    const second = await pull();
    expect(second.stdout.trim()).toBe('pulled demo/hello-report: 0 new, 0 refreshed, 1 unchanged, 0 label(s) added');
    const local = JSON.parse((await jetty(['trajectories', '--json', '--data-dir', other], env)).stdout) as { trajectories?: unknown[] } | unknown[];
    expect(Array.isArray(local) ? local : local.trajectories).toHaveLength(1);
    expect((await jetty(['pull', 'demo', '--data-dir', other], env)).code).toBe(2);
  });

  it('jetty cloud outbox: a deploy and a run made while the remote is down are queued with the reason; drop removes one', async () => {
    const down = { JETTY_API_URL: `http://127.0.0.1:${await closedPort()}` };
    expect((await cli(['cloud', 'outbox'])).stdout.trim()).toBe('the outbox is empty');
    const deploy = await cli(['deploy', runbook, '--collection', 'demo'], down);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(/queued in the outbox \(#\d+\)/);
    const run = await cli(['run', '--remote', runbook, '--collection', 'demo', '--agent', 'builtin'], down);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/queued in the outbox \(#\d+\)/);

    const listed = await cli(['cloud', 'outbox', '--json'], down);
    const items = JSON.parse(listed.stdout) as { seq: number; kind: string; state: string; last_error: string | null; payload?: unknown }[];
    expect(items.map((i) => [i.kind, i.state])).toEqual([
      ['deploy', 'pending'],
      ['run', 'pending'],
    ]);
    expect(items[0].last_error).toBeTruthy();
    expect(items[0]).not.toHaveProperty('payload');
    expect((await cli(['cloud', 'outbox'], down)).stdout).toMatch(/^#\d+ pending deploy demo\/hello-report \(\d+ attempts?\)/m);

    for (const item of items) expect((await cli(['cloud', 'outbox', 'drop', String(item.seq)], down)).stdout.trim()).toBe(`#${item.seq} dropped`);
    expect((await cli(['cloud', 'outbox', 'drop', '999'], down)).code).toBe(1);
    expect((await cli(['cloud', 'outbox', 'drop', 'x'], down)).code).toBe(2);
    expect((await cli(['cloud', 'outbox'], down)).stdout.trim()).toBe('the outbox is empty');
  });
});
