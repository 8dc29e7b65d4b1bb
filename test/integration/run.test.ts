import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import { RunPreparationError } from '../../electron/engine/runs/prepare';
import { createSandboxService, type SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { TEST_BASE_IMAGE as BASE_IMAGE, requireDocker } from '../helpers/docker';
import { payloadsOf } from '../helpers/events';
import { callTools, lastToolResult, startScriptedModelServer, type ScriptedModelServer, type Script } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const repo = path.resolve(__dirname, '../..');
const HELLO = path.join(repo, 'resources/examples/demo/hello-report/RUNBOOK.md');
const SECRET_REPORT = path.join(repo, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');
const SECRET = 'sk-live-4f9a8b7c6d5e-very-secret';

/** A script that runs `command` once, then writes a report with the command's output, then finishes. */
const runThenReport = (command: string): Script => (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command } });
  if (turns === 1) {
    const output = lastToolResult(request) ?? '';
    return callTools(
      { name: 'write_file', arguments: { path: '/app/results/summary.md', content: `# Output\n\n${output}\n` } },
      { name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}' } },
    );
  }
  return callTools({ name: 'finish', arguments: { summary: 'done' } });
};

describe('local runs in real Docker sandboxes', () => {
  let dir: string;
  let store: Store;
  let sandboxes: SandboxService;
  let runner: Runner;
  const servers: ScriptedModelServer[] = [];
  const model = async (script: Script) => {
    const server = await startScriptedModelServer(script);
    servers.push(server);
    return server.url;
  };

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-'));
    store = openStore(path.join(dir, 'jetty.db'));
    sandboxes = createSandboxService();
    runner = createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env: {} });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await sandboxes?.close();
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs a runbook to completed with artifacts and an evaluation', async () => {
    const baseURL = await model(NAMED_SCRIPTS['hello-report']);
    const run = await runner.start({ runbookPath: HELLO, image: BASE_IMAGE, baseURL, apiKey: 'test-key', model: 'scripted' });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.artifacts.map((a) => a.path).sort()).toEqual(['greeting.txt', 'summary.md', 'validation_report.json']);
    expect(t.artifacts.every((a) => /^[0-9a-f]{64}$/.test(a.sha256) && a.size > 0)).toBe(true);
    expect(t.evaluation).toMatchObject({ overall_passed: true, pass: 1, partial: 0, fail: 0 });
    expect(Object.keys(t.steps)).toEqual(expect.arrayContaining(['prepare', 'sandbox', 'agent', 'collect', 'evaluate']));
    expect(t.steps.agent.status).toBe('completed');
    expect(t.usage?.total_tokens).toBeGreaterThan(0);
    const summary = await readFile(path.join(dir, 'artifacts', t.id, 'summary.md'), 'utf8');
    expect(summary).toContain('Hello from the scripted model');
    const events = store.listEvents(t.id, { limit: 10_000 });
    const types = new Set(events.map((e) => e.type));
    for (const type of ['status', 'message', 'tool_call', 'tool_result', 'command_output', 'model_call', 'artifact', 'evaluation']) {
      expect(types, type).toContain(type);
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ type: 'status', payload: { status: 'completed' } });
    // Each call counts once: the model_call events (the gateway's) add up to the run's usage; the agent's own report is a usage event.
    const calls = payloadsOf(events, 'model_call');
    expect(calls.map((c) => c.source)).toEqual(['gateway', 'gateway', 'gateway']);
    expect(calls.reduce((n, c) => n + (c.usage?.total_tokens ?? 0), 0)).toBe(t.usage?.total_tokens);
    expect(payloadsOf(events, 'usage')).toHaveLength(3);
    await runner.containersRemoved();
    expect((await new Docker().listContainers({ all: true, filters: { label: [`jetty.run_id=${t.id}`] } })).length).toBe(0);
  });

  it('keeps a secret the agent echoes out of events, exports and the database file', async () => {
    const baseURL = await model(runThenReport('echo "token is $DEMO_TOKEN"; printf "%s" "$DEMO_TOKEN" | base64'));
    const run = await runner.start({
      runbookPath: SECRET_REPORT,
      params: { topic: 'billing' },
      secrets: { DEMO_TOKEN: SECRET },
      image: BASE_IMAGE,
      baseURL,
      apiKey: 'test-key',
      model: 'scripted',
    });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    const events = store.listEvents(t.id, { limit: 10_000 });
    const stdout = events.filter((e) => e.type === 'command_output').map((e) => String(e.payload.text)).join('');
    expect(stdout).toContain('token is [REDACTED:DEMO_TOKEN]');
    const exported = JSON.stringify(store.exportTrajectory(t.id));
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(exported).toContain('[REDACTED:DEMO_TOKEN]');
    store.checkpoint();
    for (const file of [store.file, `${store.file}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
    }
  });

  it('runs 4 at once, each seeing only its own input files', async () => {
    const baseURL = await model(runThenReport('ls -1 /app/assets'));
    const runs = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const input = path.join(dir, `input-${i}`, `only-run-${i}.txt`);
        await rm(path.dirname(input), { recursive: true, force: true });
        await mkdir(path.dirname(input), { recursive: true });
        await writeFile(input, `run ${i}\n`);
        return runner.start({
          runbookPath: SECRET_REPORT,
          params: { topic: `run-${i}` },
          secrets: { DEMO_TOKEN: SECRET },
          files: [input],
          image: BASE_IMAGE,
          baseURL,
          apiKey: 'test-key',
          model: 'scripted',
        });
      }),
    );
    const done = await Promise.all(runs.map((r) => r.done));
    for (const [i, t] of done.entries()) {
      expect(t.status, t.error ?? '').toBe('completed');
      const summary = await readFile(path.join(dir, 'artifacts', t.id, 'summary.md'), 'utf8');
      expect(summary).toContain(`only-run-${i}.txt`);
      for (const j of [0, 1, 2, 3].filter((j) => j !== i)) expect(summary).not.toContain(`only-run-${j}.txt`);
    }
    expect(new Set(done.map((t) => t.id)).size).toBe(4);
  });

  it('cancels a run: cancelled status and the container gone within seconds, not when its command ends', async () => {
    const baseURL = await model(runThenReport('sleep 120'));
    const run = await runner.start({ runbookPath: HELLO, image: BASE_IMAGE, baseURL, apiKey: 'k', model: 'scripted' });
    const docker = new Docker();
    const filters = { label: [`jetty.run_id=${run.id}`] };
    for (let i = 0; i < 100; i++) {
      const started = store.listEvents(run.id, { limit: 10_000 }).some((e) => e.type === 'tool_call');
      if (started) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelledAt = Date.now();
    run.cancel();
    const t = await run.done;
    expect(t.status).toBe('cancelled');
    let remaining = await docker.listContainers({ all: true, filters });
    while (remaining.length > 0 && Date.now() - cancelledAt < 5000) {
      await new Promise((r) => setTimeout(r, 50));
      remaining = await docker.listContainers({ all: true, filters });
    }
    // Gone long before its command (sleep 120) would have ended.
    expect(remaining).toEqual([]);
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
  });

  it('fails a run that exceeds its timeout', async () => {
    const baseURL = await model(runThenReport('sleep 120'));
    const run = await runner.start({ runbookPath: HELLO, image: BASE_IMAGE, baseURL, apiKey: 'k', model: 'scripted', timeoutMs: 4000 });
    const t = await run.done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/timed out after 4 s/);
  });

  it('refuses to start without required parameters and secrets, naming each', async () => {
    const err = await runner.start({ runbookPath: SECRET_REPORT, image: BASE_IMAGE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunPreparationError);
    expect((err as RunPreparationError).problems.join('\n')).toMatch(/parameter 'topic'[\s\S]*secret 'DEMO_TOKEN'/);
  });

  it('fails with a clear message when Docker is not reachable', async () => {
    const unreachable = createSandboxService({ docker: new Docker({ socketPath: path.join(dir, 'no-docker.sock') }) });
    const offline = createRunner({ store, sandboxes: unreachable, artifactsRoot: path.join(dir, 'artifacts'), env: {} });
    // A model no provider claims goes to the given endpoint (the runbook's Claude model would need an Anthropic key first).
    const run = await offline.start({ runbookPath: HELLO, image: BASE_IMAGE, model: 'scripted-model', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' });
    const t = await run.done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/Docker/);
    expect(t.error).toMatch(/start|install/i);
  });
});
