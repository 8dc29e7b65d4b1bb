// One way to assemble a run: the provider key saved in Settings (the vault) and the default
// model and endpoint in Settings are what a run uses, whichever front door starts it — REST
// /run-sync, chat runbook mode, the UI's run.start and `jetty run` — as the scripted model
// server behind the gateway sees it (the sandbox only ever holds the run's gateway token).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../../shared/trajectory';
import { run as jettyRun } from '../../electron/cli/commands/run';
import { createEngine, type Engine } from '../../electron/engine/api';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore } from '../../electron/engine/store';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const TOKEN = 'run-assembly-token';
const SAVED_KEY = 'sk-saved-in-settings';
const SETTINGS_MODEL = 'settings-model';

describe('a run assembled the same way at every front door', () => {
  let dir: string;
  let runbook: string;
  /** The endpoint saved in Settings: it answers only the key saved in Settings. */
  let saved: ScriptedModelServer;
  /** The environment's endpoint and key, which Settings override. */
  let fromEnv: ScriptedModelServer;
  let engine: Engine;
  let server: LocalServer;
  let env: NodeJS.ProcessEnv;

  /** What reached the Settings endpoint during `start`: the keys and models of its chat calls. */
  async function callsDuring(start: () => Promise<Trajectory>) {
    const before = saved.requests.length;
    const beforeEnv = fromEnv.requests.length;
    const t = await start();
    const calls = saved.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
    return {
      t,
      keys: [...new Set(calls.map((r) => r.headers.authorization))],
      models: [...new Set(calls.map((r) => r.body?.model))],
      envCalls: fromEnv.requests.length - beforeEnv,
    };
  }
  const expectSettingsUsed = (seen: Awaited<ReturnType<typeof callsDuring>>) => {
    expect(seen.keys, seen.t.error ?? '').toEqual([`Bearer ${SAVED_KEY}`]);
    expect(seen.models).toEqual([SETTINGS_MODEL]);
    expect(seen.envCalls).toBe(0);
    expect(seen.t.model).toBe(SETTINGS_MODEL);
    expect(seen.t.status, seen.t.error ?? '').toBe('completed');
    expect(seen.t.steps.agent.outputs).toMatchObject({ summary: HELLO_REPORT_SUMMARY });
  };

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-assembly-'));
    runbook = path.join(dir, 'runbooks/acme/hello/RUNBOOK.md');
    await cp(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), runbook);
    await cp(path.join(REPO, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md'), path.join(dir, 'runbooks/acme/secret-report/RUNBOOK.md'));
    saved = await startScriptedModelServer(NAMED_SCRIPTS['hello-report'], { apiKey: SAVED_KEY });
    fromEnv = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    // Every provider's endpoint is on loopback, whatever a run picks.
    env = { OPENAI_BASE_URL: fromEnv.url, OPENAI_API_KEY: 'sk-from-the-environment', ANTHROPIC_BASE_URL: fromEnv.url, JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
    engine = await createEngine({ dataDir: path.join(dir, 'data'), folders: [path.join(dir, 'runbooks')], env });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
    // Saved as Settings → Model provider does: the key in the vault, the endpoint and model in Settings.
    await engine.api['secrets.set']({ name: 'OPENAI_API_KEY', value: SAVED_KEY });
    await engine.api['settings.update']({ modelBaseUrl: saved.url, defaultModel: SETTINGS_MODEL, defaultAgent: 'builtin' });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await saved?.close();
    await fromEnv?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('REST /run-sync uses the key, endpoint and model saved in Settings', async () => {
    const seen = await callsDuring(async () => {
      const form = new FormData();
      form.set('init_params', JSON.stringify({ name: 'Ada' }));
      const res = await fetch(`${server.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
      const body = (await res.json()) as { trajectory_id: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return engine.services.store.getTrajectory(body.trajectory_id)!;
    });
    expectSettingsUsed(seen);
  }, 180_000);

  it('chat runbook mode uses them too', async () => {
    const seen = await callsDuring(async () => {
      const res = await fetch(`${server.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Execute the runbook with parameters: name=Ada' }], jetty: { runbook: true, collection: 'acme', task: 'hello' } }),
      });
      const body = (await res.json()) as { trajectory_id: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return engine.services.store.getTrajectory(body.trajectory_id)!;
    });
    expectSettingsUsed(seen);
  }, 180_000);

  it("the UI's run.start uses them, and run.plan says so", async () => {
    const plan = await engine.api['run.plan']({ runbookPath: runbook });
    expect(plan.model).toMatchObject({ value: SETTINGS_MODEL, source: 'Settings → Default model' });
    expect(plan.endpoint).toMatchObject({ value: saved.url, source: 'Settings → Model endpoint' });
    const seen = await callsDuring(async () => {
      const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { name: 'Ada' } });
      return (await engine.services.runner.get(trajectoryId)?.done) ?? engine.services.store.getTrajectory(trajectoryId)!;
    });
    expectSettingsUsed(seen);
  }, 180_000);

  it('a workflow run_runbook step uses them too', async () => {
    const seen = await callsDuring(async () => {
      const document = { step_configs: { run: { activity: 'run_runbook', task: 'acme/hello', parameters: { name: 'Ada' } } }, steps: ['run'] };
      const workflow = await engine.workflows.start({ collection: 'wf', task: 'hello', document }).done;
      const id = workflow.steps.run?.outputs?.trajectory_id;
      expect(typeof id, workflow.error ?? '').toBe('string');
      return engine.services.store.getTrajectory(id as string)!;
    });
    expectSettingsUsed(seen);
  }, 180_000);

  it('REST refuses a run that lacks a declared secret with a 422 naming it', async () => {
    const form = new FormData();
    form.set('init_params', JSON.stringify({ topic: 'billing' }));
    const res = await fetch(`${server.origin}/api/v1/run-sync/acme/secret-report`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', message: "the run cannot start:\n  - missing required secret 'DEMO_TOKEN'" } });
  });

  it('REST takes a declared secret from the vault when neither the request nor the collection environment gives it', async () => {
    await engine.api['secrets.set']({ name: 'DEMO_TOKEN', value: 'demo-token-in-the-vault' });
    const form = new FormData();
    form.set('init_params', JSON.stringify({ topic: 'billing' }));
    const res = await fetch(`${server.origin}/api/v1/run-sync/acme/secret-report`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    const body = (await res.json()) as { trajectory_id: string; status: string; detail?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('completed');
    expect(JSON.stringify(engine.services.store.listEvents(body.trajectory_id, { limit: 1000 }))).not.toContain('demo-token-in-the-vault');
  }, 180_000);

  it("`jetty run` uses the data folder's Settings and secret store (a jetty serve folder)", async () => {
    const dataDir = path.join(dir, 'cli-data');
    openSecretVault(dataDir).set('OPENAI_API_KEY', SAVED_KEY);
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ modelBaseUrl: saved.url, defaultModel: SETTINGS_MODEL }));
    // `jetty run` reads the process environment: the same environment endpoint and key, which Settings override.
    const previous = { ...process.env };
    Object.assign(process.env, { OPENAI_BASE_URL: env.OPENAI_BASE_URL, OPENAI_API_KEY: env.OPENAI_API_KEY, ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL });
    const seen = await callsDuring(async () => {
      const code = await jettyRun.run([runbook, '--image', TEST_BASE_IMAGE, '--param', 'name=Ada', '--data-dir', dataDir, '--json']);
      const store = openStore(path.join(dataDir, 'jetty.db'));
      try {
        const [t] = store.listTrajectories({}).trajectories;
        expect(code, t?.error ?? '').toBe(0);
        return store.getTrajectory(t.id)!;
      } finally {
        store.close();
      }
    }).finally(() => {
      for (const name of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL']) {
        if (previous[name] === undefined) delete process.env[name];
        else process.env[name] = previous[name];
      }
    });
    expectSettingsUsed(seen);
  }, 180_000);
});
