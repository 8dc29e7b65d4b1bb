import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';

const TOKEN = 'test-token-0123456789';
const FIXTURE = path.resolve('test/fixtures/workspace');
const MAX_MESSAGE = 64 * 1024;
const MAX_BODY = 1024;

let tmp: string;
let engine: Engine;
let server: LocalServer;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-security-'));
  const staticDir = path.join(tmp, 'static');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>ok</title>');
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  engine = await createEngine({ dataDir: path.join(tmp, 'data') });
  server = await createLocalServer({
    engine,
    token: TOKEN,
    staticDir,
    maxMessageBytes: MAX_MESSAGE,
    maxBodyBytes: MAX_BODY,
    routes: [{ method: 'POST', path: '/api/echo', handle: async (ctx) => ctx.json(200, { bytes: (await ctx.body()).length }) }],
  });
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** A raw HTTP request: the path is sent exactly as given (no URL normalisation). */
function request(rawPath: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: rawPath, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens the RPC socket; resolves with the socket, or with the HTTP status the upgrade was refused with. */
function openSocket(query: string, headers: Record<string, string> = {}) {
  return new Promise<WebSocket | number>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function openAuthorized(): Promise<WebSocket> {
  const ws = await openSocket(`?token=${TOKEN}`);
  if (typeof ws === 'number') throw new Error(`upgrade refused with ${ws}`);
  return ws;
}

function nextMessage(ws: WebSocket, predicate: (m: Record<string, unknown>) => boolean = () => true) {
  return new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!predicate(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

describe('local server security', () => {
  it('refuses the WebSocket upgrade without the right token (401)', async () => {
    expect(await openSocket('')).toBe(401);
    expect(await openSocket('?token=wrong')).toBe(401);
    expect(await openSocket('', { Authorization: 'Bearer wrong' })).toBe(401);
  });

  it('accepts the token in the query or as a bearer header', async () => {
    for (const ws of [await openSocket(`?token=${TOKEN}`), await openSocket('', { Authorization: `Bearer ${TOKEN}` })]) {
      expect(ws).toBeInstanceOf(WebSocket);
      (ws as WebSocket).close();
    }
  });

  it('requires the token on every /api and /v1 path, but not on static files', async () => {
    expect((await request('/api/health')).status).toBe(401);
    expect((await request('/v1/chat/completions', { method: 'POST' })).status).toBe(401);
    expect((await request('/api/health', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const index = await request('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses foreign Host headers (DNS rebinding) with 403', async () => {
    expect((await request('/', { headers: { Host: `evil.example:${server.port}` } })).status).toBe(403);
    expect((await request('/api/health', { headers: { Host: 'evil.example', Authorization: `Bearer ${TOKEN}` } })).status).toBe(403);
    expect(await openSocket(`?token=${TOKEN}`, { Host: `attacker.test:${server.port}` })).toBe(403);
    expect((await request('/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses foreign Origin headers with 403, even with the token', async () => {
    expect(await openSocket(`?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    const res = await request('/api/health', { headers: { Origin: 'https://evil.example', Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(403);
    const same = await openSocket(`?token=${TOKEN}`, { Origin: `http://localhost:${server.port}` });
    expect(same).toBeInstanceOf(WebSocket);
    (same as WebSocket).close();
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2E%2E%2Fsecret.txt', '/..%5csecret.txt', '/assets/../../secret.txt', '/%00index.html', '/%E0%A4%A'])(
    'does not serve %s outside the static folder',
    async (rawPath) => {
      const res = await request(rawPath);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('TOP SECRET');
    },
  );

  it('refuses an oversized WebSocket message by closing with 1009', async () => {
    const ws = await openAuthorized();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 1, method: 'runbook.lint', input: { path: '/x/RUNBOOK.md', text: 'x'.repeat(MAX_MESSAGE) } }));
    expect(await closed).toBe(1009);
  });

  it('refuses an oversized request body with 413', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const small = await request('/api/echo', { method: 'POST', headers: auth, body: Buffer.alloc(10) });
    expect(JSON.parse(small.body)).toEqual({ bytes: 10 });
    const big = await request('/api/echo', { method: 'POST', headers: auth, body: Buffer.alloc(MAX_BODY + 1) });
    expect(big.status).toBe(413);
  });
});

describe('WebSocket RPC', () => {
  it('answers invalid input with invalid_input naming the field', async () => {
    const ws = await openAuthorized();
    const reply = nextMessage(ws, (m) => m.id === 'bad');
    ws.send(JSON.stringify({ id: 'bad', method: 'workspace.open', input: { folder: 42 } }));
    expect(await reply).toMatchObject({ id: 'bad', ok: false, error: { code: 'invalid_input', message: expect.stringContaining('folder') } });
    ws.close();
  });

  it('answers unknown methods and malformed messages with clear errors', async () => {
    const ws = await openAuthorized();
    const unknown = nextMessage(ws, (m) => m.id === 7);
    ws.send(JSON.stringify({ id: 7, method: 'no.such.method', input: {} }));
    expect(await unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const malformed = nextMessage(ws, (m) => m.id === null);
    ws.send('{not json');
    expect(await malformed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    ws.close();
  });

  it('runs contract methods and pushes contract events to each connection', async () => {
    const ws = await openAuthorized();
    const info = nextMessage(ws, (m) => m.id === 1);
    ws.send(JSON.stringify({ id: 1, method: 'app.info', input: {} }));
    expect(await info).toMatchObject({ id: 1, ok: true, value: { dataDir: path.join(tmp, 'data') } });

    const event = nextMessage(ws, (m) => m.event === 'workspace.changed');
    const opened = nextMessage(ws, (m) => m.id === 2);
    ws.send(JSON.stringify({ id: 2, method: 'workspace.open', input: { folder: FIXTURE } }));
    const reply = await opened;
    expect(reply).toMatchObject({ ok: true, value: { folder: FIXTURE } });
    expect(await event).toMatchObject({ event: 'workspace.changed', payload: { folder: FIXTURE } });
    ws.close();
  });
});
