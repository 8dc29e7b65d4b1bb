// The built-in agent against the scripted model server (real HTTP) over a temp-dir tool host.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { payloadsOf } from '../helpers/events';
import { createDirToolHost, type DirToolHost } from '../helpers/dir-tool-host';
import { HELLO_REPORT_SUMMARY, NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import {
  callTools,
  fail,
  lastToolResult,
  reply,
  startScriptedModelServer,
  type Script,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from '../helpers/scripted-model-server';
import type { AgentEvent, AgentResult } from '../../electron/engine/agents/types';
import { createBuiltinAgent, type BuiltinAgentOptions } from '../../electron/engine/agents/builtin';

let server: ScriptedModelServer | undefined;
let host: DirToolHost | undefined;
afterEach(async () => {
  await server?.close();
  await host?.dispose();
  server = host = undefined;
});

const FAST: BuiltinAgentOptions = { retry: { baseDelayMs: 10, maxDelayMs: 3000 }, idleTimeoutMs: 3000 };

interface RunSetup {
  agent?: BuiltinAgentOptions;
  server?: ScriptedModelServerOptions;
  maxTurns?: number;
  apiKey?: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
}

async function run(script: Script, setup: RunSetup = {}) {
  server = await startScriptedModelServer(script, setup.server);
  host = await createDirToolHost();
  const events: AgentEvent[] = [];
  const result: AgentResult = await createBuiltinAgent({ ...FAST, ...setup.agent }).run({
    runbook: '# Hello runbook\n\nWrite summary.md and validation_report.json to {{results_dir}}.',
    task: 'Execute the runbook with parameters: results_dir=/app/results',
    host,
    model: 'scripted-model',
    baseURL: server.url,
    apiKey: setup.apiKey ?? 'sk-test',
    maxTurns: setup.maxTurns,
    env: setup.env,
    signal: setup.signal ?? new AbortController().signal,
    emit: (e) => events.push(e),
  });
  const ofType = <T extends AgentEvent['type']>(type: T) => payloadsOf(events, type);
  return { result, events, ofType, server, host };
}

const toolMessages = (messages: ChatCompletionMessageParam[]) => messages.filter((m) => m.role === 'tool').map((m) => String(m.content));

describe('built-in agent', () => {
  it.each([true, false])('runs a whole runbook to finish (stream: %s)', async (stream) => {
    const { result, ofType, server, host } = await run(NAMED_SCRIPTS['hello-report'], { agent: { stream } });
    expect(result).toMatchObject({ status: 'finished', summary: HELLO_REPORT_SUMMARY, turns: 3 });
    expect(await readFile(host.resolve('/app/results/summary.md'), 'utf8')).toContain('Hello from the scripted model');
    expect(JSON.parse(await readFile(host.resolve('/app/results/validation_report.json'), 'utf8')).overall_passed).toBe(true);

    expect(ofType('command_output')).toEqual([{ tool_call_id: expect.stringMatching(/^call_/), stream: 'stdout', text: 'ready\n' }]);
    expect(ofType('tool_call').map((p) => p.name)).toEqual(['bash', 'write_file', 'write_file', 'write_file', 'finish']);
    expect(ofType('tool_result').every((p) => p.ok === true)).toBe(true);
    expect(ofType('message')).toEqual([{ role: 'assistant', text: 'Setting up the results folder.' }]);
    const calls = ofType('usage');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ model: 'scripted-model', attempt: 1, latency_ms: expect.any(Number) });
    const sum = (k: 'prompt_tokens' | 'total_tokens') => calls.reduce((n, c) => n + (c.usage?.[k] ?? 0), 0);
    expect(result.usage.total_tokens).toBe(sum('total_tokens'));
    expect(result.usage.prompt_tokens).toBe(sum('prompt_tokens'));
    expect(result.usage.total_tokens).toBeGreaterThan(0);

    const first = server.requests[0].body!;
    expect(first.stream ?? false).toBe(stream);
    expect(first.stream_options).toEqual(stream ? { include_usage: true } : undefined);
    expect(first.tools?.map((t) => t.type === 'function' && t.function.name)).toEqual(['bash', 'read_file', 'write_file', 'list_files', 'finish']);
    const system = String(first.messages[0].content);
    expect(system).toContain('# Hello runbook');
    expect(system).toContain('/app/results');
    expect(system).toContain('/app/assets');
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('assembles tool-call deltas exactly, for several calls in one streamed turn', async () => {
    const tricky = 'line "one"\n\ttab \\ backslash — ünïcödé ✓ {"nested": [1, 2]}\n'.repeat(20);
    const { result, ofType, host } = await run([
      callTools({ name: 'write_file', arguments: { path: '/app/results/a.txt', content: tricky } }, { name: 'write_file', arguments: { path: '/app/results/b.txt', content: 'b' } }),
      callTools({ name: 'finish', arguments: { summary: 'wrote a and b' } }),
    ]);
    expect(result.status).toBe('finished');
    expect(await readFile(host.resolve('/app/results/a.txt'), 'utf8')).toBe(tricky);
    expect(await readFile(host.resolve('/app/results/b.txt'), 'utf8')).toBe('b');
    expect(ofType('tool_call')[0].arguments).toEqual({ path: '/app/results/a.txt', content: tricky });
  });

  it('retries after a 429, waiting as long as retry-after says', async () => {
    const { result, events, ofType, server } = await run([fail(429, { retryAfterSeconds: 1 }), reply('done')]);
    expect(result).toMatchObject({ status: 'finished', summary: 'done', turns: 1 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(990);
    expect(events.filter((e) => e.level === 'warning').map((e) => e.type)).toEqual(['retry']);
    expect(ofType('retry')).toEqual([{ what: 'model request', attempt: 1, max_attempts: 5, delay_ms: 1000, error: expect.stringMatching(/429 Rate limit reached/) }]);
    expect(ofType('usage')[0].attempt).toBe(2);
  });

  it('gives up after the bounded number of tries on 500s, with a clear error', async () => {
    const { result, events, server } = await run([fail(500), fail(500), fail(500), reply('never')], { agent: { retry: { maxAttempts: 3, baseDelayMs: 10 } } });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/^model request failed after 3 attempts: 500 The server had an error/);
    expect(server.requests).toHaveLength(3);
    expect(events.filter((e) => e.level === 'warning').map((e) => e.type)).toEqual(['retry', 'retry']);
  });

  it('does not retry a request the server rejects (401)', async () => {
    const { result, server } = await run([reply('never')], { apiKey: 'sk-wrong', server: { apiKey: 'sk-right' } });
    expect(result).toMatchObject({ status: 'error', turns: 0, error: expect.stringMatching(/^model request failed: 401 Incorrect API key/) });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset mid-stream and a hung request, keeping no partial message', async () => {
    const { result, ofType, server } = await run([{ type: 'reset', partialContent: 'Half a thought' }, { type: 'hang' }, reply('Whole answer.')], {
      agent: { idleTimeoutMs: 300 },
    });
    expect(result).toMatchObject({ status: 'finished', summary: 'Whole answer.' });
    expect(server.requests).toHaveLength(3);
    expect(ofType('message')).toEqual([{ role: 'assistant', text: 'Whole answer.' }]);
    expect(ofType('retry').map((p) => `try ${p.attempt} of ${p.max_attempts}: ${p.error}`)).toEqual([expect.stringMatching(/try 1 of 5/), expect.stringMatching(/try 2 of 5.*no response from the model/)]);
  });

  it('stops at max turns', async () => {
    const { result, server } = await run(() => callTools({ name: 'bash', arguments: { command: 'echo again' } }), { maxTurns: 3 });
    expect(result).toMatchObject({ status: 'max_turns', turns: 3, summary: null });
    expect(server.requests).toHaveLength(3);
  });

  it('is cancelled within a second while a model request is in flight', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const hang: Script = (_request, turn) => {
      if (turn === 1)
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort();
        }, 100);
      return turn === 0 ? callTools({ name: 'bash', arguments: { command: 'true' } }) : { type: 'hang' };
    };
    const { result } = await run(hang, { signal: controller.signal, agent: { idleTimeoutMs: 60_000 } });
    expect(result).toMatchObject({ status: 'cancelled', turns: 1 });
    // Not held until the request's idle timeout (60 s): measured from the abort, not from the run's start.
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('is cancelled while a command runs', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 300);
    const { result, ofType } = await run([callTools({ name: 'bash', arguments: { command: 'echo started; sleep 30' } })], { signal: controller.signal });
    expect(result.status).toBe('cancelled');
    // Not held until the command ends (30 s).
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(ofType('command_output')[0]).toMatchObject({ text: 'started\n' });
  });

  it('reports bad tool calls back to the model instead of crashing', async () => {
    const { result, ofType, server } = await run([
      callTools(
        { name: 'bash', arguments: '{"command": "ls' },
        { name: 'rm_everything', arguments: {} },
        { name: 'read_file', arguments: { path: 42 } },
        { name: 'read_file', arguments: { path: '/app/missing.txt' } },
      ),
      (request) => callTools({ name: 'finish', arguments: { summary: `saw ${toolMessages(request.messages).length} errors` } }),
    ]);
    expect(result).toMatchObject({ status: 'finished', summary: 'saw 4 errors' });
    const told = toolMessages(server.requests[1].body!.messages);
    expect(told[0]).toMatch(/arguments for bash are not valid JSON/);
    expect(told[1]).toMatch(/Unknown tool 'rm_everything'. Available tools: bash, read_file, write_file, list_files, finish/);
    expect(told[2]).toMatch(/Invalid arguments for read_file:[\s\S]*path/);
    expect(told[3]).toMatch(/read_file failed: .*ENOENT/);
    expect(ofType('tool_result').map((p) => p.ok)).toEqual([false, false, false, false, true]);
    expect(ofType('tool_call')[0].arguments).toBe('{"command": "ls');
  });

  it('truncates long command output for the model and for events', async () => {
    const { ofType, server } = await run(
      [callTools({ name: 'bash', arguments: { command: 'head -c 50000 /dev/zero | tr "\\0" x; echo; echo END' } }), reply('ok')],
      { agent: { toolOutputLimitChars: 2000 } },
    );
    const told = toolMessages(server.requests[1].body!.messages)[0];
    expect(told.length).toBeLessThan(2300);
    expect(told).toMatch(/output truncated: \d+ of \d+ characters omitted/);
    expect(told).toMatch(/END\n\[exit code 0\]$/);
    expect(String(ofType('tool_result')[0].output).length).toBeLessThanOrEqual(2300);
  });

  it('passes the run environment to commands and lists files', async () => {
    const { ofType } = await run(
      [
        callTools({ name: 'bash', arguments: { command: 'echo "label=$RUN_LABEL" > /app/results/env.txt' } }),
        callTools({ name: 'list_files', arguments: { path: '/app/results' } }, { name: 'read_file', arguments: { path: '/app/results/env.txt' } }),
        reply('ok'),
      ],
      { env: { RUN_LABEL: 'nightly' } },
    );
    const outputs = ofType('tool_result').map((p) => p.output);
    expect(outputs[1]).toBe('/app/results/env.txt  (14 bytes)');
    expect(outputs[2]).toBe('label=nightly\n');
  });

  it('records each file it writes as a file_change with its diff: a new file, then an update of it', async () => {
    const file = '/app/results/notes.md';
    const { ofType, events } = await run([
      callTools({ name: 'write_file', arguments: { path: file, content: 'alpha\nbeta\n' } }),
      callTools({ name: 'write_file', arguments: { path: file, content: 'alpha\ngamma\n' } }),
      reply('done'),
    ]);
    const calls = ofType('tool_call').map((c) => c.id);
    expect(ofType('file_change')).toEqual([
      { path: file, kind: 'add', diff: expect.stringContaining('+alpha\n+beta'), tool_call_id: calls[0] },
      { path: file, kind: 'update', diff: expect.stringMatching(/ alpha\n-beta\n\+gamma/), tool_call_id: calls[1] },
    ]);
    // Each comes right after its call's result.
    const order = events.map((e) => e.type).filter((t) => t === 'tool_result' || t === 'file_change');
    expect(order).toEqual(['tool_result', 'file_change', 'tool_result', 'file_change']);
  });

  it('trims a long conversation so that the API still accepts it', async () => {
    const script: Script = (request, turn) =>
      turn < 8 ? callTools({ name: 'bash', arguments: { command: `printf '%0500d' ${turn}` } }) : reply(`last saw ${lastToolResult(request)?.length} chars`);
    const { result, server } = await run(script, { agent: { contextBudgetChars: 4000 } });
    expect(result).toMatchObject({ status: 'finished', turns: 9 });
    const last = server.requests.at(-1)!.body!.messages;
    expect(last[0].role).toBe('system');
    expect(last[1]).toMatchObject({ role: 'user', content: expect.stringContaining('Execute the runbook') });
    expect(last[2]).toMatchObject({ role: 'user', content: expect.stringMatching(/earlier messages were removed/) });
    expect(last.length).toBeLessThan(2 + 2 * 8);
  });

  it('refuses to start without an API key or base URL', async () => {
    host = await createDirToolHost();
    const run = createBuiltinAgent().run({ runbook: 'x', task: 'y', host, model: 'm', signal: new AbortController().signal, emit: () => {} });
    await expect(run).rejects.toThrow(/no model endpoint: set an OpenAI API key .*OPENAI_API_KEY.* or the base URL .*OPENAI_BASE_URL/);
  });
});
