// The run gateway's MCP door, `/mcp/<name>`, against real HTTP MCP servers on loopback: the
// run's token opens only the servers its run declared; the gateway adds each server's own
// headers and never passes the run's token on; SSE answers stream through as they come; what
// crosses is bounded in bytes and time, and every refusal says why.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunGateway, type RunAccess } from '../../electron/engine/gateway/run-gateway';
import { createProviderRegistry } from '../../electron/engine/proxy/providers';
import { startProbeHttpServer, type ProbeHttpServer } from '../helpers/mcp-probe';

const KEY = 'docs-key-51c0ffee';
const LIMITS = { requestBytes: 64 * 1024, responseBytes: 256 * 1024, headersTimeoutMs: 1500, idleTimeoutMs: 1500 };
const gateway = createRunGateway({ mcpLimits: LIMITS });
let docs: ProbeHttpServer;
/** A hand-made upstream whose behaviour each test sets, recording what it was sent. */
let odd: Server;
let oddUrl: string;
let oddHandler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => res.end();
const oddSeen: IncomingHttpHeaders[] = [];
let runA: RunAccess;
let runB: RunAccess;

const open = (runId: string, servers: Record<string, { url: string; headers: Record<string, string> }>) =>
  gateway.open({
    runId,
    providers: createProviderRegistry({ env: {} }),
    budget: { maxCostUsd: null, maxTokens: null, source: 'Settings' },
    prices: {},
    onModelCall: () => undefined,
    onBudgetExceeded: () => undefined,
    mcpServers: new Map(Object.entries(servers)),
  });

beforeAll(async () => {
  docs = await startProbeHttpServer(['X-Docs-Key', KEY]);
  odd = createServer((req, res) => {
    oddSeen.push(req.headers);
    oddHandler(req, res);
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
  oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}/mcp`;
  runA = await open('run-a', { docs: { url: docs.url, headers: { 'X-Docs-Key': KEY } }, odd: { url: oddUrl, headers: {} }, wrongkey: { url: docs.url, headers: { 'X-Docs-Key': 'not-it' } }, gone: { url: 'http://127.0.0.1:9/mcp', headers: {} } });
  runB = await open('run-b', { other: { url: docs.url, headers: { 'X-Docs-Key': KEY } } });
});
afterAll(async () => {
  await gateway.close();
  await docs?.close();
  odd?.closeAllConnections();
  await new Promise<void>((resolve) => (odd ? odd.close(() => resolve()) : resolve()));
});

const LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
/** A raw POST to the gateway's MCP door of a run; status, body text and headers. */
async function post(access: RunAccess, name: string, token: string | null, extra: Record<string, string> = {}, body = LIST) {
  const res = await request(access.hostMcpUrl(name), { method: 'POST', headers: { ...MCP_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra }, body });
  return { status: res.statusCode, text: await res.body.text(), headers: res.headers };
}
const errorOf = (text: string) => (JSON.parse(text) as { error: { code: string; message: string } }).error;

describe("the run gateway's MCP door", () => {
  it("relays a run's declared server with the server's own header, never the run's token (the SDK client: initialize, tools/list, tools/call over SSE)", async () => {
    const before = docs.requests.length;
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(runA.hostMcpUrl('docs')), { requestInit: { headers: { authorization: `Bearer ${runA.token}` } } }));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo', 'env', 'where', 'fail']);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'through the gateway' } })).toEqual({ content: [{ type: 'text', text: 'echo: through the gateway' }] });
    await client.close();
    const seen = docs.requests.slice(before);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const { headers } of seen) {
      expect(headers['x-docs-key']).toBe(KEY);
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(runA.token);
    }
  });

  it('refuses a server the run did not declare (another run’s too), a missing or ended token, a browser, and other methods', async () => {
    expect([await post(runA, 'other', runA.token), await post(runB, 'docs', runB.token)].map((r) => [r.status, errorOf(r.text).message])).toEqual([
      [404, "this run declares no HTTP MCP server named 'other'"],
      [404, "this run declares no HTTP MCP server named 'docs'"],
    ]);
    const refused = await post(runA, 'docs', null);
    expect([refused.status, errorOf(refused.text).code]).toEqual([401, 'unauthorized']);
    // Only a bearer token: the model endpoints' other ways of sending one do not open MCP.
    expect((await post(runA, 'docs', null, { 'x-api-key': runA.token })).status).toBe(401);
    expect((await post(runA, 'docs', runA.token, { origin: 'https://evil.example' })).status).toBe(403);
    const put = await request(runA.hostMcpUrl('docs'), { method: 'PUT', headers: { authorization: `Bearer ${runA.token}` }, body: LIST });
    expect([put.statusCode, put.headers.allow, errorOf(await put.body.text()).code]).toEqual([405, 'POST, GET, DELETE', 'method_not_allowed']);
    const ended = await open('run-c', { docs: { url: docs.url, headers: { 'X-Docs-Key': KEY } } });
    ended.end();
    expect((await post(ended, 'docs', ended.token)).status).toBe(401);
  });

  it("says so when the server refuses the run's credentials (no auth challenge passed to the sandbox) or cannot be reached", async () => {
    const wrong = await post(runA, 'wrongkey', runA.token);
    expect([wrong.status, errorOf(wrong.text)]).toEqual([502, { code: 'mcp_refused', message: "the MCP server 'wrongkey' refused the credentials this run declared for it (HTTP 401): check its headers in mcp_servers" }]);
    expect(wrong.headers['www-authenticate']).toBeUndefined();
    const gone = await post(runA, 'gone', runA.token);
    expect([gone.status, errorOf(gone.text)]).toEqual([502, { code: 'mcp_unreachable', message: "the MCP server 'gone' cannot be reached (ECONNREFUSED)" }]);
  });

  it("streams an SSE answer as it comes, passing only MCP's headers back", async () => {
    let next: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (next = resolve));
    oddHandler = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 's-1', 'set-cookie': 'sid=upstream', 'x-internal': 'no' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"first"}}\n\n');
      void second.then(() => res.end('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"tools":[]}}\n\n'));
    };
    const res = await request(runA.hostMcpUrl('odd'), { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${runA.token}`, cookie: 'mine=1', 'mcp-protocol-version': '2025-11-25' }, body: LIST });
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['mcp-session-id']).toBe('s-1');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-internal']).toBeUndefined();
    // The first event arrives while the server still holds the second back.
    const reader = res.body[Symbol.asyncIterator]();
    expect(String((await reader.next()).value)).toContain('"first"');
    next();
    let rest = '';
    for (let chunk = await reader.next(); !chunk.done; chunk = await reader.next()) rest += String(chunk.value);
    expect(rest).toContain('"result"');
    const sent = oddSeen.at(-1)!;
    expect([sent['mcp-protocol-version'], sent.cookie, sent.authorization]).toEqual(['2025-11-25', undefined, undefined]);
  });

  it('bounds what crosses: a request body, an answer that goes on too long, a server that goes silent or never answers', async () => {
    const tooBig = await post(runA, 'odd', runA.token, {}, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { blob: 'x'.repeat(LIMITS.requestBytes) } } }));
    expect([tooBig.status, errorOf(tooBig.text).code]).toEqual([413, 'too_large']);

    oddHandler = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const line = `data: ${'x'.repeat(16 * 1024)}\n\n`;
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(line)), 1);
      res.on('close', () => clearInterval(timer));
    };
    let got = 0;
    const flood = await request(runA.hostMcpUrl('odd'), { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${runA.token}` }, body: LIST });
    await expect(
      (async () => {
        for await (const chunk of flood.body) got += (chunk as Buffer).length;
      })(),
    ).rejects.toThrow();
    expect(got).toBeLessThanOrEqual(LIMITS.responseBytes);
    expect(got).toBeGreaterThan(LIMITS.responseBytes / 2);

    oddHandler = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
    };
    const started = Date.now();
    const silent = await request(runA.hostMcpUrl('odd'), { method: 'GET', headers: { accept: 'text/event-stream', authorization: `Bearer ${runA.token}` } });
    await expect(silent.body.text()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(LIMITS.idleTimeoutMs + 3000);

    oddHandler = (req) => req.resume();
    const hung = await post(runA, 'odd', runA.token);
    expect([hung.status, errorOf(hung.text).code]).toEqual([502, 'mcp_unreachable']);
    expect(errorOf(hung.text).message).toMatch(/^the MCP server 'odd' cannot be reached \(UND_ERR_HEADERS_TIMEOUT\)$/);
  });
});
