// Runs through the gateway: a real codex (Responses) and a real gemini-cli (Gemini API)
// against a chat-completions-only upstream, and gemini-cli against an Anthropic model;
// every model call lands in the run's
// trajectory as a gateway model_call event with tokens, latency and cost. Security: the
// provider key is nowhere in the container (docker inspect, every process's environment,
// the filesystem) while it runs; the container cannot reach the local Jetty API, and its
// run token opens no other endpoint; the token is refused after its run and never
// records into another run's trajectory. Budget: a run over max_cost_usd fails with why.
import type { TrajectoryEvent } from '../../shared/trajectory';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { GATEWAY_STEP } from '../../electron/engine/gateway/model-call-event';
import { createRunGateway, type RunAccess, type RunGateway } from '../../electron/engine/gateway/run-gateway';
import type { GatewaySettings } from '../../electron/engine/runs/run-gateway-access';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore, type Store } from '../../electron/engine/store';
import { ensureCodexImage } from '../helpers/codex-image';
import { createTestSandboxService, removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { ensureGeminiCliImage } from '../helpers/gemini-image';
import { listenedBeyondLoopback, listeningSockets } from '../helpers/listening-ports';
import { callTools, reply, startScriptedModelServer, type Script, type ScriptedModelServer } from '../helpers/scripted-model-server';

type ModelCallEvent = Extract<TrajectoryEvent, { type: 'model_call' }>;

const SECRET_REPORT = path.resolve(__dirname, '../fixtures/runs/demo/secret-report/RUNBOOK.md');
const API_KEY = 'sk-provider-never-in-the-sandbox-7c3e9a1f';
const API_TOKEN = 'local-api-token-gateway-runs';
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';
const WRITE_REPORT = `mkdir -p /app/results && printf '%s' '${REPORT}' > /app/results/validation_report.json && echo '# Summary' > /app/results/summary.md && ls -a /app/assets > /app/results/assets.txt`;

describe('runs through the gateway', () => {
  let docker: Docker;
  let dir: string;
  let store: Store;
  let sandboxes: SandboxService;
  let engine: Engine;
  let localApi: LocalServer;
  let gateway: RunGateway;
  /** Every run's gateway access, as the runner got it (the test reads the tokens and URLs). */
  const accesses: RunAccess[] = [];
  const servers: ScriptedModelServer[] = [];

  /**
   * A runner whose provider is the scripted server: by default as OPENAI_BASE_URL, where the
   * openai provider speaks chat completions to it (a chat-only upstream).
   */
  async function runnerFor(
    script: Script,
    { envOf = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: API_KEY }), gatewaySettings = {} }: { envOf?: (url: string) => Record<string, string>; gatewaySettings?: GatewaySettings } = {},
  ): Promise<{ runner: Runner; upstream: ScriptedModelServer }> {
    const upstream = await startScriptedModelServer(script, { apiKey: API_KEY });
    servers.push(upstream);
    const spy: RunGateway = {
      ...gateway,
      async open(run) {
        const access = await gateway.open(run);
        accesses.push(access);
        return access;
      },
    };
    return { upstream, runner: createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env: envOf(upstream.url), gateway: spy, gatewaySettings: () => gatewaySettings }) };
  }

  /** The secret-report fixture with its frontmatter's agent line replaced. */
  async function runbook(name: string, frontmatter: string): Promise<string> {
    const file = path.join(dir, `runbooks/demo/${name}/RUNBOOK.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, (await readFile(SECRET_REPORT, 'utf8')).replace('agent: builtin', frontmatter));
    return file;
  }

  const gatewayCalls = (id: string) => store.listEvents(id, { limit: 10_000 }).filter((e): e is ModelCallEvent => e.type === 'model_call' && e.step === GATEWAY_STEP);

  beforeAll(async () => {
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-gateway-runs-'));
    store = openStore(path.join(dir, 'jetty.db'));
    sandboxes = createTestSandboxService(docker);
    gateway = createRunGateway();
    engine = await createEngine({ dataDir: path.join(dir, 'engine'), env: {} });
    localApi = await createLocalServer({ engine, token: API_TOKEN, staticDir: null, routes: engine.routes });
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await localApi?.close();
    await engine?.close();
    await gateway?.close();
    await sandboxes?.close();
    if (docker) await removeTestContainers(docker);
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the real codex CLI against a chat-only upstream; each call is a gateway model_call in the run; the key is nowhere in the container, the Jetty API out of its reach', async () => {
    const image = await ensureCodexImage(docker);
    const file = await runbook('codex-chat-only', 'model: gpt-5.5');
    const findings: Record<string, string> = {};
    const exec = (cmd: string) => callTools({ name: 'exec_command', arguments: { cmd } });
    const { runner, upstream } = await runnerFor([
      // While the CLI waits on this first answer, look for the key everywhere the container holds anything.
      async () => {
        const [info] = await docker.listContainers({ filters: { label: ['jetty.run_id', `jetty.owner_pid=${process.pid}`] } }); // this file's run: another file's may run beside it
        const container = docker.getContainer(info.Id);
        findings.inspect = JSON.stringify(await container.inspect());
        const [a, b] = [API_KEY.slice(0, 12), API_KEY.slice(12)];
        const { port } = new URL(accesses.at(-1)!.containerUrl);
        const script = [
          'for p in /proc/[0-9]*; do tr "\\0" "\\n" < $p/environ 2>/dev/null; done',
          'echo ---files',
          `timeout 120 grep -rlsF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev "${a}""${b}" / ; echo ---api`,
          `curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://host.docker.internal:${localApi.port}/api/health; echo`,
          // The run's token, as codex holds it.
          'T=$(for p in /proc/[0-9]*; do tr "\\0" "\\n" < $p/environ 2>/dev/null; done | sed -n "s/^JETTY_CODEX_API_KEY=//p" | head -n 1)',
          `curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $T" http://host.docker.internal:${port}/v1/models; echo`,
          'echo ---gateway-rest',
          `curl -s --max-time 5 -H "Authorization: Bearer $T" http://host.docker.internal:${port}/api/v1/trajectories`,
        ].join('\n');
        const run = await container.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true, Tty: true });
        const stream = await run.start({ Tty: true });
        findings.exec = await new Promise<string>((resolve) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').replace(/\r\n/g, '\n')));
        });
        return exec(WRITE_REPORT);
      },
      reply('The runbook is complete.'),
    ]);
    const t = await (await runner.start({ runbookPath: file, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: 'demo-secret' }, image })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.agent).toBe('codex');

    // Codex spoke Responses to the gateway; the upstream heard only chat completions, with the real key.
    const posts = upstream.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(upstream.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    const calls = gatewayCalls(t.id);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.payload).toMatchObject({ source: 'gateway', api: 'responses', provider: 'openai', model: 'gpt-5.5', stream: true, http_status: 200, error: null });
      expect(call.payload.usage?.total_tokens).toBeGreaterThan(0);
      expect(call.payload.latency_ms).toBeGreaterThanOrEqual(0);
      expect(call.payload.cost_usd).toBeGreaterThan(0);
    }

    // The container never held the key: not in its config, not in any process's environment, not in a file.
    expect(findings.inspect).not.toContain(API_KEY);
    const [environ, rest] = findings.exec.split('---files');
    const [files, afterApi] = rest.split('---api');
    const [statuses, gatewayRest] = afterApi.split('---gateway-rest');
    const [apiStatus, modelsStatus] = statuses.trim().split('\n');
    expect(environ).toContain('JETTY_CODEX_API_KEY=jetty-run-');
    expect(environ).not.toContain(API_KEY);
    expect(files.trim()).toBe('');
    // The local Jetty API listens on loopback only: from the container it does not answer at all
    // ('000'), unless a server of another test holds the same port number on another address.
    const onApiPort = listeningSockets().filter((socket) => socket.endsWith(`:${localApi.port}`));
    expect(onApiPort).toContain(`tcp:0100007F:${localApi.port}`);
    expect(onApiPort.filter((socket) => /^tcp6?:0+:/.test(socket))).toEqual([]);
    if (!listenedBeyondLoopback(localApi.port)) expect(apiStatus.trim()).toBe('000');
    // Its token works on the gateway's model endpoints…
    expect(modelsStatus.trim()).toBe('200');
    // …and opens nothing else: the gateway's listener has no Jetty API.
    expect(gatewayRest, findings.exec).toContain('"code":"not_found"');

    // The ended run's token: refused by the gateway, and no token of the Jetty API either.
    const access = accesses.at(-1)!;
    const after = await fetch(`${access.hostUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toContain('not a valid run token');
    const onApi = await fetch(`${localApi.origin}/api/v1/trajectories`, { headers: { authorization: `Bearer ${access.token}` } });
    expect(onApi.status).toBe(401);
    expect(upstream.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  }, 300_000);

  it('runs the real gemini-cli against a chat-only upstream through the gateway', async () => {
    const image = await ensureGeminiCliImage(docker);
    const file = await runbook('gemini-chat-only', 'agent: gemini-cli\nmodel: gpt-4o-mini');
    const { runner, upstream } = await runnerFor([callTools({ name: 'run_shell_command', arguments: { command: WRITE_REPORT } }), reply('The runbook is complete.')]);
    const t = await (await runner.start({ runbookPath: file, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: 'demo-secret' }, image })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.agent).toBe('gemini-cli');
    expect(t.evaluation).toMatchObject({ overall_passed: true });
    expect(new Set(upstream.requests.map((r) => r.path))).toEqual(new Set(['/v1/chat/completions']));
    const calls = gatewayCalls(t.id);
    expect(calls.length).toBe(upstream.requests.length);
    expect(calls[0].payload).toMatchObject({ source: 'gateway', api: 'gemini', provider: 'openai', model: 'gpt-4o-mini', http_status: 200 });
  }, 300_000);

  it('runs the real gemini-cli against an Anthropic model: Gemini calls become Messages calls with the Anthropic key', async () => {
    const image = await ensureGeminiCliImage(docker);
    const file = await runbook('gemini-anthropic', 'agent: gemini-cli\nmodel: claude-sonnet-4-5');
    // The scripted server as the Anthropic provider (its Messages API, x-api-key); no Gemini provider is configured.
    const envOf = (url: string) => ({ ANTHROPIC_BASE_URL: new URL(url).origin, ANTHROPIC_API_KEY: API_KEY });
    const { runner, upstream } = await runnerFor([callTools({ name: 'run_shell_command', arguments: { command: WRITE_REPORT } }), reply('The runbook is complete.')], { envOf });
    const t = await (await runner.start({ runbookPath: file, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: 'demo-secret' }, image })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.evaluation).toMatchObject({ overall_passed: true });
    const posts = upstream.requests.filter((r) => r.method === 'POST');
    expect(new Set(posts.map((r) => r.path))).toEqual(new Set(['/v1/messages']));
    expect(posts.every((r) => r.headers['x-api-key'] === API_KEY)).toBe(true);
    expect(gatewayCalls(t.id)[0].payload).toMatchObject({ api: 'gemini', provider: 'anthropic', model: 'claude-sonnet-4-5', http_status: 200 });
  }, 300_000);

  it("records a call in its own run's trajectory only, and refuses an ended run's token while another run is running", async () => {
    const file = await runbook('builtin-two-runs', 'agent: builtin');
    const bash = (command: string) => callTools({ name: 'bash', arguments: { command } });
    const finish = callTools({ name: 'finish', arguments: { summary: 'done' } });
    const first = await runnerFor([bash(WRITE_REPORT), finish]);
    const a = await (await first.runner.start({ runbookPath: file, params: { topic: 'a' }, secrets: { DEMO_TOKEN: 'x' }, image: TEST_BASE_IMAGE, model: 'scripted-model' })).done;
    expect(a.status, a.error ?? '').toBe('completed');
    const tokenA = accesses.at(-1)!;
    const aCalls = gatewayCalls(a.id).length;
    expect(aCalls).toBe(2);

    let refusedA = 0;
    const second = await runnerFor([
      async () => {
        const call = (token: string) =>
          fetch(`${tokenA.hostUrl}/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-jetty-trajectory-id': a.id },
            body: JSON.stringify({ model: 'scripted-model', messages: [{ role: 'user', content: 'x' }] }),
          });
        refusedA = (await call(tokenA.token)).status;
        return bash(WRITE_REPORT);
      },
      finish,
    ]);
    const b = await (await second.runner.start({ runbookPath: file, params: { topic: 'b' }, secrets: { DEMO_TOKEN: 'x' }, image: TEST_BASE_IMAGE, model: 'scripted-model' })).done;
    expect(b.status, b.error ?? '').toBe('completed');
    expect(refusedA).toBe(401);
    expect(gatewayCalls(a.id)).toHaveLength(aCalls);
    expect(gatewayCalls(b.id)).toHaveLength(2);
    expect(gatewayCalls(b.id)[0].payload).toMatchObject({ api: 'chat-completions', model: 'scripted-model', cost_usd: null });
  }, 120_000);

  it('stops a run that exceeds max_cost_usd: the next call is refused and the run fails with that reason', async () => {
    const file = await runbook('builtin-budget', 'agent: builtin\nmax_cost_usd: 0.001');
    const bash = (command: string) => callTools({ name: 'bash', arguments: { command } });
    const prices = { modelPrices: { 'scripted-model': { input: 100, output: 100 } } };
    const { runner, upstream } = await runnerFor([bash('echo one'), bash('echo two'), bash(WRITE_REPORT), callTools({ name: 'finish', arguments: { summary: 'done' } })], { gatewaySettings: prices });
    const t = await (await runner.start({ runbookPath: file, params: { topic: 'x' }, secrets: { DEMO_TOKEN: 'x' }, image: TEST_BASE_IMAGE, model: 'scripted-model' })).done;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^budget exceeded: the run has spent \$0\.\d{4} of its max_cost_usd \$0\.001 \(the runbook's frontmatter\); the gateway refuses further model calls$/);
    // One call was answered (and cost more than the budget); the next was refused before reaching the provider, and recorded as refused.
    expect(upstream.requests).toHaveLength(1);
    const calls = gatewayCalls(t.id);
    expect(calls.map((c) => c.payload.http_status)).toEqual([200, 403]);
    expect(calls[0].payload.cost_usd).toBeGreaterThan(0.001);
    expect(calls[1].payload).toMatchObject({ cost_usd: null, usage: null, error: t.error });
    expect(t.steps.agent.status).toBe('failed');
  }, 120_000);
});
