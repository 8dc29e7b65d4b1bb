// The codex runtime: the real Codex CLI in a real sandbox container, talking to the
// scripted model server in the OpenAI Responses format (through the gateway, which the container
// reaches as host.docker.internal), through the whole run orchestrator.
import { messageOf, payloadsOf } from '../helpers/events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../../electron/engine/runs/runner';
import { cliAgentHarness } from '../helpers/cli-agent-harness';
import { ensureCodexImage } from '../helpers/codex-image';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { callTools, fail, lastToolResult, reply } from '../helpers/scripted-model-server';

const SECRET = 'sk-live-codex-4d9a1f7e';
const API_KEY = 'sk-openai-test-9f8e7d6c5b4a';
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';

/** Codex's shell tool. */
const exec = (cmd: string) => callTools({ name: 'exec_command', arguments: { cmd } });

describe('the codex agent runtime', () => {
  // The secret-report fixture, as a runbook naming only a model: codex is inferred from it.
  const h = cliAgentHarness({
    ensureImage: ensureCodexImage,
    frontmatter: 'model: gpt-5.5',
    env: (server, apiKey) => ({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: apiKey, OPENAI_WIRE_API: 'responses' }),
    tmpPrefix: 'jetty-codex-run-',
    apiKey: API_KEY,
  });
  const { runnerFor } = h;
  const start = (runner: Runner, extra: Partial<Parameters<Runner['start']>[0]> = {}) =>
    runner.start({ runbookPath: h.runbook, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: SECRET }, image: h.image, ...extra });

  it('runs a runbook with the real CLI to completed: commands with output and exit code, artifacts, evaluation, usage; secrets and the key kept out', async () => {
    const { runner, server } = await runnerFor([
      exec('mkdir -p /app/results && echo "token is $DEMO_TOKEN" && ls /app && ls -a /app/assets > /app/results/assets.txt'),
      (request) => exec(`cat > /app/results/summary.md <<'EOF'\n# Summary\n\n${lastToolResult(request)}\nEOF`),
      exec(`printf '%s' '${REPORT}' > /app/results/validation_report.json`),
      exec('ls /app/nope'),
      reply('The runbook is complete.'),
    ]);
    const t = await (await start(runner)).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.agent).toBe('codex');
    expect(t.model).toBe('gpt-5.5');
    expect(t.steps.agent.outputs).toMatchObject({ status: 'finished', summary: 'The runbook is complete.', turns: 1 });
    expect(t.artifacts.map((a) => a.path).sort()).toEqual(['assets.txt', 'summary.md', 'validation_report.json']);
    expect(t.evaluation).toMatchObject({ overall_passed: true, pass: 1 });
    expect(t.usage?.total_tokens).toBeGreaterThan(0);

    const events = h.store.listEvents(t.id, { limit: 10_000 }).filter((e) => e.step === 'agent' && e.type !== 'status' && e.type !== 'progress');
    expect(messageOf(events[0])).toBe('codex session started (model gpt-5.5)');
    const work = events.filter((e) => ['tool_call', 'tool_result', 'message', 'usage'].includes(e.type));
    expect(work.map((e) => e.type)).toEqual([...Array<string[]>(4).fill(['tool_call', 'tool_result']).flat(), 'message', 'usage']);
    const results = payloadsOf(work, 'tool_result');
    expect(results[0]).toMatchObject({ name: 'command', ok: true, exit_code: 0 });
    expect(results[0].output).toBe('token is [REDACTED:DEMO_TOKEN]\nRUNBOOK.md\nassets\nresults\n');
    expect(payloadsOf(work, 'tool_call')[0].arguments).toMatchObject({ command: expect.stringContaining('mkdir -p /app/results') });
    expect(results[3]).toMatchObject({ name: 'command', ok: false, exit_code: 2, output: expect.stringContaining('No such file or directory') });
    expect(work.at(-1)!.payload).toMatchObject({ model: 'gpt-5.5', usage: { total_tokens: t.usage!.total_tokens } });
    expect(await readFile(path.join(h.dir, 'artifacts', t.id, 'summary.md'), 'utf8')).toMatch(/^# Summary\n\n[^]*token is .+\nRUNBOOK.md\nassets\nresults\n/);

    // What the CLI sent: Responses calls with the key, the runbook among its instructions.
    const calls = server.requests.filter((r) => r.path === '/v1/responses');
    expect(calls).toHaveLength(5);
    expect(calls[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(calls[0].body)).toContain('# Secret Report — test runbook');

    const exported = JSON.stringify(h.store.exportTrajectory(t.id));
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(API_KEY);
    h.store.checkpoint();
    const bytes = await readFile(h.store.file);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
  }, 180_000);

  it('fails a run whose image lacks the CLI, naming the image and the CLI', async () => {
    const { runner, server } = await runnerFor([reply('never asked')]);
    const t = await (await start(runner, { image: TEST_BASE_IMAGE })).done;
    expect(t.status).toBe('failed');
    expect(t.agent).toBe('codex');
    expect(t.error).toContain(`agent 'codex' needs the codex CLI, which is not installed in the sandbox image ${TEST_BASE_IMAGE}`);
    expect(t.error).toContain('JETTY_AGENT_FALLBACK=builtin');
    expect(server.requests).toHaveLength(0);
  }, 120_000);

  it('cancels a run while the CLI waits on the model: cancelled, container gone', async () => {
    const { runner, server } = await runnerFor([{ type: 'hang' }]);
    const run = await start(runner);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelledAt = Date.now();
    run.cancel();
    const t = await run.done;
    expect(t.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    await runner.containersRemoved();
    expect((await h.docker.listContainers({ all: true, filters: { label: [`jetty.run_id=${t.id}`] } })).length).toBe(0);
  }, 120_000);

  it("fails a run whose model request is refused, with the provider's message", async () => {
    const { runner } = await runnerFor([fail(400, { message: 'this organization cannot use the model gpt-5.5' })]);
    const t = await (await start(runner)).done;
    expect(t.status).toBe('failed');
    expect(t.error).toContain('this organization cannot use the model gpt-5.5');
    expect(t.steps.agent.outputs).toMatchObject({ status: 'error' });
  }, 120_000);

  it("fails a run whose key the provider refuses, with the CLI's message", async () => {
    const { runner, server } = await runnerFor([reply('never reached')], 'sk-wrong-key');
    const t = await (await start(runner)).done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^codex: .*Incorrect API key provided/);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer sk-wrong-key')).toBe(true);
  }, 120_000);

  it("with the sandbox network 'gateway', the real CLI reaches its model through the relay and a host service bound to 0.0.0.0 is out of reach, as it is not on the default network", async () => {
    // A service on the host, listening on every address (as many dev servers do).
    const service = createServer((_req, res) => res.end('host service'));
    await new Promise<void>((resolve) => service.listen(0, '0.0.0.0', resolve));
    const { port } = service.address() as AddressInfo;
    const bridge = os.networkInterfaces().docker0?.find((a) => a.family === 'IPv4')?.address ?? '172.17.0.1';
    const probe = `curl -s -m 5 -o /dev/null -w 'got %{http_code}' http://${bridge}:${port}/ || echo unreachable`;
    try {
      const outputs: Record<string, string> = {};
      for (const network of [true, 'gateway'] as const) {
        const { runner, server } = await runnerFor([exec(probe), exec(`printf '%s' '${REPORT}' > /app/results/validation_report.json`), reply('Done.')]);
        const t = await (await start(runner, { network })).done;
        expect(t.status, t.error ?? '').toBe('completed');
        expect(server.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(3);
        outputs[String(network)] = String(payloadsOf(h.store.listEvents(t.id, { limit: 10_000 }), 'tool_result')[0].output);
      }
      expect(outputs.true).toContain('got 200');
      expect(outputs.gateway).toContain('unreachable');
    } finally {
      service.close();
    }
  }, 240_000);
});

