// run_runbook survives kill -9 of the serving process (real Docker sandboxes, the built-in
// agent against the scripted model server): the runbook run's trajectory id is journaled
// before it starts, so a resumed step adopts the run instead of starting another.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli';
import { requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { helloReport } from '../helpers/scripted-model-scripts';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import type { Json } from '../helpers/workflow-engine';
import { finished, integrity, killServingProcesses, runAsync, serve } from '../helpers/workflow-serve';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
const WORKFLOW = { step_configs: { run: { activity: 'run_runbook', task: 'demo/hello-report', parameters: { name: 'Ada', times: 1 } } }, steps: ['run'] };

let model: ScriptedModelServer;
/** While set, the agent's model calls hang (a run caught mid-way); `hung` says one did. */
let hangCalls = false;
let hung = false;
const dirs: string[] = [];

beforeAll(async () => {
  await requireDocker();
  model = await startScriptedModelServer((request, turn) => {
    if (!hangCalls) return helloReport(request, turn);
    hung = true;
    return { type: 'hang' };
  });
});
afterAll(async () => {
  killServingProcesses();
  await model?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = () => ({
  OPENAI_BASE_URL: model.url,
  OPENAI_API_KEY: 'sk-test',
  JETTY_MODEL: 'scripted',
  JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE,
  SERVE_FOLDERS: EXAMPLES,
});

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-runbook-crash-'));
  dirs.push(dir);
  return dir;
}

describe('run_runbook after kill -9 of the serving process (real Docker)', () => {
  it('killed after the runbook run completed but before the step was journaled: the resumed step adopts the run, no second run', async () => {
    const dataDir = freshDataDir();
    const first = await serve(dataDir, env(), { completedChildren: 1, task: 'hello-report' });
    const id = await runAsync(first, 'adopt', WORKFLOW);
    await waitFor(() => first.lines.includes('frozen'), 'the runbook run to complete', 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');
    const generations = model.generations.length;

    const second = await serve(dataDir, env());
    const t = await finished(second, `/db/trajectory/wf/adopt/${id}`, 120_000);
    expect(t.status, JSON.stringify(t)).toBe('completed');
    const runs = (await second.call('GET', '/db/trajectories/demo/hello-report?limit=10')).trajectories as Json[];
    expect(runs.map((r) => r.id)).toEqual([t.steps.run.outputs.trajectory_id]);
    expect(t.steps.run.outputs).toMatchObject({ status: 'completed', passed: true });
    expect(model.generations.length).toBe(generations);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('killed while the runbook run works: that run is marked failed (interrupted) and the step retries with a new run, as a retry event', async () => {
    const dataDir = freshDataDir();
    hangCalls = true;
    hung = false;
    const first = await serve(dataDir, env());
    const id = await runAsync(first, 'retry', WORKFLOW);
    await waitFor(() => hung, 'the runbook run’s agent to wait on its model', 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    hangCalls = false;
    expect(integrity(path.join(dataDir, 'jetty.db'))).toBe('ok');

    const second = await serve(dataDir, env());
    const t = await finished(second, `/db/trajectory/wf/retry/${id}`, 120_000);
    expect(t.status, JSON.stringify(t)).toBe('completed');
    const runs = (await second.call('GET', '/db/trajectories/demo/hello-report?limit=10')).trajectories as Json[];
    expect(runs).toHaveLength(2);
    const interrupted = runs.find((r) => r.id !== t.steps.run.outputs.trajectory_id)!;
    const clear = 'interrupted: the process running it stopped before it ended; the workflow step retries with a new run';
    expect(interrupted).toMatchObject({ status: 'failed', error: clear });
    const logs = (await second.call('GET', `/workflows-logs/${id}`)).logs as { type: string; payload: Record<string, unknown> }[];
    expect(logs.filter((e) => e.type === 'retry').map((e) => e.payload.error)).toEqual([`runbook run ${interrupted.id} was ${clear}`]);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
