// An evaluation whose trials run on a second real `jetty serve` as the remote executor (real
// Docker, the scripted model): one cell here and one on the remote, each trial of the remote
// cell a remote run followed into a local trajectory, all pulled into one result with the
// same figures (pass rates, stages, tokens from the pulled model calls) and each executor's
// concurrency bound held. And an evaluation in a Docker engine reached through DOCKER_HOST
// over TCP (this machine's engine behind a loopback port, as another machine's would be).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { evaluationReport } from '../../electron/engine/evaluations';
import { requireBuiltCli } from '../helpers/cli';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { startDockerOverTcp } from '../helpers/docker-tcp';
import { evaluationModel, FLAKY, STEADY } from '../helpers/evaluation-model';
import { callJetty, followEvaluation } from '../helpers/evaluation-rest';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
const HELLO = path.join(EXAMPLES, 'demo/hello-report/RUNBOOK.md');

describe('an evaluation on a remote jetty serve', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let remote: ServedJetty;
  let engine: Engine;

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-evaluation-remote-'));
    // The remote cell's model fails its second trial.
    model = await startScriptedModelServer(evaluationModel([2]).script);
    // The remote runs in the image the local plan names (it has no JETTY_SANDBOX_IMAGE of its own).
    remote = await startJettyServe(await mkdtemp(path.join(dir, 'served-')), { env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: '' } });
    engine = await createEngine({
      dataDir: path.join(dir, 'client'),
      folders: [EXAMPLES],
      env: { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
    });
    await engine.api['cloud.signIn']({ token: remote.token });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await remote?.stop();
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('remote trials are remote runs pulled into the same evaluation, counted as local ones are', async () => {
    const { id } = await engine.api['evaluation.start']({
      runbookPath: HELLO,
      cells: [
        { model: STEADY, executor: 'local' },
        { model: FLAKY, executor: 'remote' },
      ],
      trials: 3,
      concurrency: { local: 2, remote: 2 },
    });
    // At most two trials at once on each executor, every time the evaluation changed.
    let most = { local: 0, remote: 0 };
    const off = engine.bus.subscribe('evaluation.changed', () => {
      const running = evaluationReport(engine.services.store.evaluations(), id).trials.filter((t) => t.state === 'running');
      for (const executor of ['local', 'remote'] as const) most = { ...most, [executor]: Math.max(most[executor], running.filter((t) => t.executor === executor).length) };
    });
    await engine.evaluations.wait(id);
    off();
    expect(most.local).toBeLessThanOrEqual(2);
    expect(most.remote).toBeLessThanOrEqual(2);
    expect(most.remote).toBeGreaterThan(0);

    const r = evaluationReport(engine.services.store.evaluations(), id);
    expect(r.evaluation.status).toBe('completed');
    const [local, onRemote] = r.cells;
    expect(local).toMatchObject({ executor: 'local', trials: 3, passed: 3, errors: 0 });
    expect(onRemote).toMatchObject({ executor: 'remote', label: `default agent / ${FLAKY} (remote)`, trials: 3, passed: 2, failed: 1, errors: 0, flaky_stage: 'line_count' });
    expect(onRemote.pass_at_k[2]).toBeCloseTo(1);
    expect(onRemote.pass_hat_k[2]).toBeCloseTo(1 / 3);
    expect(onRemote.stages.find((s) => s.name === 'line_count')).toMatchObject({ ran: 3, passed: 2 });
    // Tokens from the model calls the remote recorded and the pull brought back.
    expect(onRemote.tokens.input).toBeGreaterThan(0);

    // Each remote trial points at a local copy of a remote run (its origin the remote), tagged like a local trial.
    const store = engine.services.store;
    const remoteIds: string[] = [];
    for (const t of r.trials.filter((t) => t.executor === 'remote')) {
      const origin = store.origins().ofTrajectory(t.trajectory_id!);
      expect(origin).toMatchObject({ base_url: remote.origin, collection: 'demo', task: 'hello-report' });
      remoteIds.push(origin!.remote_id);
      const copy = store.getTrajectory(t.trajectory_id!)!;
      expect(copy).toMatchObject({ status: 'completed', model: FLAKY });
      expect(copy.labels.find((l) => l.key === 'evaluation')?.value).toBe(id);
    }
    // The remote ran exactly those three runs; the local cell's runs stayed here.
    const res = await fetch(`${remote.origin}/api/v1/db/trajectories/demo/hello-report?limit=20`, { headers: { authorization: `Bearer ${remote.token}` } });
    const onServer = ((await res.json()) as { trajectories: { id: string; model: string }[] }).trajectories;
    expect(onServer.map((t) => t.id).sort()).toEqual(remoteIds.sort());
    expect(onServer.every((t) => t.model === FLAKY)).toBe(true);
  }, 180_000);
});

describe('an evaluation in a Docker engine reached through DOCKER_HOST', () => {
  it('its trials run in that engine, over its remote protocol, and count as any others', async () => {
    requireBuiltCli();
    const docker = await requireDocker();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-evaluation-docker-host-'));
    const model = await startScriptedModelServer(evaluationModel([2]).script);
    const engineOverTcp = await startDockerOverTcp();
    const served = await startJettyServe(EXAMPLES, { dataDir: path.join(dir, 'data'), env: { DOCKER_HOST: engineOverTcp.host, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
    try {
      const started = await callJetty(served, 'POST', '/evaluations/demo/hello-report', { cells: [{ model: FLAKY }], trials: 3, concurrency: { local: 2 } });
      expect(started.status).toBe(201);
      const id = String(started.json.evaluation_id);
      const end = (await followEvaluation(served, id)).at(-1)!;
      expect(end.event).toBe('end');
      const r = end.data as unknown as ReturnType<typeof evaluationReport>;
      expect(r.evaluation.status).toBe('completed');
      expect(r.cells[0]).toMatchObject({ executor: 'local', trials: 3, passed: 2, failed: 1, errors: 0, flaky_stage: 'line_count' });
      // Every sandbox was made, and removed, through DOCKER_HOST: one container per trial.
      const calls = engineOverTcp.calls();
      expect(calls.filter((c) => c === 'POST /containers/create')).toHaveLength(3);
      expect(calls.filter((c) => /^DELETE \/containers\/[^/]+$/.test(c))).toHaveLength(3);
    } finally {
      await served.stop();
      await engineOverTcp.close();
      await model.close();
      await removeTestContainers(docker);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
