// A workflow's run_runbook step runs a runbook task in a real Docker sandbox (the built-in
// agent against the scripted model server); a following step reads its outputs.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { waitFor } from '../helpers/cli';
import { requireDocker, runContainers, TEST_BASE_IMAGE } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
/** A name the scripted agent greets by sleeping for two minutes. */
const SLOW = 'Sleepy';

/** The greeting the rendered runbook asks for, read from what the agent was sent. */
function askedFor(request: ChatRequest): { name: string; times: number } {
  const match = /Write a greeting for (\S+) repeated (\d+) times/.exec(JSON.stringify(request.messages));
  if (!match) throw new Error('the rendered runbook does not ask for a greeting');
  return { name: match[1], times: Number(match[2]) };
}

/** The hello-report runbook done by the book: greeting.txt from its parameters, a passing report, finish. */
function helloReport(request: ChatRequest) {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  const { name, times } = askedFor(request);
  if (name === SLOW) return callTools({ name: 'bash', arguments: { command: 'sleep 120' } });
  if (turns === 0) return callTools({ name: 'bash', arguments: { command: `mkdir -p /app/results && for i in $(seq ${times}); do echo "Hello, ${name}!"; done > /app/results/greeting.txt && wc -l < /app/results/greeting.txt` } });
  if (turns === 1) {
    return callTools(
      { name: 'write_file', arguments: { path: '/app/results/summary.md', content: `# Greeting\n\n${times} lines for ${name}.\n` } },
      {
        name: 'write_file',
        arguments: { path: '/app/results/validation_report.json', content: JSON.stringify({ stages: [{ name: 'lines', passed: true }], overall_passed: true, results: { pass: 1, partial: 0, fail: 0 } }) },
      },
    );
  }
  return callTools({ name: 'finish', arguments: { summary: `greeted ${name}` } });
}

describe('run_runbook in a real sandbox', () => {
  let dataDir: string;
  let model: ScriptedModelServer;
  let engine: Engine;

  beforeAll(async () => {
    await requireDocker();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-wf-runbook-'));
    model = await startScriptedModelServer(helloReport);
    engine = await createEngine({
      dataDir,
      folders: [EXAMPLES],
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_MODEL: 'scripted', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
    });
  });

  afterAll(async () => {
    await engine?.close();
    await model?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('inputs become the runbook’s parameters; its artifacts and evaluation feed the next step', async () => {
    const document = {
      init_params: { who: 'Ada' },
      step_configs: {
        run: { activity: 'run_runbook', task: 'demo/hello-report', parameters: { name_path: 'init_params.who', times: 2 } },
        report: {
          activity: 'text_template',
          template: '{{ who }} passed={{ passed }} pass={{ run.outputs.evaluation.pass }} fail={{ run.outputs.evaluation.fail }} files={{ files }}',
          variables: { who_path: 'init_params.who', passed_path: 'run.outputs.evaluation.overall_passed', files_path: 'run.outputs.artifacts[*].path' },
        },
      },
      steps: ['run', 'report'],
    };
    const t = await engine.workflows.start({ collection: 'wf', task: 'greet', document }).done;
    expect(t.status, t.error ?? '').toBe('completed');

    const run = t.steps.run;
    expect(run.inputs.parameters).toEqual({ name: 'Ada', times: 2 });
    const runbookRun = engine.services.store.getTrajectory(run.outputs.trajectory_id as string)!;
    expect(runbookRun).toMatchObject({ status: 'completed', init_params: { name: 'Ada', times: '2' } });
    expect(run.outputs).toMatchObject({ status: 'completed', passed: true, evaluation: { overall_passed: true, pass: 1, fail: 0 } });

    const artifacts = run.outputs.artifacts as { path: string; file: string; sha256: string }[];
    expect(artifacts.map((a) => a.path).sort()).toEqual(['greeting.txt', 'summary.md', 'validation_report.json']);
    const greeting = artifacts.find((a) => a.path === 'greeting.txt')!;
    expect(await readFile(greeting.file, 'utf8')).toBe('Hello, Ada!\nHello, Ada!\n');
    expect(model.generations.length).toBe(3);

    const files = JSON.stringify(artifacts.map((a) => a.path));
    expect(t.steps.report.outputs.text).toBe(`Ada passed=true pass=1 fail=0 files=${files}`);
    await engine.services.runner.containersRemoved();
    expect(await runContainers(new Docker(), runbookRun.id)).toEqual([]);
  });

  it('cancelling the workflow cancels the runbook run and removes its container', async () => {
    const document = {
      step_configs: { run: { activity: 'run_runbook', task: 'demo/hello-report', parameters: { name: SLOW } } },
      steps: ['run'],
    };
    const handle = engine.workflows.start({ collection: 'wf', task: 'slow', document });
    const store = engine.services.store;
    const running = () => store.listTrajectories({ task: 'hello-report', status: 'running', limit: 10 }).trajectories;
    const docker = new Docker();
    const containersOf = async (id: string) => (await runContainers(docker, id)).length;
    // The agent has been told to sleep: the command is on its way to the container.
    await waitFor(() => running().length === 1 && model.generations.some((r) => askedFor(r).name === SLOW), 'the runbook run to sleep in its sandbox', 60_000);
    const runbookRun = running()[0];
    expect(engine.workflows.cancel(handle.id)).toBe(true);
    const t = await handle.done;
    expect(t.status).toBe('cancelled');
    expect(t.steps.run.status).toBe('cancelled');
    await waitFor(() => store.getTrajectory(runbookRun.id)?.status === 'cancelled', 'the runbook run to be cancelled', 20_000);
    for (let i = 0; i < 100 && (await containersOf(runbookRun.id)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await containersOf(runbookRun.id)).toBe(0);
  });

  it('reads a runbook by path only inside the open folders, as every other door does', async () => {
    const outside = path.join(dataDir, 'elsewhere', 'RUNBOOK.md');
    await mkdir(path.dirname(outside), { recursive: true });
    await copyFile(path.join(EXAMPLES, 'demo/hello-report/RUNBOOK.md'), outside);
    const runsBefore = engine.services.store.listTrajectories({ task: 'hello-report', limit: 1 }).total;
    const generationsBefore = model.generations.length;
    const document = (runbook: string) => ({ step_configs: { run: { activity: 'run_runbook', runbook, parameters: { name: 'Bo', times: 1 } } }, steps: ['run'] });

    const refused = await engine.workflows.start({ collection: 'wf', task: 'outside', document: document(outside) }).done;
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain('outside the open folders');
    expect(engine.services.store.listEvents(refused.id, { limit: 100 }).filter((e) => e.type === 'retry')).toEqual([]);
    expect(model.generations.length).toBe(generationsBefore);
    expect(engine.services.store.listTrajectories({ task: 'elsewhere', limit: 1 }).total).toBe(0);

    const inside = await engine.workflows.start({ collection: 'wf', task: 'inside', document: document(path.join(EXAMPLES, 'demo/hello-report/RUNBOOK.md')) }).done;
    expect(inside.status, inside.error ?? '').toBe('completed');
    expect(engine.services.store.listTrajectories({ task: 'hello-report', limit: 1 }).total).toBe(runsBefore + 1);
  });
});
