// The claude-code runtime: the real Claude Code CLI in a real sandbox container, talking to
// the scripted model server in Anthropic's wire format (through the gateway, which the container
// reaches as host.docker.internal), through the whole run orchestrator.
import { messageOf, payloadsOf, toolNameOf } from '../helpers/events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import { cliAgentHarness } from '../helpers/cli-agent-harness';
import { ensureClaudeCodeImage } from '../helpers/claude-code-image';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { callTools, fail, lastToolResult, reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const SECRET = 'sk-live-claude-code-7c1e9d2b';
const API_KEY = 'sk-ant-test-0a1b2c3d4e5f6a7b';
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';

describe('the claude-code agent runtime', () => {
  // The secret-report fixture, as a claude-code runbook.
  const h = cliAgentHarness({
    ensureImage: ensureClaudeCodeImage,
    frontmatter: 'agent: claude-code\nmodel: claude-sonnet-4-6',
    env: (server, apiKey) => ({ ANTHROPIC_BASE_URL: new URL(server.url).origin, ANTHROPIC_API_KEY: apiKey }),
    tmpPrefix: 'jetty-claude-code-run-',
    apiKey: API_KEY,
    setupTimeoutMs: 300_000,
  });
  const { runnerFor } = h;
  let runner: Runner;
  let model: ScriptedModelServer;

  // After the harness's beforeAll: the default runner and its model server.
  beforeAll(async () => {
    // Claude Code's own tools, one turn each: a command that echoes the secret, two files, then the answer.
    ({ runner, server: model } = await runnerFor([
        callTools({ name: 'Bash', arguments: { command: 'mkdir -p /app/results && echo "token is $DEMO_TOKEN" && ls /app && ls -a /app/assets > /app/results/assets.txt', description: 'set up' } }),
        (request) =>
          callTools({ name: 'Write', arguments: { file_path: '/app/results/summary.md', content: `# Summary\n\n${lastToolResult(request)}\n` } }),
        callTools({ name: 'Write', arguments: { file_path: '/app/results/validation_report.json', content: REPORT } }),
        reply('The runbook is complete.'),
    ]));
  }, 300_000);

  it('runs a runbook with the real CLI to completed: events, artifacts, evaluation, usage; secrets and the key kept out', async () => {
    const run = await runner.start({ runbookPath: h.runbook, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: SECRET }, image: h.image });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.agent).toBe('claude-code');
    expect(t.steps.agent.outputs).toMatchObject({ status: 'finished', summary: 'The runbook is complete.', turns: 4 });
    expect(t.artifacts.map((a) => a.path).sort()).toEqual(['assets.txt', 'summary.md', 'validation_report.json']);
    expect(t.evaluation).toMatchObject({ overall_passed: true, pass: 1 });
    expect(t.usage?.total_tokens).toBeGreaterThan(0);
    expect(t.usage?.cost_usd).toBeGreaterThan(0);

    const events = h.store.listEvents(t.id, { limit: 10_000 });
    const agentEvents = events.filter((e) => e.step === 'agent' && e.type !== 'status' && e.type !== 'progress');
    expect(agentEvents.map((e) => `${e.type}:${toolNameOf(e)}`)).toEqual([
      'log:',
      'tool_call:Bash',
      'tool_result:Bash',
      'tool_call:Write',
      'tool_result:Write',
      'file_change:',
      'tool_call:Write',
      'tool_result:Write',
      'file_change:',
      'message:',
      'usage:',
    ]);
    // Each file the Write tool made, after its result, with its content as the diff (the secret redacted).
    const writes = payloadsOf(agentEvents, 'tool_call').filter((c) => c.name === 'Write');
    expect(payloadsOf(agentEvents, 'file_change')).toEqual([
      { path: '/app/results/summary.md', kind: 'add', tool_call_id: writes[0].id, diff: expect.stringMatching(/^--- \/app\/results\/summary\.md\n\+\+\+ \/app\/results\/summary\.md\n@@ -0,0 \+1,\d+ @@\n\+# Summary\n\+\n\+token is \[REDACTED:DEMO_TOKEN\]\n/) },
      { path: '/app/results/validation_report.json', kind: 'add', tool_call_id: writes[1].id, diff: expect.stringContaining(`+${REPORT}`) },
    ]);
    const [bash] = payloadsOf(agentEvents, 'tool_result');
    expect(bash.ok).toBe(true);
    expect(bash.output).toContain('token is [REDACTED:DEMO_TOKEN]');
    // The file the CLI's Write tool made in the container, collected as an artifact.
    expect(await readFile(path.join(h.dir, 'artifacts', t.id, 'summary.md'), 'utf8')).toMatch(/^# Summary\n\ntoken is .+\nRUNBOOK.md\nassets\nresults\n/);

    // What the CLI sent: the runbook in its system prompt, the key as x-api-key.
    const calls = model.requests.filter((r) => r.path === '/v1/messages');
    expect(calls).toHaveLength(4);
    expect(calls[0].headers['x-api-key']).toBe(API_KEY);
    expect(JSON.stringify(calls[0].body)).toContain('# Secret Report — test runbook');

    const exported = JSON.stringify(h.store.exportTrajectory(t.id));
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain(API_KEY);
    h.store.checkpoint();
    const bytes = await readFile(h.store.file);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
  }, 180_000);

  it('fails when the image lacks the CLI, naming the image and the CLI; falls back to the built-in agent only when the setting is on, never when claude-code was asked for', async () => {
    const before = model.requests.length;
    const missing = `agent 'claude-code' needs the claude CLI, which is not installed in the sandbox image ${TEST_BASE_IMAGE}`;
    const failed = await (await runner.start({ runbookPath: h.runbook, params: { topic: 'x' }, secrets: { DEMO_TOKEN: SECRET }, image: TEST_BASE_IMAGE })).done;
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(`${missing}: use an image that has it (see resources/sandboxes/README.md), or set JETTY_AGENT_FALLBACK=builtin to run it with the built-in agent`);

    // With JETTY_AGENT_FALLBACK=builtin the built-in agent runs, on the OpenAI-compatible
    // endpoint of the run's provider variables.
    const openai = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    const modelEnv = { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-openai-test', ANTHROPIC_API_KEY: API_KEY };
    const falling = createRunner({ store: h.store, sandboxes: h.sandboxes, artifactsRoot: path.join(h.dir, 'artifacts'), env: { JETTY_AGENT_FALLBACK: 'builtin' } });
    const fallback = await (
      await falling.start({ runbookPath: h.runbook, params: { topic: 'x' }, secrets: { DEMO_TOKEN: SECRET }, image: TEST_BASE_IMAGE, modelEnv, model: 'scripted' })
    ).done;
    await openai.close();
    expect(fallback.status, fallback.error ?? '').toBe('completed');
    expect(fallback.agent).toBe('builtin');
    expect(openai.requests.filter((r) => r.path === '/v1/chat/completions').length).toBeGreaterThan(0);
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-openai-test');
    const warnings = h.store.listEvents(fallback.id, { limit: 1000 }).filter((e) => e.level === 'warning').map(messageOf);
    expect(warnings).toContain(`${missing}; using the built-in agent (JETTY_AGENT_FALLBACK=builtin)`);

    const asked = await (
      // With its key (else the run is refused before any sandbox, run-key-check.test.ts).
      await falling.start({ runbookPath: h.runbook, params: { topic: 'x' }, secrets: { DEMO_TOKEN: SECRET }, image: TEST_BASE_IMAGE, agent: 'claude-code', modelEnv: { ANTHROPIC_API_KEY: API_KEY } })
    ).done;
    expect(asked.status).toBe('failed');
    expect(asked.error).toBe(`${missing}: use an image that has it (see resources/sandboxes/README.md)`);
    expect(model.requests.length).toBe(before);
  }, 120_000);

  it('cancels a run while the CLI waits on the model: cancelled, container gone', async () => {
    const { runner: waiting, server } = await runnerFor([{ type: 'hang' }]);
    const run = await waiting.start({ runbookPath: h.runbook, params: { topic: 'x' }, secrets: { DEMO_TOKEN: SECRET }, image: h.image });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelledAt = Date.now();
    run.cancel();
    const t = await run.done;
    expect(t.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    await waiting.containersRemoved();
    expect((await h.docker.listContainers({ all: true, filters: { label: [`jetty.run_id=${t.id}`] } })).length).toBe(0);
  }, 120_000);

  it("fails a run whose model request is refused, with the provider's message", async () => {
    const { runner: refused } = await runnerFor([fail(400, { message: 'this organization cannot use the model scripted-x' })]);
    const t = await (await refused.start({ runbookPath: h.runbook, params: { topic: 'x' }, secrets: { DEMO_TOKEN: SECRET }, image: h.image })).done;
    expect(t.status).toBe('failed');
    expect(t.error).toContain('this organization cannot use the model scripted-x');
    expect(t.steps.agent.outputs).toMatchObject({ status: 'error' });
  }, 120_000);
});
