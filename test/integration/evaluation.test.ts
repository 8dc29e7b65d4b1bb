// Evaluations in real Docker against the scripted model: a 2-cell × 3-trial matrix whose
// flaky model fails two known trials (pass rates, pass@k, pass^k and per-stage counts as
// expected), re-running the failures (flaky, apart from the headline), an infrastructure
// error kept apart from the runbook's failures, JUnit and CTRF checked against their specs,
// and a cancelled evaluation that leaves no container behind.
import { appendFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../shared/evaluations';
import { createEngine, type Engine } from '../../electron/engine/api';
import { ctrfReport, evaluationReport, imagePreparer, junitXml } from '../../electron/engine/evaluations';
import { openStoredRunSources } from '../../electron/engine/runs/stored-run-sources';
import { waitFor } from '../helpers/cli';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { evaluationModel, FLAKY, HANG, STEADY, type EvaluationModel } from '../helpers/evaluation-model';
import { checkCtrf, checkJunit } from '../helpers/report-formats';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
const HELLO = path.join(EXAMPLES, 'demo/hello-report/RUNBOOK.md');
const PRICE = { input: 3, output: 15 };
/** A model whose first write turn edits the runbook being evaluated (a copy), as someone saving it mid-evaluation. */
const EDITOR = 'scripted-editor';

describe('evaluations in real Docker', () => {
  let docker: Docker;
  let dataDir: string;
  let edited: string;
  let model: ScriptedModelServer;
  let scripted: EvaluationModel;
  let engine: Engine;
  const report = (id: string): EvaluationReport => evaluationReport(engine.services.store.evaluations(), id);
  const cell = (r: EvaluationReport, model: string) => r.cells.find((c) => c.model === model)!;

  beforeAll(async () => {
    docker = await requireDocker();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-evaluation-'));
    await cp(path.join(EXAMPLES, 'demo/hello-report'), path.join(dataDir, 'copy/demo/hello-report'), { recursive: true });
    edited = path.join(dataDir, 'copy/demo/hello-report/RUNBOOK.md');
    // The flaky model fails its 1st and 3rd write (two of its three trials); its re-runs pass.
    scripted = evaluationModel([1, 3], (model, n) => {
      if (model === EDITOR && n === 1) appendFileSync(edited, '\nEdited while evaluated.\n');
    });
    model = await startScriptedModelServer(scripted.script);
    // Prices for the scripted models, so each call's cost is known (USD per million tokens).
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ modelPrices: { [STEADY]: PRICE, [FLAKY]: PRICE } }));
    engine = await createEngine({ dataDir, folders: [EXAMPLES], env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
  });
  afterAll(async () => {
    await engine?.close();
    await model?.close();
    if (docker) await removeTestContainers(docker);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  let first: string;

  it('a 2 × 3 matrix: pass rates, pass@k, pass^k and the flaky stage as the model made them; each trial an ordinary, tagged run', async () => {
    const started = await engine.api['evaluation.start']({ runbookPath: HELLO, cells: [{ model: STEADY }, { model: FLAKY }], trials: 3, concurrency: { local: 3 } });
    first = started.id;
    await engine.evaluations.wait(first);
    const r = report(first);
    expect(r.evaluation).toMatchObject({ status: 'completed', collection: 'demo', task: 'hello-report', version: '1.0.0', trials: 3, concurrency: { local: 3, remote: 4 } });
    expect(r.evaluation.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.progress).toEqual({ total: 6, ended: 6, running: 0, pending: 0 });

    const steady = cell(r, STEADY);
    expect(steady).toMatchObject({ trials: 3, passed: 3, failed: 0, errors: 0, pass_rate: 1, flaky_stage: null });
    expect(steady.pass_at_k).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(steady.pass_hat_k).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(steady.stages).toEqual([
      { name: 'hello', ran: 3, passed: 3, first_failures: 0, state: 'stable' },
      { name: 'line_count', ran: 3, passed: 3, first_failures: 0, state: 'stable' },
    ]);

    const flaky = cell(r, FLAKY);
    expect(flaky).toMatchObject({ trials: 3, passed: 1, failed: 2, errors: 0, flaky_stage: 'line_count', errors_by_kind: { infrastructure: {}, runbook: { verdict: 2 } } });
    expect(flaky.pass_rate).toBeCloseTo(1 / 3);
    expect(flaky.interval!.low).toBeCloseTo(0.0615, 3);
    expect(flaky.interval!.high).toBeCloseTo(0.7923, 3);
    expect(flaky.pass_at_k[1]).toBeCloseTo(1 / 3);
    expect(flaky.pass_at_k[2]).toBeCloseTo(2 / 3);
    expect(flaky.pass_at_k[3]).toBe(1);
    expect(flaky.pass_hat_k[1]).toBeCloseTo(1 / 3);
    expect(flaky.pass_hat_k[2]).toBe(0);
    expect(flaky.pass_hat_k[3]).toBe(0);
    expect(flaky.stages).toEqual([
      { name: 'hello', ran: 3, passed: 3, first_failures: 0, state: 'stable' },
      { name: 'line_count', ran: 3, passed: 1, first_failures: 2, state: 'flaky' },
    ]);
    // Tokens and cost come from the runs' model calls (priced by the gateway); durations from the runs.
    expect(flaky.tokens.input).toBeGreaterThan(0);
    for (const c of [steady, flaky]) expect(c.cost_usd).toBeCloseTo((c.tokens.input * PRICE.input + c.tokens.output * PRICE.output) / 1e6, 9);
    expect(flaky.duration_ms.p50).toBeGreaterThan(0);
    expect(flaky.duration_ms.p90!).toBeGreaterThanOrEqual(flaky.duration_ms.p50!);

    // Each trial is an ordinary run of the runbook, tagged with its evaluation, cell and trial.
    const store = engine.services.store;
    for (const t of r.trials) {
      expect(t).toMatchObject({ state: 'ended', attempt: 1, superseded: [] });
      const run = store.getTrajectory(t.trajectory_id!)!;
      expect(run).toMatchObject({ kind: 'runbook', collection: 'demo', task: 'hello-report', model: r.cells[t.cell].model });
      const labels = Object.fromEntries(run.labels.map((l) => [l.key, l.value]));
      expect(labels).toEqual({ evaluation: first, evaluation_cell: r.cells[t.cell].label, evaluation_trial: String(t.trial) });
      expect(t.outcome).toBe(run.evaluation?.overall_passed ? 'passed' : 'failed');
    }
    // The known trials: the flaky model's two failing reports are the cell's failed trials.
    const failedRuns = r.trials.filter((t) => t.outcome === 'failed').map((t) => store.getTrajectory(t.trajectory_id!)!);
    expect(failedRuns.map((t) => t.model)).toEqual([FLAKY, FLAKY]);
    expect(failedRuns.every((t) => t.evaluation?.fail === 1)).toBe(true);
    expect(scripted.writes).toEqual({ [STEADY]: 3, [FLAKY]: 3 });
  }, 180_000);

  it('re-run failures: two re-runs per failed trial, all passing — both failures flaky, the headline unchanged', async () => {
    const { added } = await engine.api['evaluation.rerunFailures']({ id: first, repeats: 2 });
    expect(added).toBe(4);
    await engine.evaluations.wait(first);
    const r = report(first);
    expect(r.evaluation.status).toBe('completed');
    const flaky = cell(r, FLAKY);
    expect(flaky).toMatchObject({ trials: 3, passed: 1, reruns: { trials: 4, passed: 4, systematic: 0, flaky: 2, pending: 0 } });
    expect(flaky.pass_rate).toBeCloseTo(1 / 3);
    const reruns = r.trials.filter((t) => t.rerun_of !== null);
    // Numbered after the cell's last trial, two for each failed trial.
    expect(reruns.map((t) => t.trial).sort()).toEqual([4, 5, 6, 7]);
    const failedTrials = r.trials.filter((t) => t.rerun_of === null && t.outcome === 'failed').map((t) => t.trial);
    expect(reruns.map((t) => t.rerun_of).sort()).toEqual([...failedTrials, ...failedTrials].sort());
    expect(reruns.every((t) => t.cell === flaky.cell && t.outcome === 'passed')).toBe(true);
    // Nothing more to re-run: the failures have their re-runs.
    expect((await engine.api['evaluation.rerunFailures']({ id: first, repeats: 2 })).added).toBe(0);
  }, 180_000);

  it('JUnit XML and CTRF JSON hold to their formats and carry the figures', () => {
    const r = report(first);
    const xml = junitXml(r);
    const junit = checkJunit(xml);
    expect(junit.problems).toEqual([]);
    expect(junit.suites.map((s) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      [`demo/hello-report@1.0.0 default agent / ${STEADY}`, 3, 0, 0],
      [`demo/hello-report@1.0.0 default agent / ${FLAKY}`, 7, 2, 0],
    ]);
    const flakySuite = junit.suites[1];
    expect(flakySuite.properties).toMatchObject({ pass_rate: '0.3333', pass_at_2: '0.6667', pass_at_3: '1.0000', pass_hat_2: '0.0000', flaky_stage: 'line_count' });
    const failing = flakySuite.cases.filter((c) => c.failure);
    expect(failing).toHaveLength(2);
    expect(failing[0].failure).toMatchObject({ type: 'verdict', message: 'line_count: fail (expected 3 lines, found 2)' });
    expect(failing[0].properties).toMatchObject({ 'stage.hello': 'pass', 'stage.line_count': 'fail' });
    expect(failing[0].properties.trajectory_id).toMatch(/^[0-9a-f]{8}$/);

    const ctrf = ctrfReport(r);
    expect(checkCtrf(ctrf)).toEqual([]);
    const results = ctrf.results as { summary: Record<string, number>; tests: { status: string; flaky?: boolean; steps: unknown[]; retryAttempts?: unknown[] }[] };
    expect(results.summary).toMatchObject({ tests: 6, passed: 4, failed: 2, other: 0, flaky: 2, suites: 2 });
    expect(results.tests.filter((t) => t.flaky)).toHaveLength(2);
    expect(results.tests.find((t) => t.flaky)!.retryAttempts).toHaveLength(2);
    expect(results.tests[0].steps).toEqual([
      { name: 'hello', status: 'passed' },
      { name: 'line_count', status: 'passed' },
    ]);

    // The checks refuse what breaks the formats: they are not vacuous.
    expect(checkJunit(xml.replace('</testsuites>', '')).problems[0]).toMatch(/is not closed/);
    expect(checkJunit(xml.replace(/ failures="2"/, ' failures="1"')).problems).toEqual(['testsuites: failures=1 but its suites hold 2']);
    expect(checkJunit(xml.replace(/(<testsuite [^>]*) failures="2"/, '$1 failures="0"')).problems).toEqual([`testsuite demo/hello-report@1.0.0 default agent / ${FLAKY}: failures=0 but it holds 2`, 'testsuites: failures=2 but its suites hold 0']);
    expect(checkJunit(xml.replace('<testcase ', '<testcase owner="x" ')).problems[0]).toMatch(/unknown attribute owner/);
    expect(checkJunit(xml.replace(/time="[\d.]+"/, 'time="soon"')).problems[0]).toMatch(/time="soon" is not a number/);
    const broken = structuredClone(ctrf) as { results: { tests: Record<string, unknown>[]; summary: Record<string, unknown> } };
    broken.results.tests[0].status = 'error';
    broken.results.tests[1].duration = 1.5;
    delete broken.results.summary.pending;
    expect(checkCtrf(broken)).toEqual(["results.summary: missing pending", "results.tests[0].status: 'error' is not one of passed, failed, skipped, pending, other", 'results.tests[1].duration: not an integer']);
  });

  it('an image that cannot be had is an infrastructure error, kept apart from the runbook’s failures', async () => {
    const { id } = await engine.api['evaluation.start']({ runbookPath: HELLO, cells: [{ model: STEADY, image: 'jetty-test/absent:latest' }], trials: 2 });
    await engine.evaluations.wait(id);
    const c = report(id).cells[0];
    expect(c).toMatchObject({ trials: 0, passed: 0, failed: 0, errors: 2, pass_rate: null, errors_by_kind: { infrastructure: { sandbox: 2 }, runbook: {} } });
    expect(report(id).trials[0].error).toMatch(/jetty-test\/absent:latest/);
  }, 120_000);

  it('trials share their image: made ready once however many trials ask for it together', async () => {
    const real = engine.services.sandboxes;
    const asked: unknown[] = [];
    const counted = { resolveImage: real.resolveImage, ensureImage: (...args: Parameters<typeof real.ensureImage>) => (asked.push(args[0]), real.ensureImage(...args)) };
    const prepare = imagePreparer(counted, openStoredRunSources(dataDir, { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE }));
    const order = { runbookPath: HELLO, model: STEADY, door: 'evaluation' as const };
    await Promise.all(Array.from({ length: 5 }, () => prepare(order)));
    expect(asked).toEqual([{ image: TEST_BASE_IMAGE, snapshot: 'python312-uv' }]);
    // Another image is made ready on its own.
    await prepare({ ...order, image: 'jetty-test/absent:latest' });
    expect(asked).toHaveLength(2);
  });

  it('a runbook changed mid-evaluation: the trials left are not run, and the evaluation fails saying why', async () => {
    const { id } = await engine.evaluations.start({ runbookPath: edited, cells: [{ model: EDITOR }], trials: 3, concurrency: { local: 1 } });
    await engine.evaluations.wait(id);
    const r = report(id);
    expect(r.evaluation.status).toBe('failed');
    expect(r.evaluation.error).toMatch(/^RUNBOOK\.md changed since the evaluation started \(sha256 [0-9a-f]{12}…, now [0-9a-f]{12}…\): the trials left were not run; start a new evaluation of the new version$/);
    expect(r.trials.map((t) => t.state)).toEqual(['ended', 'pending', 'pending']);
    expect(r.trials[0].outcome).toBe('passed');
    // Its failures are not re-run: that would run the trials it never ran, of another text.
    await expect(engine.api['evaluation.rerunFailures']({ id, repeats: 1 })).rejects.toThrow(/^the evaluation failed \(RUNBOOK\.md changed since the evaluation started .*\): its failures are re-run only once it has completed; start a new evaluation$/);
  }, 60_000);

  it('cancel: running trials are cancelled, the rest never start, and no container is left', async () => {
    const hungBefore = scripted.hung;
    const { id } = await engine.api['evaluation.start']({ runbookPath: HELLO, cells: [{ model: HANG }], trials: 4, concurrency: { local: 2 } });
    await waitFor(() => scripted.hung >= hungBefore + 2, 'both running trials to wait on their model', 60_000);
    const runIds = report(id).trials.flatMap((t) => (t.state === 'running' ? [t.trajectory_id!] : []));
    expect(runIds).toHaveLength(2);
    expect((await engine.api['evaluation.cancel']({ id })).cancelled).toBe(true);
    await engine.evaluations.wait(id);
    const r = report(id);
    expect(r.evaluation.status).toBe('cancelled');
    expect(r.trials.map((t) => t.state)).toEqual(['ended', 'ended', 'pending', 'pending']);
    expect(r.trials.slice(0, 2).map((t) => t.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(r.cells[0]).toMatchObject({ trials: 0, cancelled: 2 });
    await engine.services.runner.containersRemoved();
    const left = await docker.listContainers({ all: true, filters: { label: ['jetty.run_id'] } });
    expect(left.filter((c) => runIds.includes(c.Labels['jetty.run_id']))).toEqual([]);
  }, 120_000);
});
