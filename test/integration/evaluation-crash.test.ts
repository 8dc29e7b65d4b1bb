// An evaluation survives kill -9 of the `jetty serve` running it (real Docker, the scripted
// model): started and followed over REST, killed with trials ended and trials mid-way, the
// restart claims it and finishes the missing trials — each trial counted exactly once, the
// finished ones never run again (same runs, no new model calls for them), the interrupted
// runs kept as superseded — and leaves no container of the killed process.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../shared/evaluations';
import { requireBuiltCli } from '../helpers/cli';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { evaluationModel, FLAKY, STEADY, type EvaluationModel } from '../helpers/evaluation-model';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { callJetty as call, followEvaluation } from '../helpers/evaluation-rest';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');

describe('an evaluation after kill -9 of the process running it', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let scripted: EvaluationModel;
  const env = () => ({ OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE });
  const report = async (served: ServedJetty, id: string) => (await call(served, 'GET', `/evaluations/${id}`)).json as unknown as EvaluationReport;

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-evaluation-crash-'));
    scripted = evaluationModel([2]);
    model = await startScriptedModelServer(scripted.script);
  });
  afterAll(async () => {
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the restart finishes the missing trials: every trial exactly once, finished ones not run again', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await startJettyServe(EXAMPLES, { dataDir, env: env() });
    const started = await call(first, 'POST', '/evaluations/demo/hello-report', { name: 'crash', cells: [{ model: STEADY }, { model: FLAKY }], trials: 3, concurrency: { local: 2 } });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ collection: 'demo', task: 'hello-report', status: 'running', total: 6 });
    const id = String(started.json.evaluation_id);
    // Bad requests are refused with the reason, no host path in it.
    const refusals = [
      await call(first, 'POST', '/evaluations/demo/nope', { cells: [{}], trials: 1 }),
      // A task named like an evaluation's action: `demo` is not an evaluation id, so the path is a task's.
      await call(first, 'POST', '/evaluations/demo/cancel', { cells: [{}], trials: 1 }),
      await call(first, 'POST', '/evaluations/demo/hello-report', { cells: [], trials: 1 }),
      await call(first, 'POST', '/evaluations/demo/hello-report', { cells: [{}], trials: 101 }),
      await call(first, 'POST', '/evaluations/demo/hello-report', { cells: [{}], trials: 1, cases: 'examples' }),
      await call(first, 'GET', '/evaluations/not-an-id'),
      await call(first, 'GET', '/evaluations/00000000'),
    ];
    expect(refusals.map((r) => [r.status, (r.json.error as { message: string }).message])).toEqual([
      [404, "no task 'nope' in collection 'demo'"],
      [404, "no task 'cancel' in collection 'demo'"],
      [422, 'body.cells: Too small: expected array to have >=1 items'],
      [422, 'body.trials: Too big: expected number to be <=100'],
      [422, "the runbook's manifest.json has no example inputs with values to use as cases"],
      [422, 'id: an evaluation id is 8 hex characters'],
      [404, "No evaluation '00000000'."],
    ]);

    // Two trials end; then every model call hangs, so the trials running are caught mid-way.
    const settle = async (what: string, ready: (r: EvaluationReport) => boolean): Promise<EvaluationReport> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const r = await report(first, id);
        if (ready(r)) return r;
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(r.progress)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await settle('two trials to end', (r) => r.progress.ended >= 2);
    scripted.hangAll = true;
    const before = await settle('the running trials to wait on their model', (r) => r.progress.running >= 1 && scripted.hung >= r.progress.running);
    const writesAtKill = { ...scripted.writes };
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    scripted.hangAll = false;

    const finished = before.trials.filter((t) => t.state === 'ended');
    const interrupted = before.trials.filter((t) => t.state === 'running');
    expect(finished.length + interrupted.length).toBeLessThanOrEqual(6);

    const second = await startJettyServe(EXAMPLES, { dataDir, env: env() });
    try {
      // Followed live over REST until it ends: progress events, then the whole report.
      const events = await followEvaluation(second, id);
      expect(events.at(-1)!.event).toBe('end');
      expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
      const after = await report(second, id);
      expect(after.evaluation.status).toBe('completed');
      expect(after.progress).toEqual({ total: 6, ended: 6, running: 0, pending: 0 });

      // Each (cell, trial) once, each with one counted run.
      expect(after.trials.map((t) => `${t.cell}/${t.trial}`).sort()).toEqual(['0/1', '0/2', '0/3', '1/1', '1/2', '1/3']);
      expect(after.cells.map((c) => c.trials + c.errors)).toEqual([3, 3]);
      // Finished trials were adopted as they were: the same runs, no model call made for them again.
      for (const t of finished) expect(after.trials.find((a) => a.cell === t.cell && a.trial === t.trial)).toMatchObject({ trajectory_id: t.trajectory_id, attempt: 1, outcome: t.outcome });
      const newWrites = Object.values(scripted.writes).reduce((a, b) => a + b, 0) - Object.values(writesAtKill).reduce((a, b) => a + b, 0);
      expect(newWrites).toBe(6 - finished.length);
      // Trials cut short ran again as a second attempt; the killed run is kept, failed, and listed as superseded.
      for (const t of interrupted) {
        const again = after.trials.find((a) => a.cell === t.cell && a.trial === t.trial)!;
        expect(again).toMatchObject({ attempt: 2, superseded: [t.trajectory_id], state: 'ended' });
        expect(again.trajectory_id).not.toBe(t.trajectory_id);
        const killed = (await call(second, 'GET', `/db/trajectory/demo/hello-report/${t.trajectory_id}`)).json;
        expect(killed).toMatchObject({ status: 'failed', error: 'interrupted: the process running it stopped before it ended; the evaluation runs the trial again' });
      }
      // The runbook's runs: one counted run per trial, plus the interrupted ones.
      const runs = (await call(second, 'GET', '/db/trajectories/demo/hello-report?limit=50')).json.trajectories as { id: string; status: string }[];
      expect(runs).toHaveLength(6 + interrupted.length);
      expect(new Set(after.trials.map((t) => t.trajectory_id)).size).toBe(6);

      // No container of the killed process is left (the restart removes its orphans).
      const docker = await requireDocker();
      const killedRuns = new Set(interrupted.map((t) => t.trajectory_id));
      const deadlineContainers = Date.now() + 30_000;
      for (;;) {
        const left = (await docker.listContainers({ all: true, filters: { label: ['jetty.run_id'] } })).filter((c) => killedRuns.has(c.Labels['jetty.run_id']));
        if (left.length === 0) break;
        if (Date.now() > deadlineContainers) throw new Error(`containers of the killed runs are left: ${left.map((c) => c.Id).join(', ')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await second.stop();
    }
  }, 180_000);
});
