import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../shared/trajectory';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer } from '../../electron/engine/server/local-server';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const SECRET = 'GREETING_TOKEN';
const SECRET_VALUE = 'greet-5d41402abc4b2a76';

describe('Jetty cloud from the desktop, against a second real jetty serve', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let remote: ServedJetty;
  let engine: Engine;
  let runbook: string;
  let localId = '';
  let remoteId = '';
  const remoteGet = async (p: string) =>
    (await fetch(`${remote.origin}/api/v1${p}`, { headers: { authorization: `Bearer ${remote.token}` } })).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-remote-'));
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    await mkdir(path.join(dir, 'served'));
    remote = await startJettyServe(path.join(dir, 'served'), {
      fromSource: true,
      timeoutMs: 60_000,
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
    });
    // The example runbook, declaring one secret the remote collection lacks.
    const text = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8');
    runbook = path.join(dir, 'runbooks/demo/hello-report/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    await writeFile(runbook, text.replace('primary_outputs:', `secrets:\n  ${SECRET}:\n    env: ${SECRET}\n    description: test secret\n    required: true\nprimary_outputs:`));
    engine = await createEngine({ dataDir: path.join(dir, 'client'), folders: [path.join(dir, 'runbooks')], env: { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin } });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await remote?.stop();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in with the remote token', async () => {
    expect((await engine.api['cloud.status']({})).state).toBe('signed_out');
    const status = await engine.api['cloud.signIn']({ token: remote.token });
    expect(status).toMatchObject({ state: 'online', baseUrl: remote.origin });
    expect(JSON.stringify(status)).not.toContain(remote.token);
  });

  it('deploys after the secret preflight: the missing secret is listed, set from the vault, then the deploy succeeds', async () => {
    expect(await engine.api['cloud.preflight']({ path: runbook, collection: 'demo' })).toMatchObject({ missing: [SECRET], inVault: [] });
    await expect(engine.api['cloud.deploy']({ path: runbook, collection: 'demo' })).rejects.toThrow(new RegExp(`lacks the secrets ${SECRET}`));
    await engine.api['secrets.set']({ name: SECRET, value: SECRET_VALUE });
    expect(await engine.api['cloud.preflight']({ path: runbook, collection: 'demo' })).toMatchObject({ missing: [SECRET], inVault: [SECRET] });
    const deployed = await engine.api['cloud.deploy']({ path: runbook, collection: 'demo', setSecrets: [SECRET] });
    expect(deployed).toMatchObject({ status: 'delivered', result: { collection: 'demo', task: 'hello-report', taskCreated: true, secretsSet: [SECRET] } });
    expect(await remoteGet('/collections/demo/environment')).toHaveProperty(SECRET);
    expect(await engine.api['cloud.preflight']({ path: runbook, collection: 'demo' })).toMatchObject({ missing: [] });
  });

  it('runs remotely and follows the run live to completion in the local store', async () => {
    const live: TrajectoryEvent[] = [];
    const off = engine.bus.subscribe('run.event', ({ trajectoryId, event }) => {
      if (trajectoryId === localId || localId === '') live.push(event);
    });
    const started = await engine.api['cloud.run']({ path: runbook, collection: 'demo', params: { name: 'Ada', times: '2' }, agent: 'builtin', model: 'scripted' });
    if (started.status !== 'delivered') throw new Error(`not delivered: ${started.reason}`);
    localId = started.result.localId;
    remoteId = started.result.remoteId;
    await engine.cloud.following();
    off();
    const local = engine.services.store.getTrajectory(localId)!;
    expect(local).toMatchObject({ status: 'completed', collection: 'demo', task: 'hello-report' });
    expect(local.evaluation?.overall_passed).toBe(true);
    const remoteT = await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`);
    expect(remoteT.status).toBe('completed');
    expect(engine.services.store.countEvents(localId)).toBe((remoteT.events as unknown[]).length);
    expect(live.length).toBeGreaterThan(0);
    expect(live.map((e) => e.seq)).toEqual([...live.map((e) => e.seq)].sort((a, b) => a - b));
    expect(await engine.api['cloud.origin']({ id: localId })).toMatchObject({ base_url: remote.origin, collection: 'demo', task: 'hello-report', remote_id: remoteId });
  }, 180_000);

  it('pulls into the local store (artifacts through /file/), replays, and pulling twice stores nothing twice', async () => {
    const first = await engine.api['cloud.pull']({ collection: 'demo', task: 'hello-report' });
    expect(first).toMatchObject({ added: [], unchanged: 1 });
    const events = await engine.api['trajectory.events']({ id: localId });
    expect(events.events.some((e) => e.type === 'tool_call')).toBe(true);
    const summary = await engine.api['trajectory.artifact']({ id: localId, path: 'summary.md' });
    const onRemote = await fetch(`${remote.origin}/api/v1/file/artifacts/${remoteId}/summary.md`, { headers: { authorization: `Bearer ${remote.token}` } });
    expect(summary.content).toBe(await onRemote.text());
    expect(summary.content.length).toBeGreaterThan(0);
    const count = () => [engine.services.store.listTrajectories({ limit: 200 }).total, engine.services.store.countEvents(localId)];
    const before = count();
    await engine.api['cloud.pull']({ collection: 'demo', task: 'hello-report' });
    expect(count()).toEqual(before);
  });

  it('labels both ways: a local label is posted to the remote, the remote’s is pulled, both kept', async () => {
    await engine.api['label.add']({ id: localId, label: { key: 'verdict', value: 'good', author: 'desktop' } });
    const onRemote = (await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`)).labels as { key: string; value: string }[];
    expect(onRemote).toContainEqual(expect.objectContaining({ key: 'verdict', value: 'good' }));
    await fetch(`${remote.origin}/api/v1/trajectory/demo/hello-report/${remoteId}/labels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${remote.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'verdict', value: 'needs work', author: 'reviewer' }),
    });
    const pulled = await engine.api['cloud.pull']({ collection: 'demo', task: 'hello-report' });
    expect(pulled.labelsAdded).toBe(1);
    const labels = engine.services.store.getTrajectory(localId)!.labels.filter((l) => l.key === 'verdict');
    expect(labels.map((l) => l.value).sort()).toEqual(['good', 'needs work']);
    expect((await engine.api['cloud.pull']({ collection: 'demo', task: 'hello-report' })).labelsAdded).toBe(0);
  });

  it('a label added over the local REST API goes to the remote too, as one added in the app does (one operation for every door)', async () => {
    const server = await createLocalServer({ engine, token: 'local-rest-token', staticDir: null, routes: engine.routes });
    try {
      const local = engine.services.store.getTrajectory(localId)!;
      const res = await fetch(`${server.origin}/api/v1/trajectory/${local.collection}/${local.task}/${localId}/labels`, {
        method: 'POST',
        headers: { authorization: 'Bearer local-rest-token', 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'door', value: 'rest', author: 'script' }),
      });
      expect(res.status).toBe(201);
      const onRemote = (await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`)).labels as { key: string; value: string }[];
      expect(onRemote).toContainEqual(expect.objectContaining({ key: 'door', value: 'rest' }));
    } finally {
      await server.close();
    }
  });

  it('the secret value is in no request body logged, no local store file and no remote trajectory', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const client = path.join(dir, 'client');
    for (const f of readdirSync(client).filter((n) => n.startsWith('jetty.db'))) {
      expect(readFileSync(path.join(client, f)).includes(SECRET_VALUE)).toBe(false);
    }
    expect(JSON.stringify(await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`))).not.toContain(SECRET_VALUE);
    expect(remote.output()).not.toContain(SECRET_VALUE);
  });
});
