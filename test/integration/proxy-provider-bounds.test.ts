// A provider's answer is untrusted: the relay holds at most MAX_ERROR_BYTES of an error
// and MAX_ANSWER_BYTES of a whole answer, and stops reading past them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy, type Passthrough } from '../../electron/engine/proxy';
import { MAX_ANSWER_BYTES, MAX_ERROR_BYTES } from '../../electron/engine/proxy/passthrough';
import { collectingSink } from '../../electron/engine/proxy/response-sink';
import { openStore, type Store } from '../../electron/engine/store';
import { startScriptedModelServer, type FloodStep, type ScriptedModelServer } from '../helpers/scripted-model-server';

let model: ScriptedModelServer;
let store: Store;
let proxy: Passthrough;
let dataDir: string;
let next: FloodStep;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-provider-bounds-'));
  model = await startScriptedModelServer(() => next);
  store = openStore(path.join(dataDir, 'jetty.db'));
  proxy = createProxy({ store, recordFlushMs: 5, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
});
afterAll(async () => {
  await proxy?.close();
  store?.close();
  await model?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call() {
  const { sink, answer } = collectingSink();
  const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
  await proxy.handle(sink, body, Buffer.from(JSON.stringify(body)));
  return answer;
}

describe('a provider answering too much', () => {
  it('a 500 MB error body: the error is answered from its first 64 KiB and the rest is not read', async () => {
    next = { type: 'flood', status: 500, bytes: 500 * 1024 * 1024, sent: { bytes: 0 } };
    const rssBefore = process.memoryUsage().rss;
    const answer = await call();
    expect(answer.status).toBe(500);
    expect(answer.body.length).toBeLessThan(MAX_ERROR_BYTES + 4096);
    expect(JSON.parse(answer.body.toString()).error.message).toMatch(/^HTTP 500|x{100}/);
    // The provider could send only what the sockets between hold before the relay stopped reading (far from its 500 MB).
    expect(next.sent!.bytes).toBeLessThan(100 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('a whole answer past 64 MiB fails the call with 502 saying so', async () => {
    next = { type: 'flood', status: 200, bytes: MAX_ANSWER_BYTES + 4 * 1024 * 1024 };
    const answer = await call();
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString()).error.message).toMatch(/larger than 64 MiB/);
  });
});
