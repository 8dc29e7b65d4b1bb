// One image choice, everywhere: a runbook naming `snapshot: python312-uv`, which cannot be
// built here (no registry for its base image), runs in an image chosen per run (the REST
// form field `image`, a chat `jetty.image`, `jetty run --image`), per collection or in
// Settings, each recorded in the trajectory with where it came from; with no choice the run
// fails at once saying why, listing the local images Docker has and where to choose one.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../../shared/trajectory';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore } from '../../electron/engine/store';
import { jetty, REPO, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker } from '../helpers/docker';
import { messageOf } from '../helpers/events';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, helloReport } from '../helpers/scripted-model-scripts';

const TOKEN = 'run-image-choice-token';
/** What a runbook naming `snapshot: python312-uv` gets built as, which this machine cannot build. */
const SNAPSHOT_IMAGE = 'jetty-sandbox/python312-uv:latest';
/** An image Docker does not have (and cannot pull here): a choice that a higher one must override. */
const ABSENT_IMAGE = 'jetty-test/absent-image:latest';

describe('the sandbox image chosen per run, per collection or in Settings', () => {
  let docker: Docker;
  let dir: string;
  let runbook: string;
  let model: ScriptedModelServer;
  let engine: Engine;
  let server: LocalServer;
  let env: NodeJS.ProcessEnv;

  const sandboxInputs = (t: Trajectory) => t.steps.sandbox?.inputs;
  const warnings = (id: string) => engine.services.store.listEvents(id, { limit: 1000 }).filter((e) => e.level === 'warning').map(messageOf);
  const expectCompletedIn = (t: Trajectory, source: string) => {
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.steps.agent.outputs).toMatchObject({ summary: HELLO_REPORT_SUMMARY });
    expect(t.steps.sandbox.outputs).toMatchObject({ image: TEST_BASE_IMAGE, action: 'present' });
    expect(sandboxInputs(t)).toEqual({ snapshot: 'python312-uv', image: TEST_BASE_IMAGE, image_source: source });
  };
  /** The error of a run whose snapshot could not be built: Docker's reason, the local images, where to choose. */
  const expectImageAlternatives = (error: string) => {
    expect(error).toMatch(/^Building snapshot "python312-uv" \(jetty-sandbox\/python312-uv:latest\) failed: \S/);
    expect(error).toMatch(new RegExp(`\\nDocker has these local images \\(newest first\\): [^\\n]*${TEST_BASE_IMAGE.replace(/[/.]/g, '\\$&')}`));
    expect(error).toContain(
      '\nChoose an image for one run in the run panel (Image for this run), with jetty run --image IMAGE, or with the field "image" of a REST run or of a chat request\'s jetty block; for a collection or for every run in Settings → Sandbox image.',
    );
    // Docker's reason is one short line, not the build's output.
    expect(error.split('\n')[0].length).toBeLessThan(420);
  };
  async function runSync(fields: Record<string, string>) {
    const form = new FormData();
    form.set('init_params', JSON.stringify({ name: 'Ada' }));
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const res = await fetch(`${server.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    const body = (await res.json()) as { trajectory_id: string; status: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return engine.services.store.getTrajectory(body.trajectory_id)!;
  }
  async function uiRun() {
    const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { name: 'Ada' } });
    return (await engine.services.runner.get(trajectoryId)?.done) ?? engine.services.store.getTrajectory(trajectoryId)!;
  }

  beforeAll(async () => {
    requireBuiltCli();
    docker = await requireDocker();
    // The precondition these tests are about: Docker has no image for the snapshot (and, with no registry, cannot build one).
    const built = await docker.getImage(SNAPSHOT_IMAGE).inspect().then(() => true, () => false);
    if (built) throw new Error(`${SNAPSHOT_IMAGE} exists in this Docker: these tests need a machine where it cannot be had (docker rmi ${SNAPSHOT_IMAGE})`);
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-image-choice-'));
    runbook = path.join(dir, 'runbooks/acme/hello/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    const hello = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8');
    expect(hello).toContain('\nsnapshot: python312-uv\n');
    await writeFile(runbook, hello);
    await cp(path.dirname(runbook), path.join(dir, 'runbooks/other/hello'), { recursive: true });
    model = await startScriptedModelServer(helloReport);
    // No JETTY_SANDBOX_IMAGE: the image is what the run, the collection or Settings choose.
    env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_MODEL: 'scripted-model' };
    engine = await createEngine({ dataDir: path.join(dir, 'data'), folders: [path.join(dir, 'runbooks')], env });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await model?.close();
    if (docker) await removeTestContainers(docker);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('with no choice, fails before any container saying why, listing the local images and where to choose', async () => {
    const plan = await engine.api['run.plan']({ runbookPath: runbook });
    expect(plan.image).toEqual({ value: 'snapshot python312-uv', runbook: 'snapshot python312-uv', source: 'runbook', reason: null });
    const started = Date.now();
    const t = await runSync({});
    const seconds = (Date.now() - started) / 1000;
    expect(t.status).toBe('failed');
    expectImageAlternatives(t.error!);
    expect(t.steps.sandbox).toMatchObject({ status: 'failed', inputs: { snapshot: 'python312-uv', image: null, image_source: 'runbook' } });
    expect(t.steps.agent).toBeUndefined();
    // The local images the UI offers are Docker's, newest first, with the offline base among them.
    const { images } = await engine.api['sandbox.images']({ limit: 200 });
    expect(images.map((i) => i.name)).toContain(TEST_BASE_IMAGE);
    expect(images.map((i) => i.created)).toEqual([...images.map((i) => i.created)].sort().reverse());
    console.log(`a run whose snapshot cannot be built failed in ${seconds.toFixed(2)} s`);
  }, 60_000);

  it('`jetty run` with no choice says the same, --image among the places', async () => {
    const dataDir = path.join(dir, 'cli-data');
    const { code, stdout, stderr } = await jetty(['run', runbook, '--param', 'name=Ada', '--data-dir', dataDir], env);
    expect(code, stderr).toBe(1);
    const store = openStore(path.join(dataDir, 'jetty.db'));
    try {
      const [t] = store.listTrajectories({}).trajectories;
      expectImageAlternatives(store.getTrajectory(t.id)!.error!);
    } finally {
      store.close();
    }
    expect(stdout).toContain('jetty run --image IMAGE');
  }, 60_000);

  it('REST /run-sync takes the form field image, and the trajectory records it and its source', async () => {
    const t = await runSync({ image: TEST_BASE_IMAGE });
    expectCompletedIn(t, 'the request');
    expect(warnings(t.id)).toContain(`image ${TEST_BASE_IMAGE} instead of the runbook's snapshot python312-uv: the request names ${TEST_BASE_IMAGE}`);
  }, 180_000);

  it('REST refuses an image field that is no image name', async () => {
    const form = new FormData();
    form.set('image', '--privileged');
    const res = await fetch(`${server.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^image: an image name such as jetty-test\/base:latest/);
  });

  it('chat runbook mode takes jetty.image', async () => {
    const res = await fetch(`${server.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Execute the runbook with parameters: name=Ada' }], jetty: { runbook: true, collection: 'acme', task: 'hello', image: TEST_BASE_IMAGE } }),
    });
    const body = (await res.json()) as { trajectory_id: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expectCompletedIn(engine.services.store.getTrajectory(body.trajectory_id)!, 'the chat request');
  }, 180_000);

  it('`jetty run --image` runs in it, recorded as the command line’s choice', async () => {
    const dataDir = path.join(dir, 'cli-image-data');
    const { code, stderr } = await jetty(['run', runbook, '--image', TEST_BASE_IMAGE, '--param', 'name=Ada', '--data-dir', dataDir], env);
    const store = openStore(path.join(dataDir, 'jetty.db'));
    try {
      const [t] = store.listTrajectories({}).trajectories;
      expect(code, `${stderr}\n${t?.error ?? ''}`).toBe(0);
      expectCompletedIn(store.getTrajectory(t.id)!, 'the command line');
    } finally {
      store.close();
    }
  }, 180_000);

  it("Settings' default image applies to every run that names none, and the run panel's plan says so", async () => {
    await engine.api['settings.update']({ defaultImage: TEST_BASE_IMAGE });
    const plan = await engine.api['run.plan']({ runbookPath: runbook });
    expect(plan.image).toMatchObject({ value: TEST_BASE_IMAGE, source: 'Settings → Default image' });
    expect(plan.warnings).toContain(`image ${TEST_BASE_IMAGE} instead of the runbook's snapshot python312-uv: Settings → Default image names ${TEST_BASE_IMAGE}`);
    expectCompletedIn(await uiRun(), 'Settings → Default image');
  }, 180_000);

  it("a collection's image wins over Settings' default, and a run's own over both", async () => {
    // The default now names an image Docker lacks: only the collection's choice lets the run start.
    await engine.api['settings.update']({ defaultImage: ABSENT_IMAGE, collectionImages: { acme: TEST_BASE_IMAGE } });
    expect((await engine.api['run.plan']({ runbookPath: runbook })).image).toMatchObject({ value: TEST_BASE_IMAGE, source: 'Settings → Sandbox image of collection acme' });
    expect((await engine.api['run.plan']({ runbookPath: path.join(dir, 'runbooks/other/hello/RUNBOOK.md') })).image).toMatchObject({ value: ABSENT_IMAGE, source: 'Settings → Default image' });
    expectCompletedIn(await uiRun(), 'Settings → Sandbox image of collection acme');

    await engine.api['settings.update']({ collectionImages: { acme: ABSENT_IMAGE } });
    const plan = await engine.api['run.plan']({ runbookPath: runbook, image: TEST_BASE_IMAGE });
    expect(plan.image).toMatchObject({ value: TEST_BASE_IMAGE, source: 'the run panel' });
    const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { name: 'Ada' }, image: TEST_BASE_IMAGE });
    expectCompletedIn((await engine.services.runner.get(trajectoryId)?.done)!, 'the run panel');
    await engine.api['settings.update']({ defaultImage: '', collectionImages: {} });
  }, 240_000);
});
