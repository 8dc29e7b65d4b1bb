// `/mcp` on a real `jetty serve` (the built CLI), driven by the official SDK's Streamable HTTP
// client: the catalog, every public tool on a collection created over REST, the local tools,
// and what the local server refuses before any tool runs (no token, a wrong one, a foreign
// Origin or Host, other methods, a body that is not JSON or too large).
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../electron/engine/base/version';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { REPO, requireBuiltCli } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { EXPECTED_TOOLS, call, callFails, connectHttp, expectCatalog, exercisePublicTools, textOf } from '../helpers/mcp';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } };
const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

/** One raw request with exactly these headers (fetch would add an Origin-free Host of its own; this sets Host too). */
function rawPost(port: number, headers: Record<string, string>, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('/mcp on jetty serve (Streamable HTTP)', () => {
  let dir: string;
  let served: ServedJetty;
  let client: Client;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-http-'));
    await mkdir(path.join(dir, 'demo/hello-report'), { recursive: true });
    await copyFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), path.join(dir, 'demo/hello-report/RUNBOOK.md'));
    served = await startJettyServe(dir, {
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'scripted-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, JETTY_MODEL: 'scripted-model' },
    });
    const created = await fetch(`${served.origin}/api/v1/collections`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'mcp-http', description: 'made over REST' }),
    });
    expect(created.status).toBe(201);
    client = await connectHttp(served.origin, served.token);
  });

  afterAll(async () => {
    await client?.close();
    await served?.stop();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('initializes as the jetty server and lists the catalog with its annotations', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'jetty', version: VERSION });
    await expectCatalog(client);
  });

  it('answers every public tool on a collection created over REST, and the REST API sees what they did', async () => {
    const { trajectoryId } = await exercisePublicTools(client, 'mcp-http');
    const labelled = await fetch(`${served.origin}/api/v1/db/trajectory/mcp-http/mcp-echo/${trajectoryId}`, { headers: { Authorization: `Bearer ${served.token}` } });
    expect(await labelled.json()).toMatchObject({ labels: [{ key: 'quality', value: 'high' }] });
  });

  it('serves the local tools: lint by path and text, events paged, errors as tool errors', async () => {
    expect(await call(client, 'lint-runbook', { path: 'demo/hello-report/RUNBOOK.md' })).toMatchObject({ errors: 0, title: 'Hello Report — Agent Runbook' });
    const synced = await call(client, 'run-workflow-sync', { collection: 'mcp-http', task: 'mcp-echo', init_params: { text: 'paged' } });
    const first = await call(client, 'get-run-events', { trajectory_id: synced.workflow_id, limit: 1 });
    expect(first).toMatchObject({ trajectory_id: synced.workflow_id, next_after_seq: 1, has_more: true });
    expect(first.events).toHaveLength(1);
    const rest = await call(client, 'get-run-events', { trajectory_id: synced.workflow_id, after_seq: first.next_after_seq, limit: 1000 });
    expect(rest.has_more).toBe(false);
    expect(rest.events.length + 1).toBe(first.total);
    expect(await callFails(client, 'get-run-events', { trajectory_id: '0badc0de' })).toMatch(/no trajectory 0badc0de/);
    expect(await callFails(client, 'run-runbook', { path: '../../etc/RUNBOOK.md' })).toMatch(/outside the open folders/);
    expect(await callFails(client, 'no-such-tool', {})).toMatch(/not found/);
  });

  it('runs a runbook in Docker, its progress streamed on the SSE answer to the POST', async () => {
    const progress: Progress[] = [];
    const result = (await client.callTool(
      { name: 'run-runbook', arguments: { path: 'demo/hello-report/RUNBOOK.md', params: { name: 'MCP', times: '2' } } },
      undefined,
      { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 120_000 },
    )) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(JSON.parse(textOf(result))).toMatchObject({ collection: 'demo', task: 'hello-report', status: 'completed', evaluation: { overall_passed: true } });
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)?.message).toMatch(/completed/);
  });

  it('refuses a request without the token (401, WWW-Authenticate: Bearer) or with a wrong one', async () => {
    const none = await rawPost(served.port, { ...MCP_HEADERS, Host: `127.0.0.1:${served.port}` }, JSON.stringify(INITIALIZE));
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(none.body)).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) } });
    const wrong = await rawPost(served.port, { ...MCP_HEADERS, Host: `127.0.0.1:${served.port}`, Authorization: 'Bearer not-the-token' }, JSON.stringify(INITIALIZE));
    expect(wrong.status).toBe(401);
    // The SDK's client without the token cannot connect either.
    const { Client: SdkClient } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const anonymous = new SdkClient({ name: 'anonymous', version: '0' });
    await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL('/mcp', served.origin)))).rejects.toThrow(/missing API token/);
  });

  it('refuses a foreign Origin or Host with the token (403), other methods (405), a body that is not JSON (parse error) or too large (413)', async () => {
    const auth = { ...MCP_HEADERS, Authorization: `Bearer ${served.token}` };
    const host = `127.0.0.1:${served.port}`;
    const origin = await rawPost(served.port, { ...auth, Host: host, Origin: 'https://evil.example' }, JSON.stringify(INITIALIZE));
    expect(origin.status).toBe(403);
    expect(JSON.parse(origin.body)).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/other origins/) } });
    const rebound = await rawPost(served.port, { ...auth, Host: `attacker.example:${served.port}` }, JSON.stringify(INITIALIZE));
    expect(rebound.status).toBe(403);
    // Its own origin is fine (a page of the UI could call it).
    expect((await rawPost(served.port, { ...auth, Host: host, Origin: served.origin }, JSON.stringify(INITIALIZE))).status).toBe(200);

    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${served.origin}/mcp`, { method, headers: { Authorization: `Bearer ${served.token}` } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
    const notJson = await rawPost(served.port, { ...auth, Host: host }, '{"jsonrpc":');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/not valid JSON/) } });
    // Past the local server's 20 MiB body limit: refused whole, and the server goes on answering.
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'lint-runbook', arguments: { text: 'z'.repeat(21 * 1024 * 1024) } } });
    const tooLarge = await rawPost(served.port, { ...auth, Host: host }, huge);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ error: { code: 'too_large' } });
    // The SDK's client sees the same refusal as an error of its call, and its session goes on.
    await expect(client.callTool({ name: 'lint-runbook', arguments: { text: 'z'.repeat(21 * 1024 * 1024) } })).rejects.toThrow(/too_large.*larger than 20971520 bytes/);
    expect((await client.listTools()).tools.length).toBe(Object.keys(EXPECTED_TOOLS).length);
  });
});
