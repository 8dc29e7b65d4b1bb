// `jetty mcp` over stdio, driven by the official SDK's client (Client + StdioClientTransport
// spawning the built CLI): the handshake, the catalog, every public tool on local data, the
// local tools (lint, a real Docker run with the built-in agent against the scripted model
// server, progress notifications, events paged, cancellation), bad input, and a raw session
// that checks standard output carries only JSON-RPC lines.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../electron/engine/base/version';
import { CLI, REPO, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker, runContainers } from '../helpers/docker';
import { EXPECTED_TOOLS, call, callFails, connectStdio, expectCatalog, exercisePublicTools, pollUntil, textOf, type StdioMcp } from '../helpers/mcp';
import { callTools, lastToolResult, startScriptedModelServer, type ChatRequest, type ScriptStep, type ScriptedModelServer } from '../helpers/scripted-model-server';

const SECRET = 'sk-live-mcp-5e4d3c2b1a-very-secret';
const SECRET_REPORT = path.join(REPO, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';
/** A topic that makes the scripted model hang (the cancellation test). */
const HANG_TOPIC = 'hang-please';

/** Called when the model gets the cancellation test's request (and hangs on it). */
let onHang: () => void = () => undefined;

/** Echoes the secret once, writes the report, finishes; hangs for the cancellation test's runs. */
function script(request: ChatRequest): ScriptStep {
  if (JSON.stringify(request.messages).includes(HANG_TOPIC)) {
    onHang();
    return { type: 'hang' };
  }
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command: 'echo "token is $DEMO_TOKEN"' } });
  if (turns === 1) {
    return callTools(
      { name: 'write_file', arguments: { path: '/app/results/summary.md', content: `# Output\n\n${lastToolResult(request) ?? ''}\n` } },
      { name: 'write_file', arguments: { path: '/app/results/assets.txt', content: '' } },
      { name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: REPORT } },
    );
  }
  return callTools({ name: 'finish', arguments: { summary: 'done' } });
}

describe('jetty mcp (stdio)', () => {
  let dir: string;
  let folder: string;
  let model: ScriptedModelServer;
  let mcp: StdioMcp;
  let docker: Docker;

  beforeAll(async () => {
    requireBuiltCli();
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-stdio-'));
    folder = path.join(dir, 'workspace');
    await mkdir(path.join(folder, 'demo/secret-report'), { recursive: true });
    await copyFile(SECRET_REPORT, path.join(folder, 'demo/secret-report/RUNBOOK.md'));
    model = await startScriptedModelServer(script);
    mcp = await connectStdio(folder, path.join(dir, 'data'), {
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'scripted-key',
      JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE,
      JETTY_MODEL: 'scripted-model',
      DEMO_TOKEN: SECRET,
    });
  });

  afterAll(async () => {
    await mcp?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('initializes as the jetty server and lists the catalog with its annotations', async () => {
    expect(mcp.client.getServerVersion()).toMatchObject({ name: 'jetty', version: VERSION });
    expect(mcp.client.getServerCapabilities()?.tools).toBeDefined();
    expect(mcp.client.getInstructions()).toMatch(/routines\) work here on local data/);
    await expectCatalog(mcp.client);
  });

  it('answers every public tool from local data (a folder collection)', async () => {
    await exercisePublicTools(mcp.client, 'demo');
  });

  it('lints a runbook by path (relative to the open folder) and by text', async () => {
    const byPath = await call(mcp.client, 'lint-runbook', { path: 'demo/secret-report/RUNBOOK.md' });
    expect(byPath).toMatchObject({ path: path.join(folder, 'demo/secret-report/RUNBOOK.md'), errors: 0, secrets: [{ name: 'DEMO_TOKEN', required: true }] });
    expect(byPath.parameters.map((p: { name: string }) => p.name)).toEqual(['results_dir', 'topic']);
    const byText = await call(mcp.client, 'lint-runbook', { text: '---\ntitle: [unclosed\n---\n\n# Title\n' });
    expect(byText).toMatchObject({ path: 'RUNBOOK.md', errors: 1 });
    expect(byText.diagnostics[0]).toMatchObject({ severity: 'error', code: 'RB001', range: { line: expect.any(Number) } });
    expect(await callFails(mcp.client, 'lint-runbook', {})).toMatch(/give `path`.*or `text`/);
    // Outside the open folders nothing is read, whether it exists or not.
    expect(await callFails(mcp.client, 'lint-runbook', { path: '/etc/passwd' })).toMatch(/outside the open folders/);
  });

  it('runs a runbook in Docker: progress while it runs, the secret from its environment (redacted), the result, its events paged', async () => {
    const progress: Progress[] = [];
    const result = (await mcp.client.callTool(
      { name: 'run-runbook', arguments: { path: 'demo/secret-report/RUNBOOK.md', params: { topic: 'billing' }, secrets: ['DEMO_TOKEN'], agent: 'builtin', model: 'scripted-model' } },
      undefined,
      { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 120_000 },
    )) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    const run = JSON.parse(textOf(result));
    expect(result.structuredContent).toEqual(run);
    expect(run).toMatchObject({
      trajectory_id: expect.stringMatching(/^[0-9a-f]{8}$/),
      collection: 'demo',
      task: 'secret-report',
      status: 'completed',
      error: null,
      agent: 'builtin',
      model: 'scripted-model',
      evaluation: { overall_passed: true, pass: 1, partial: 0, fail: 0 },
    });
    expect(run.artifacts.map((a: { path: string }) => a.path).sort()).toEqual(['assets.txt', 'summary.md', 'validation_report.json']);

    // One notification per event, in order, each a line of the run's log.
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    const messages = progress.map((p) => p.message ?? '').join('\n');
    expect(messages).toContain('token is [REDACTED:DEMO_TOKEN]');
    expect(messages).not.toContain(SECRET);

    // The run's events, two at a time until has_more is false, are all of them, in order.
    const events: { seq: number; type: string }[] = [];
    let after = 0;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await call(mcp.client, 'get-run-events', { trajectory_id: run.trajectory_id, after_seq: after, limit: 50 });
      events.push(...page.events);
      after = page.next_after_seq;
      if (!page.has_more) {
        expect(events).toHaveLength(page.total);
        break;
      }
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ type: 'status', payload: { status: 'completed' } });
    expect(JSON.stringify(events)).not.toContain(SECRET);
    // The public tools see the same run.
    expect(await call(mcp.client, 'get-trajectory', { collection: 'demo', task: 'secret-report', trajectory_id: run.trajectory_id })).toMatchObject({ status: 'completed' });
  });

  it('refuses runs it cannot start as tool errors: a secret its environment lacks, a path outside the open folders', async () => {
    expect(await callFails(mcp.client, 'run-runbook', { path: 'demo/secret-report/RUNBOOK.md', params: { topic: 'x' }, secrets: ['NOT_IN_ENV_X'] })).toMatch(
      /secret NOT_IN_ENV_X: set the environment variable NOT_IN_ENV_X/,
    );
    expect(await callFails(mcp.client, 'run-runbook', { path: SECRET_REPORT, params: { topic: 'x' } })).toMatch(/outside the open folders/);
    // A required parameter left out: the run is not started, the reason says which.
    expect(await callFails(mcp.client, 'run-runbook', { path: 'demo/secret-report/RUNBOOK.md', secrets: ['DEMO_TOKEN'] })).toMatch(/topic/);
  });

  it('cancels the run when the client cancels the call: the trajectory ends cancelled, its container is removed', async () => {
    const abort = new AbortController();
    const hanging = new Promise<void>((resolve) => (onHang = resolve));
    const calling = mcp.client.callTool(
      { name: 'run-runbook', arguments: { path: 'demo/secret-report/RUNBOOK.md', params: { topic: HANG_TOPIC }, secrets: ['DEMO_TOKEN'], agent: 'builtin' } },
      undefined,
      { signal: abort.signal, timeout: 120_000 },
    );
    const refused = expect(calling).rejects.toThrow(/abort/i);
    await hanging;
    // The run waits on the model now; its id is the newest trajectory of the task.
    const page = await call(mcp.client, 'list-trajectories', { collection: 'demo', task: 'secret-report', limit: 1 });
    const trajectoryId: string = page.trajectories[0].trajectory_id;
    expect(page.trajectories[0].status).toBe('running');
    abort.abort();
    await refused;
    const ended = await pollUntil(
      () => call(mcp.client, 'get-trajectory', { collection: 'demo', task: 'secret-report', trajectory_id: trajectoryId }),
      (t) => t.status !== 'running',
      'the cancelled run to end',
    );
    expect(ended.status).toBe('cancelled');
    const containers = await pollUntil(
      () => runContainers(docker, trajectoryId),
      (list) => list.length === 0,
      "the cancelled run's container to be removed",
    );
    expect(containers).toEqual([]);
  });

  it('answers bad input with clear errors and keeps serving: unknown tool, wrong types, arguments past the limits', async () => {
    expect(await callFails(mcp.client, 'no-such-tool', {})).toMatch(/Tool no-such-tool not found/);
    expect(await callFails(mcp.client, 'get-run-events', { trajectory_id: 12345678 })).toMatch(/Input validation error.*trajectory_id/);
    expect(await callFails(mcp.client, 'list-trajectories', { collection: 'demo', task: 'x', limit: 'ten' })).toMatch(/Input validation error.*limit/);
    expect(await callFails(mcp.client, 'get-run-events', { trajectory_id: 'not-an-id' })).toMatch(/8 hex characters/);
    expect(await callFails(mcp.client, 'get-run-events', { trajectory_id: 'abcdef01' })).toMatch(/no trajectory abcdef01/);
    // 17 MiB of runbook text: past the lint's 16 MiB, refused by the schema.
    expect(await callFails(mcp.client, 'lint-runbook', { text: 'x'.repeat(17 * 1024 * 1024) })).toMatch(/Input validation error.*text/);
    // A 21 MB description reaches the REST API, whose 20 MiB body limit refuses it.
    expect(await callFails(mcp.client, 'create-task', { collection: 'demo', name: 'big', description: 'd'.repeat(21_000_000), workflow: {} })).toMatch(/413.*larger than/);
    // Too many elements: refused before validation.
    expect(await callFails(mcp.client, 'check-secrets', { collection: 'demo', required_keys: Array.from({ length: 100_001 }, (_, i) => `K${i}`) })).toMatch(/more than the maximum/);
    expect(await call(mcp.client, 'list-collections')).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'demo' })]));
  });
});

describe('jetty mcp with a data folder it cannot open', () => {
  it('still lists its tools; each call fails saying the engine could not start and why', async () => {
    requireBuiltCli();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-broken-'));
    // The store's file is a folder: the engine cannot open it.
    await mkdir(path.join(dir, 'data', 'jetty.db'), { recursive: true });
    const broken = await connectStdio(dir, path.join(dir, 'data'));
    try {
      expect((await broken.client.listTools()).tools).toHaveLength(Object.keys(EXPECTED_TOOLS).length);
      const message = await callFails(broken.client, 'list-collections', {});
      expect(message).toMatch(/^the local engine could not start: Cannot open or create the Jetty database .*choose another data directory/);
      expect(await callFails(broken.client, 'get-run-events', { trajectory_id: 'abcdef01' })).toBe(message);
    } finally {
      await broken.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(broken.stderr()).toContain('jetty mcp: the local engine could not start');
  });
});

/** A raw session: JSON-RPC lines written to `jetty mcp`'s stdin, every stdout line read back. */
describe('jetty mcp (raw stdio)', () => {
  it('writes only JSON-RPC to stdout, answers an oversized message with an error instead of ending, and exits when stdin closes', async () => {
    requireBuiltCli();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-raw-'));
    const child = spawn(process.execPath, [CLI, 'mcp', dir, '--data-dir', path.join(dir, 'data')], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const lines: string[] = [];
      const waiting = new Map<number, (message: Record<string, unknown>) => void>();
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          lines.push(line);
          const message = JSON.parse(line) as Record<string, unknown>;
          waiting.get(message.id as number)?.(message);
        }
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdin.on('error', () => undefined); // a process that ended: its exit fails the request below
      const send = (line: string) => child.stdin.write(`${line}\n`);
      /** The answer to request `id`; fails at once if the process ends first, or after 30 s. */
      const request = (id: number, method: string, params: unknown = {}, raw?: string) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer to request ${id} within 30 s`)), 30_000);
          waiting.set(id, (message) => {
            clearTimeout(timer);
            resolve(message);
          });
          void exited.then((code) => reject(new Error(`jetty mcp exited (${code}) before answering request ${id}`)));
          send(raw ?? JSON.stringify({ method, params, jsonrpc: '2.0', id }));
        });

      const init = await request(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
      expect(init).toMatchObject({ result: { protocolVersion: '2025-11-25', serverInfo: { name: 'jetty' }, capabilities: { tools: {} } } });
      send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      expect(((await request(2, 'tools/list')).result as { tools: unknown[] }).tools).toHaveLength(Object.keys(EXPECTED_TOOLS).length);
      // Not JSON: dropped (no id to answer); the session goes on.
      send('{this is not json');
      // 42 MB of arguments in one line: past the 40 MiB bound, answered with an error under its id.
      const huge = JSON.stringify({ method: 'tools/call', params: { name: 'lint-runbook', arguments: { text: 'y'.repeat(42_000_000) } }, jsonrpc: '2.0', id: 3 });
      const refused = await request(3, 'tools/call', {}, huge);
      expect(refused).toMatchObject({ id: 3, error: { code: -32600, message: expect.stringMatching(/larger than 41943040 bytes/) } });
      expect((await request(4, 'ping')).result).toEqual({});
      const answered = await request(5, 'tools/call', { name: 'list-step-templates', arguments: {} });
      expect((answered.result as CallToolResult).isError).toBeFalsy();

      child.stdin.end();
      const stillRunning = new Promise<string>((resolve) => setTimeout(() => resolve('still running 20 s after its stdin closed'), 20_000).unref());
      expect(await Promise.race([exited, stillRunning])).toBe(0);
      // Every line the process wrote to stdout was a JSON-RPC message.
      expect(lines.length).toBeGreaterThanOrEqual(5);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
