// A translated stream (OpenAI Responses asked of a chat-completions upstream) sends the
// client its first text delta as soon as the upstream's frame carrying it is decoded, not
// once everything that came with it is translated: the upstream sends its role and content
// chunks in one write and holds the rest of its stream (finish, `[DONE]`) until the client
// has read the first `response.output_text.delta`.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { gatewayRoutes } from '../../electron/engine/server/model-routes';
import { createProxy, type Proxy } from '../../electron/engine/proxy';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore, type Store } from '../../electron/engine/store';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const TOKEN = 'gateway-first-text-token';
const ANSWER = 'Hello there from the held stream.';

let releaseUpstream: () => void = () => undefined;
const upstreamHeld = new Promise<void>((resolve) => (releaseUpstream = resolve));

let upstream: ScriptedModelServer;
let store: Store;
let proxy: Proxy;
let engine: Engine;
let server: LocalServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-gateway-first-text-'));
  upstream = await startScriptedModelServer(() => reply(ANSWER, { holdStreamUntil: upstreamHeld }));
  store = openStore(path.join(dataDir, 'jetty.db'));
  proxy = createProxy({ store, recordFlushMs: 5, env: {}, endpoints: [{ name: 'up', baseUrl: upstream.url, apiKey: 'sk-up', wire: 'chat-completions' }] });
  engine = await createEngine({ dataDir: path.join(dataDir, 'engine'), env: {} });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: gatewayRoutes(proxy) });
});

afterAll(async () => {
  releaseUpstream();
  await server?.close();
  await proxy?.close();
  await engine?.close();
  store?.close();
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Streams one Responses call over a raw connection, keeping the HTTP chunks as the gateway
 * wrote them (one per write); `onText` runs once, on the chunk with the first text delta.
 */
function streamResponses(onText: (chunks: string[]) => void): Promise<string[]> {
  const body = JSON.stringify({ model: 'up/scripted-model', input: 'Say hello.', stream: true });
  const head = [
    'POST /v1/responses HTTP/1.1',
    `Host: 127.0.0.1:${server.port}`,
    `Authorization: Bearer ${TOKEN}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(`${head.join('\r\n')}\r\n\r\n${body}`));
    let pending = Buffer.alloc(0);
    let inBody = false;
    let seen = false;
    const chunks: string[] = [];
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      if (!inBody) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        expect(pending.subarray(0, end).toString()).toMatch(/^HTTP\/1\.1 200[^]*transfer-encoding: chunked/i);
        pending = pending.subarray(end + 4);
        inBody = true;
      }
      for (;;) {
        const line = pending.indexOf('\r\n');
        if (line < 0) return;
        const size = parseInt(pending.subarray(0, line).toString(), 16);
        if (pending.length < line + 2 + size + 2) return;
        if (size === 0) return void socket.end();
        chunks.push(pending.subarray(line + 2, line + 2 + size).toString('utf8'));
        pending = pending.subarray(line + 2 + size + 2);
        if (!seen && chunks.at(-1)!.includes('event: response.output_text.delta')) {
          seen = true;
          onText([...chunks]);
        }
      }
    });
    socket.on('close', () => resolve(chunks));
    socket.on('error', reject);
  });
}

const textDeltas = (text: string) => [...text.matchAll(/"type":"response\.output_text\.delta".*?"delta":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);

it('writes the first text delta as soon as its frame is decoded, before the upstream has finished its stream', async () => {
  let sofar: string[] = [];
  const chunks = await streamResponses((got) => {
    sofar = got;
    releaseUpstream();
  });
  // The upstream held its finish until now.
  expect(sofar.join('')).not.toContain('response.completed');
  // The first delta went out in a write of its own, not collected with the deltas decoded after it.
  expect(textDeltas(sofar.at(-1)!)).toHaveLength(1);
  const stream = chunks.join('');
  expect(stream).toContain('event: response.completed');
  expect(textDeltas(stream).join('')).toBe(ANSWER);
}, 20_000);
