// Passed is not completed: a run whose validation_report.json says overall_passed false (or
// that leaves out a required output file) completes, and its evaluation failed — apart from
// its status at every door: `jetty run` prints it and exits 4, `jetty trajectories` shows and
// filters it, REST /run-sync answers it beside the status and the trajectory list filters and
// sorts by it. Real Docker, the built CLI and `jetty serve`, the scripted model picking each
// run's outcome by its `name` parameter.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, jetty, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { helloReportByName } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const HELLO = path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md');

interface Listed {
  id: string;
  status: string;
  evaluation_verdict?: string;
  evaluation: { overall_passed: boolean | null; fail: number; missing_outputs?: string[] } | null;
}

describe('a completed run whose evaluation failed', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let env: NodeJS.ProcessEnv;
  const cliData = () => path.join(dir, 'cli-data');
  /** `jetty run` of hello-report with `name`, which picks the scripted outcome. */
  const run = (name: string, ...extra: string[]) => jetty(['run', HELLO, '--image', TEST_BASE_IMAGE, '--model', 'scripted-model', '--param', `name=${name}`, '--data-dir', cliData(), ...extra], env);
  const idOf = (stdout: string) => /^Trajectory ([0-9a-f]{8})$/m.exec(stdout)?.[1];

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-evaluation-verdict-'));
    model = await startScriptedModelServer(helloReportByName);
    env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' };
  });
  afterAll(async () => {
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ids: Record<string, string> = {};

  it('jetty run prints the evaluation and exits 4 (not 0, and not 1: the run itself did not fail)', async () => {
    const failing = await run('failing');
    ids.failing = idOf(failing.stdout)!;
    expect(failing.code, failing.stderr).toBe(4);
    expect(failing.stdout).toMatch(/: completed in [\d.]+ s — evaluation: failed \(1 pass, 0 partial, 1 fail\) — 3 artifact\(s\)/);
    expect(failing.stderr).toContain('jetty run: the run completed, but its evaluation failed (exit 4)');

    // A passing report does not save a run that left out a required output file.
    const incomplete = await run('incomplete', '--json');
    const result = incomplete.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.type === 'result') as { trajectory: Listed; evaluation_verdict: string; exit_code: number };
    ids.incomplete = result.trajectory.id;
    expect(incomplete.code, incomplete.stderr).toBe(4);
    expect(result).toMatchObject({ evaluation_verdict: 'failed', exit_code: 4, trajectory: { status: 'completed', evaluation: { overall_passed: false, fail: 0, missing_outputs: ['greeting.txt'] } } });

    const passing = await run('Ada');
    ids.passing = idOf(passing.stdout)!;
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/: completed in [\d.]+ s — evaluation: passed \(1 pass, 0 partial, 0 fail\)/);

    const help = await jetty(['run', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('4 completed but its evaluation failed (validation_report.json says overall_passed false, or a required output file is missing)');
  }, 300_000);

  it('jetty trajectories shows the evaluation beside the status', async () => {
    const table = await jetty(['trajectories', '--data-dir', cliData()]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+EVALUATION\s+COLLECTION\/TASK/m);
    expect(table.stdout).toMatch(new RegExp(`^${ids.failing}\\s+completed\\s+failed: 1 fail\\s+demo/hello-report`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^${ids.incomplete}\\s+completed\\s+failed: 1 missing output\\s+demo/hello-report`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^${ids.passing}\\s+completed\\s+passed 1/1\\s+demo/hello-report`, 'm'));
  });

  it('jetty trajectories --evaluation keeps one verdict, whatever the status; --sort orders by it', async () => {
    const failed = await jetty(['trajectories', '--evaluation', 'failed', '--json', '--data-dir', cliData()]);
    expect(failed.code, failed.stderr).toBe(0);
    expect((JSON.parse(failed.stdout) as { trajectories: Listed[] }).trajectories.map((t) => t.id)).toEqual([ids.incomplete, ids.failing]);
    const passed = await jetty(['trajectories', '--evaluation', 'passed', '--json', '--data-dir', cliData()]);
    expect((JSON.parse(passed.stdout) as { trajectories: Listed[] }).trajectories.map((t) => t.id)).toEqual([ids.passing]);
    const sorted = await jetty(['trajectories', '--sort', 'passed_first', '--json', '--data-dir', cliData()]);
    expect((JSON.parse(sorted.stdout) as { trajectories: Listed[] }).trajectories.map((t) => t.id)).toEqual([ids.passing, ids.incomplete, ids.failing]);

    const bad = await jetty(['trajectories', '--evaluation', 'green', '--data-dir', cliData()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid evaluation filter 'green': use one of passed, failed, none.");
  });

  describe('over REST', () => {
    let served: ServedJetty;
    const api = (p: string, init: RequestInit = {}) => fetch(`${served.origin}/api/v1${p}`, { ...init, headers: { authorization: `Bearer ${served.token}`, ...init.headers } });
    const runSync = async (name: string) => {
      const form = new FormData();
      form.set('init_params', JSON.stringify({ name }));
      const res = await api('/run-sync/acme/hello', { method: 'POST', body: form });
      const body = (await res.json()) as Record<string, unknown> & { trajectory_id: string; trajectory: Listed };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    const listed = async (query: string) => {
      const res = await api(`/db/trajectories/acme/hello?${query}`);
      const body = (await res.json()) as { trajectories: Listed[]; total: number };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };

    beforeAll(async () => {
      const folder = path.join(dir, 'runbooks');
      await mkdir(path.join(folder, 'acme/hello'), { recursive: true });
      await cp(HELLO, path.join(folder, 'acme/hello/RUNBOOK.md'));
      served = await startJettyServe(folder, { env: { ...env, JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, JETTY_MODEL: 'scripted-model' } });
    });
    afterAll(async () => {
      await served?.stop();
    });

    const rest: Record<string, string> = {};

    it('run-sync answers the evaluation beside the status', async () => {
      const failing = await runSync('failing');
      rest.failing = failing.trajectory_id;
      const passing = await runSync('Ada');
      rest.passing = passing.trajectory_id;
      expect(failing).toMatchObject({
        status: 'completed',
        evaluation_verdict: 'failed',
        evaluation: { overall_passed: false, pass: 1, partial: 0, fail: 1 },
        trajectory: { status: 'completed', evaluation_verdict: 'failed', evaluation: { overall_passed: false, fail: 1 } },
      });
      expect(failing.evaluation).not.toHaveProperty('report');
      expect(passing).toMatchObject({ status: 'completed', evaluation_verdict: 'passed', evaluation: { overall_passed: true } });
    }, 300_000);

    it('the trajectory list filters (?evaluation=failed) and sorts (?sort=failed_first) by it', async () => {
      expect((await listed('evaluation=failed')).trajectories.map((t) => [t.id, t.status, t.evaluation_verdict])).toEqual([[rest.failing, 'completed', 'failed']]);
      expect((await listed('evaluation=passed')).trajectories.map((t) => t.id)).toEqual([rest.passing]);
      expect((await listed('evaluation=none')).total).toBe(0);
      expect((await listed('sort=failed_first')).trajectories.map((t) => t.id)).toEqual([rest.failing, rest.passing]);
      expect((await listed('')).trajectories.map((t) => t.id)).toEqual([rest.passing, rest.failing]);

      const bad = await api('/db/trajectories/acme/hello?evaluation=green');
      expect(bad.status).toBe(422);
      expect(JSON.stringify(await bad.json())).toMatch(/evaluation: .*passed.*failed.*none/);
    });
  });
});
