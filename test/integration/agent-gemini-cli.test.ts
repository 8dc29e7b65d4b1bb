// The gemini-cli runtime: the real Gemini CLI (on Node) in a real sandbox container,
// talking to the scripted model server in the Gemini API's format (through the gateway, which the
// container reaches as host.docker.internal), through the whole run orchestrator.
import { messageOf, payloadsOf, toolNameOf } from '../helpers/events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../../electron/engine/runs/runner';
import { cliAgentHarness } from '../helpers/cli-agent-harness';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { ensureGeminiCliImage } from '../helpers/gemini-image';
import { callTools, fail, lastToolResult, reply } from '../helpers/scripted-model-server';

const SECRET = 'sk-live-gemini-2b7c9e1d';
const API_KEY = 'AIza-test-5e4d3c2b1a09';
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';

const shell = (command: string) => callTools({ name: 'run_shell_command', arguments: { command } });
const write = (file_path: string, content: string) => callTools({ name: 'write_file', arguments: { file_path, content } });

describe('the gemini-cli agent runtime', () => {
  // The secret-report fixture, as a gemini-cli runbook with no model: Jetty's default for the agent.
  const h = cliAgentHarness({
    ensureImage: ensureGeminiCliImage,
    frontmatter: 'agent: gemini-cli',
    env: (server, apiKey) => ({ GOOGLE_GEMINI_BASE_URL: new URL(server.url).origin, GEMINI_API_KEY: apiKey }),
    tmpPrefix: 'jetty-gemini-run-',
    apiKey: API_KEY,
  });
  const { runnerFor } = h;
  const start = (runner: Runner, extra: Partial<Parameters<Runner['start']>[0]> = {}) =>
    runner.start({ runbookPath: h.runbook, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: SECRET }, image: h.image, ...extra });

  it('runs a runbook with the real CLI to completed: tool calls and results, artifacts, evaluation, usage; secrets and the key kept out', async () => {
    const { runner, server } = await runnerFor([
      shell('mkdir -p /app/results && echo "token is $DEMO_TOKEN" && ls /app && ls -a /app/assets > /app/results/assets.txt'),
      (request) => write('/app/results/summary.md', `# Summary\n\n${lastToolResult(request)}\n`),
      write('/app/results/validation_report.json', REPORT),
      shell('ls /app/nope'),
      reply('The runbook is complete.'),
    ]);
    const t = await (await start(runner)).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.agent).toBe('gemini-cli');
    expect(t.model).toBe('gemini-3.1-pro-preview');
    expect(t.steps.agent.outputs).toMatchObject({ status: 'finished', summary: 'The runbook is complete.', turns: 1 });
    expect(t.artifacts.map((a) => a.path).sort()).toEqual(['assets.txt', 'summary.md', 'validation_report.json']);
    expect(t.evaluation).toMatchObject({ overall_passed: true, pass: 1 });
    expect(t.usage?.total_tokens).toBeGreaterThan(0);

    const events = h.store.listEvents(t.id, { limit: 10_000 }).filter((e) => e.step === 'agent' && e.type !== 'status' && e.type !== 'progress');
    expect(messageOf(events[0])).toBe('gemini-cli session started (model gemini-3.1-pro-preview)');
    const work = events.filter((e) => ['tool_call', 'tool_result', 'message', 'usage'].includes(e.type));
    expect(work.map((e) => `${e.type}:${toolNameOf(e)}`)).toEqual([
      'tool_call:run_shell_command',
      'tool_result:run_shell_command',
      'tool_call:write_file',
      'tool_result:write_file',
      'tool_call:write_file',
      'tool_result:write_file',
      'tool_call:run_shell_command',
      'tool_result:run_shell_command',
      'message:',
      'usage:',
    ]);
    expect(payloadsOf(work, 'tool_call')[0].arguments).toEqual({ command: 'mkdir -p /app/results && echo "token is $DEMO_TOKEN" && ls /app && ls -a /app/assets > /app/results/assets.txt' });
    // Each file write_file wrote, right after its result (the stream does not say whether the file was new).
    const writeIds = payloadsOf(work, 'tool_call').filter((c) => c.name === 'write_file').map((c) => c.id);
    expect(events.flatMap((e, i) => (e.type === 'file_change' ? [[events[i - 1].type, e.payload]] : []))).toEqual([
      ['tool_result', { path: '/app/results/summary.md', kind: 'write', tool_call_id: writeIds[0] }],
      ['tool_result', { path: '/app/results/validation_report.json', kind: 'write', tool_call_id: writeIds[1] }],
    ]);
    expect(work[1].payload).toMatchObject({ ok: true, output: expect.stringContaining('token is [REDACTED:DEMO_TOKEN]\nRUNBOOK.md\nassets\nresults') });
    // The CLI reports a command's output, not its exit code, in its stream.
    expect(payloadsOf(work, 'tool_result')[3].output).toBe("ls: cannot access '/app/nope': No such file or directory");
    expect(work.at(-1)!.payload).toMatchObject({ model: 'gemini-3.1-pro-preview', usage: { total_tokens: t.usage!.total_tokens } });
    expect(await readFile(path.join(h.dir, 'artifacts', t.id, 'summary.md'), 'utf8')).toMatch(/^# Summary\n\n[^]*token is .+\nRUNBOOK.md\nassets\nresults/);

    // What the CLI sent: streamed Gemini calls with the key, the runbook in its context.
    const calls = server.requests.filter((r) => r.path.startsWith('/v1beta/models/'));
    expect(calls).toHaveLength(5);
    expect(calls[0].path).toBe('/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent');
    expect(calls[0].headers['x-goog-api-key']).toBe(API_KEY);
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
    expect(t.error).toContain(`agent 'gemini-cli' needs the gemini CLI, which is not installed in the sandbox image ${TEST_BASE_IMAGE}`);
    expect(server.requests).toHaveLength(0);
  }, 120_000);

  it('stops the CLI at the run timeout: failed as timed out, container gone', async () => {
    const { runner, server } = await runnerFor([{ type: 'hang' }]);
    const run = await start(runner, { timeoutMs: 8000 });
    const t = await run.done;
    expect(server.requests.length).toBeGreaterThan(0);
    expect(t.status).toBe('failed');
    expect(t.error).toBe('timed out after 8 s');
    await runner.containersRemoved();
    expect((await h.docker.listContainers({ all: true, filters: { label: [`jetty.run_id=${t.id}`] } })).length).toBe(0);
  }, 120_000);

  it("fails a run whose model request is refused, with the provider's message", async () => {
    const { runner } = await runnerFor([fail(400, { message: 'this project cannot use the model gemini-3.1-pro-preview' })]);
    const t = await (await start(runner)).done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^gemini-cli: .*this project cannot use the model gemini-3.1-pro-preview/);
    expect(t.steps.agent.outputs).toMatchObject({ status: 'error' });
  }, 120_000);

  it("fails a run whose key the provider refuses, with the CLI's message", async () => {
    const { runner } = await runnerFor([reply('never reached')], 'AIza-wrong');
    const t = await (await start(runner)).done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^gemini-cli: .*API key not valid/);
  }, 120_000);
});
