// `jetty eval` for CI (the built CLI, real Docker, the scripted model): a line per trial when
// not on a terminal, the gate (every trial passed by default, or --min-pass-rate) as the exit
// code, JUnit and CTRF files written and valid, --json with the figures, usage errors exit 2.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetty, requireBuiltCli } from '../helpers/cli';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { evaluationModel, FLAKY, STEADY } from '../helpers/evaluation-model';
import { checkCtrf, checkJunit } from '../helpers/report-formats';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const HELLO = path.resolve(import.meta.dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');

describe('jetty eval', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let env: NodeJS.ProcessEnv;
  const evalRun = (...args: string[]) => jetty(['eval', HELLO, '--data-dir', path.join(dir, 'data'), ...args], env);

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cli-eval-'));
    // The flaky model fails writes 1 and 3 (the first evaluation: 1 of 3 passes), then 4 (the second: 2 of 3).
    model = await startScriptedModelServer(evaluationModel([1, 3, 4]).script);
    env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
  });
  afterAll(async () => {
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let firstId = '';

  it('by default every trial must pass: a line per trial, exit 1, JUnit and CTRF written and valid', async () => {
    const junit = path.join(dir, 'reports/junit.xml');
    const ctrf = path.join(dir, 'reports/ctrf.json');
    const out = await evalRun('--repeat', '3', '--model', `${STEADY},${FLAKY}`, '--concurrency', '3', '--junit', junit, '--ctrf', ctrf);
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(1);
    firstId = /^Evaluation ([0-9a-f]{8}): 2 cell\(s\) × 3 trial\(s\)$/m.exec(out.stdout)![1];
    const trialLines = out.stdout.split('\n').filter((l) => l.startsWith('trial '));
    expect(trialLines).toHaveLength(6);
    expect(trialLines.filter((l) => l.includes(`of default agent / ${FLAKY}: failed (verdict): line_count: fail (expected 3 lines, found 2)`))).toHaveLength(2);
    expect(trialLines.filter((l) => / passed in [\d.]+s \[[0-9a-f]{8}\]$/.test(l))).toHaveLength(4);
    expect(out.stdout).toContain(`Evaluation ${firstId} completed: the gate does not hold:\n  - default agent / ${FLAKY}: 2 of 3 trials did not pass (every trial must)`);
    expect(out.stdout).toContain(`wrote ${junit}`);

    const xml = checkJunit(await readFile(junit, 'utf8'));
    expect(xml.problems).toEqual([]);
    expect(xml.suites.map((s) => [s.tests, s.failures])).toEqual([
      [3, 0],
      [3, 2],
    ]);
    const report = JSON.parse(await readFile(ctrf, 'utf8')) as { results: { summary: Record<string, number> } };
    expect(checkCtrf(report)).toEqual([]);
    expect(report.results.summary).toMatchObject({ tests: 6, passed: 4, failed: 2 });
  }, 120_000);

  it('--min-pass-rate gates each cell’s pass rate; --json prints the figures alone', async () => {
    const out = await evalRun('--repeat', '3', '--model', `${STEADY},${FLAKY}`, '--min-pass-rate', '0.6', '--json');
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0]) as { cells: Record<string, unknown>[]; gate: Record<string, unknown>; exit_code: number; evaluation: Record<string, unknown> };
    expect(figures.gate).toEqual({ min_pass_rate: 0.6, holds: true, reasons: [] });
    expect(figures.exit_code).toBe(0);
    expect(figures.evaluation).toMatchObject({ task: 'hello-report', version: '1.0.0', status: 'completed', trials_per_cell: 3 });
    const flaky = figures.cells.find((c) => c.model === FLAKY)!;
    for (const key of ['agent', 'model', 'trials', 'passed', 'pass_rate', 'pass_at_k', 'pass_hat_k', 'cost_usd', 'duration_ms', 'stages']) expect(flaky).toHaveProperty(key);
    expect(flaky).toMatchObject({ trials: 3, passed: 2, pass_at_k: { 3: 1 }, pass_hat_k: { 3: 0 } });
    expect(flaky.pass_rate).toBeCloseTo(2 / 3);
    // Progress went to stderr, a line per trial.
    expect(out.stderr.split('\n').filter((l) => l.startsWith('trial '))).toHaveLength(6);

    // The stored first evaluation, read again: its gate at 0.6 does not hold (1 of 3).
    const shown = await jetty(['eval', 'show', firstId, '--data-dir', path.join(dir, 'data'), '--min-pass-rate', '0.6', '--json'], env);
    expect(shown.code, shown.stderr).toBe(1);
    expect(JSON.parse(shown.stdout).gate).toEqual({ min_pass_rate: 0.6, holds: false, reasons: [`default agent / ${FLAKY}: pass rate 33% is under 60%`] });
  }, 120_000);

  it('usage errors exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--repeat N is required/],
      [['--repeat', '2', '--min-pass-rate', '1.5'], /--min-pass-rate expects a number from 0 to 1, got '1.5'/],
      [['--repeat', '2', '--executor', 'moon'], /--executor takes local or remote, not 'moon'/],
      [['--repeat', '2', '--cases', path.join(dir, 'absent.json')], /--cases: cannot read .*absent\.json as JSON/],
      [['--repeat', '2', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const out = await evalRun(...args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(2);
      expect(out.stderr).toMatch(message);
    }
    const missing = await jetty(['eval', path.join(dir, 'nowhere/RUNBOOK.md'), '--repeat', '1', '--data-dir', path.join(dir, 'data')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/jetty: eval: cannot read the runbook: file not found/);
  }, 60_000);
});
