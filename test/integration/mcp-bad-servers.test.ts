// MCP servers that go wrong, in real Docker (the test base image, Python servers), run by the
// built-in agent through the whole orchestrator: a required server that crashes at start,
// hangs at initialize, floods its stdout or writes what is not JSON-RPC fails the run at once,
// naming the server with why and the end of its stderr, before the model is asked anything;
// an optional one is reported and left out, and the run goes on; a server that dies during a
// call fails that call (the agent goes on); a required server's secret without a value stops
// the run before any sandbox.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunGateway } from '../../electron/engine/gateway/run-gateway';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { createTestSandboxService, removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { messageOf, payloadsOf } from '../helpers/events';
import { BAD_PYTHON_SERVERS, PYTHON_MCP_SERVER } from '../helpers/python-mcp-servers';
import { callTools, reply, startScriptedModelServer, type Script, type ScriptedModelServer } from '../helpers/scripted-model-server';

let docker: Docker;
let dir: string;
let store: Store;
let sandboxes: SandboxService;
const gateway = createRunGateway();
const models: ScriptedModelServer[] = [];

beforeAll(async () => {
  docker = await requireDocker();
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-bad-'));
  store = openStore(path.join(dir, 'jetty.db'));
  sandboxes = createTestSandboxService(docker);
});
afterAll(async () => {
  await Promise.all(models.map((m) => m.close()));
  await gateway.close();
  await sandboxes?.close();
  if (docker) await removeTestContainers(docker);
  store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A runbook in its own folder with `files` beside it, declaring `servers` (YAML under mcp_servers). */
async function runbookWith(name: string, servers: string, files: Record<string, string>, extra = ''): Promise<string> {
  const folder = path.join(dir, 'runbooks/bad', name);
  await mkdir(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(folder, file), text);
  const runbook = path.join(folder, 'RUNBOOK.md');
  await writeFile(runbook, `---\nversion: "1.0.0"\nevaluation: programmatic\nagent: builtin\nmodel: scripted-model\n${extra}mcp_servers:\n${servers}---\n\n# ${name}\n\nUse the servers.\n`);
  return runbook;
}

const stdio = (name: string, file: string, more = '') => `  ${name}:\n    command: python3\n    args: [${file}]\n    startup_timeout_seconds: 3\n${more}`;

async function runnerWith(script: Script): Promise<{ runner: Runner; model: ScriptedModelServer }> {
  const model = await startScriptedModelServer(script);
  models.push(model);
  return { model, runner: createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' }, gateway }) };
}

describe('MCP servers that go wrong', () => {
  it.each([
    ['crash', "MCP server 'crash' did not start: it exited with code 3; its stderr ends:\nboom: no config file at /etc/crash.toml"],
    ['hang', "MCP server 'hang' did not start: it did not answer initialize and tools/list within 3 s"],
    ['flood', /^MCP server 'flood' did not start: it wrote a line of more than 16384 KiB on its stdout \(one JSON-RPC message per line is the limit\); its stderr ends:\ne+\nflood: the end of my stderr$/],
    ['banner', `MCP server 'banner' did not start: it wrote something that is not JSON-RPC on its stdout: "Welcome to the server v1.0" (stdout carries only MCP messages; log to stderr)`],
    ['notrpc', 'MCP server \'notrpc\' did not start: it wrote a JSON value that is not a JSON-RPC message on its stdout: "{\\"hello\\": \\"world\\"}"'],
  ] as const)('a required server that does not start (%s) fails the run at once, saying why, before the model is asked', async (name, error) => {
    const runbook = await runbookWith(name, stdio(name, 'server.py'), { 'server.py': BAD_PYTHON_SERVERS[name] });
    const { runner, model } = await runnerWith([reply('never asked')]);
    const started = Date.now();
    const t = await (await runner.start({ runbookPath: runbook, image: TEST_BASE_IMAGE })).done;
    expect(t.status).toBe('failed');
    if (typeof error === 'string') expect(t.error).toBe(error);
    else expect(t.error).toMatch(error);
    expect(t.steps.mcp).toMatchObject({ status: 'failed', outputs: { error: t.error } });
    expect(model.requests).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    await runner.containersRemoved();
    expect(await docker.listContainers({ all: true, filters: { label: [`jetty.run_id=${t.id}`] } })).toEqual([]);
  }, 60_000);

  it('leaves an optional server that does not start out, with a warning; a server dying during a call fails that call and the run goes on', async () => {
    const runbook = await runbookWith('optional', stdio('good', 'good.py') + stdio('crash', 'crash.py', '    optional: true\n'), { 'good.py': PYTHON_MCP_SERVER, 'crash.py': BAD_PYTHON_SERVERS.crash });
    const { runner, model } = await runnerWith([
      callTools({ name: 'mcp__good__read', arguments: { path: 'RUNBOOK.md' } }),
      callTools({ name: 'mcp__good__crash', arguments: {} }),
      callTools({ name: 'mcp__good__echo', arguments: { text: 'still there?' } }),
      reply('Done without the crashed server.'),
    ]);
    const t = await (await runner.start({ runbookPath: runbook, image: TEST_BASE_IMAGE })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    const events = store.listEvents(t.id, { limit: 10_000 });
    expect(events.filter((e) => e.step === 'mcp' && e.level === 'warning').map(messageOf)).toEqual([
      "MCP server 'crash' did not start: it exited with code 3; its stderr ends:\nboom: no config file at /etc/crash.toml (it is optional: the run goes on without it)",
    ]);
    const offered = model.requests[0].body!.tools!.map((tool) => tool.type === 'function' && tool.function.name);
    expect(offered.filter((n) => String(n).startsWith('mcp__'))).toEqual(['mcp__good__echo', 'mcp__good__read', 'mcp__good__crash']);
    const results = payloadsOf(events, 'tool_result');
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['mcp__good__read', true],
      ['mcp__good__crash', false],
      ['mcp__good__echo', false],
    ]);
    // Read from the run's working directory, where the runbook's folder is.
    expect(results[0].output).toContain('# optional');
    expect(results[1].output).toBe("crash (MCP server 'good') failed: MCP server 'good' ended: it exited with code 1");
    expect(results[2].output).toMatch(/^echo \(MCP server 'good'\) failed: MCP server 'good' ended: it exited with code 1/);
  }, 60_000);

  it("stops a run whose required server's secret has no value before any sandbox, and leaves an optional one out", async () => {
    const secrets = 'secrets:\n  K: { env: K, required: false }\n';
    const withEnv = (name: string, optional: boolean) => `${stdio(name, 'good.py')}    env: { K: "{{secrets.K}}" }\n${optional ? '    optional: true\n' : ''}`;
    const required = await runbookWith('needs-secret', withEnv('keyed', false), { 'good.py': PYTHON_MCP_SERVER }, secrets);
    const { runner } = await runnerWith([reply('done')]);
    await expect(runner.start({ runbookPath: required, image: TEST_BASE_IMAGE })).rejects.toThrow(
      "the run cannot start:\n  - MCP server 'keyed': it needs the secret 'K', which has no value (pass it with the run, or set it in the collection's environment or Settings → Secrets)",
    );
    const optional = await runbookWith('optional-secret', withEnv('keyed', true), { 'good.py': PYTHON_MCP_SERVER }, secrets);
    const t = await (await runner.start({ runbookPath: optional, image: TEST_BASE_IMAGE })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(store.listEvents(t.id, { limit: 1000 }).filter((e) => e.level === 'warning').map(messageOf)).toContain("MCP server 'keyed' is left out: it needs the secret 'K', which has no value (it is optional)");
    expect(t.steps.mcp).toBeUndefined();
  }, 60_000);
});
