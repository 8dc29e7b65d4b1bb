import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { rest } from '../../electron/engine/server/rest/http';
import type { Route } from '../../electron/engine/server/router';
import { MAX_RPC_CONNECTIONS } from '../../electron/engine/server/ws-rpc';
import { jsonErrorOf, send } from '../helpers/raw-http';

const TOKEN = 'errors-test-token';

let tmp: string;
let engine: Engine;
let server: LocalServer;
const unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);

/** Handlers that fail in every way a handler can. */
const failing: Route[] = [
  { method: 'GET', path: '/api/throws-string', handle: () => Promise.reject('not an Error') },
  {
    method: 'GET',
    path: '/api/throws-odd-status',
    handle: () => {
      throw Object.assign(new Error('a library error with a status HTTP does not have'), { status: 99999 });
    },
  },
  {
    method: 'GET',
    path: '/api/throws-after-headers',
    handle: async ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      throw new Error('failed mid-response');
    },
  },
  rest('GET', '/throws-type-error', async () => (null as unknown as { x: { y: number } }).x.y),
  rest('GET', '/throws-disk-full', async () => {
    throw Object.assign(new Error("ENOSPC: no space left on device, mkdir '/data/files/x'"), { code: 'ENOSPC' });
  }),
  rest('GET', '/throws-database-full', async () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  }),
];

beforeAll(async () => {
  process.on('unhandledRejection', collect);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-errors-'));
  engine = await createEngine({ dataDir: path.join(tmp, 'data') });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: failing });
});

afterAll(async () => {
  process.off('unhandledRejection', collect);
  await server?.close();
  await engine?.close();
  await rm(tmp, { recursive: true, force: true });
});

afterEach(() => expect(unhandled).toEqual([]));

const get = (pathname: string) => send(server.port, { path: pathname, headers: { authorization: `Bearer ${TOKEN}` }, timeoutMs: 5_000 });

function openSocket(): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${TOKEN}`);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('the local server answers whatever a handler throws', () => {
  it.each(['/api/throws-string', '/api/throws-odd-status', '/api/v1/throws-type-error'])('%s: a JSON 500, no unhandled rejection', async (pathname) => {
    const answer = await get(pathname);
    expect(answer?.status, answer?.text).toBe(500);
    expect(jsonErrorOf(answer!)).toMatchObject({ code: 'failed' });
    expect((await get('/api/health'))?.status).toBe(200);
  });

  it.each(['/api/v1/throws-disk-full', '/api/v1/throws-database-full'])('%s: a full disk anywhere in a route is a JSON 507 that says what to do', async (pathname) => {
    const answer = await get(pathname);
    expect(answer?.status, answer?.text).toBe(507);
    expect(jsonErrorOf(answer!)).toMatchObject({ code: 'insufficient_storage', message: expect.stringMatching(/disk .* is full; free some space/) });
  });

  it('what Node refuses before any route runs (an odd Expect header, a request line it cannot parse) is answered in JSON too', async () => {
    const expectation = await send(server.port, { path: '/api/health', headers: { authorization: `Bearer ${TOKEN}`, expect: 'teapot' }, timeoutMs: 5_000 });
    expect(expectation?.status).toBe(417);
    expect(jsonErrorOf(expectation!)).toMatchObject({ code: 'expectation_failed' });
    for (const line of ['GET /api/caf\u00c3\u00a9 HTTP/1.1', 'NOT-HTTP AT ALL']) {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write(Buffer.from(`${line}\r\nHost: 127.0.0.1\r\n\r\n`, 'latin1')));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw, line).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)), line).toMatchObject({ error: { code: 'bad_request' } });
    }
  });

  it('a handler that fails after its response started cuts the connection', async () => {
    await expect(get('/api/throws-after-headers')).rejects.toThrow();
    expect((await get('/api/health'))?.status).toBe(200);
  });
});

describe('the RPC socket', () => {
  it(`takes at most ${MAX_RPC_CONNECTIONS} connections at once (503 beyond), and takes more once one closes`, async () => {
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < MAX_RPC_CONNECTIONS; i++) {
        const ws = await openSocket();
        if (typeof ws === 'number') throw new Error(`connection ${i + 1} refused with ${ws}`);
        open.push(ws);
      }
      expect(await openSocket()).toBe(503);
      const first = open.shift()!;
      await new Promise((resolve) => {
        first.once('close', resolve);
        first.close();
      });
      await expect
        .poll(async () => {
          const ws = await openSocket();
          if (typeof ws === 'number') return ws;
          open.push(ws);
          return 101;
        }, { timeout: 5_000, interval: 20 })
        .toBe(101);
    } finally {
      for (const ws of open) ws.terminate();
    }
  });
});
