import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createProxy, PASSTHROUGH_COLLECTION, type Passthrough } from '../../electron/engine/proxy';
import { chatCompletionsRoute } from '../../electron/engine/server/chat-completions';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore, type Store } from '../../electron/engine/store';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { fail, reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const TOKEN = 'local-test-token';
const OPENAI_KEY = 'sk-openai-test-key-123';
const ANTHROPIC_KEY = 'sk-ant-test-key-456';

let upstream: FakeUpstream;
let store: Store;
let proxy: Passthrough;
let engine: Engine;
let server: LocalServer;
let dataDir: string;
let client: OpenAI;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-proxy-'));
  upstream = await startFakeUpstream({ slowChunkMs: 20, slowChunks: 500 });
  store = openStore(path.join(dataDir, 'jetty.db'));
  proxy = createProxy({
    store,
    recordFlushMs: 5,
    env: {
      OPENAI_BASE_URL: upstream.baseUrl,
      OPENAI_API_KEY: OPENAI_KEY,
      ANTHROPIC_BASE_URL: upstream.baseUrl.replace(/\/v1$/, ''),
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    },
    endpoints: [{ name: 'local', baseUrl: upstream.baseUrl }],
  });
  engine = await createEngine({ dataDir });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: [chatCompletionsRoute({ passthrough: proxy })] });
  client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await engine?.close();
  store?.close();
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The error a call must fail with. */
const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );

/**
 * The recorded trajectory of a call, once the recording thread has stored it (the first
 * calls wait for the thread to start, which takes a while with tsx under a loaded machine).
 */
async function recorded(id: string) {
  for (let i = 0; i < 1000; i++) {
    const t = store.getTrajectory(id);
    if (t) return t;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`trajectory ${id} was never recorded`);
}

describe('passthrough with the official OpenAI SDK', () => {
  it('relays a non-streaming call to an OpenAI-compatible provider and records it', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the fake upstream');
    const sent = upstream.requests.at(-1)!;
    expect(sent.body.model).toBe('gpt-4o');
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);

    const id = response.headers.get('x-jetty-trajectory-id')!;
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    const t = await recorded(id);
    expect(t).toMatchObject({ kind: 'passthrough', collection: PASSTHROUGH_COLLECTION, task: 'openai', status: 'completed', model: 'openai/gpt-4o' });
    expect(t.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(t.steps.completion.inputs).toEqual({ request: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] } });
    expect(JSON.stringify(store.exportTrajectory(id))).not.toContain(OPENAI_KEY);
  });

  it('streams chunk by chunk and records the assembled completion', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'local/qwen', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    expect(parts.filter(Boolean)).toEqual(['Hello ', 'from ', 'the ', 'fake ', 'upstream']);
    const t = await recorded(response.headers.get('x-jetty-trajectory-id')!);
    expect(t.task).toBe('local');
    // A stream is stored as the whole response it makes up, in the client's API (chat.completion).
    expect(t.steps.completion.outputs.response).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello from the fake upstream' }, finish_reason: 'stop' }] });
    expect(t.usage?.total_tokens).toBe(18);
  });

  it('translates Anthropic both ways, tool calls included, streaming and not', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: {} } } }];
    const plain = await client.chat.completions.create({
      model: 'anthropic/claude-sonnet-4.6',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }],
    });
    expect(plain.choices[0]).toMatchObject({ message: { content: 'Hello from the fake upstream' }, finish_reason: 'stop' });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-4.6', system: 'Be brief.', max_tokens: 4096 });

    const stream = await client.chat.completions.create({
      model: 'anthropic/claude-tool',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools,
      stream: true,
    });
    let name = '';
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? '';
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args), finish }).toEqual({ name: 'weather', args: { city: 'Paris' }, finish: 'tool_calls' });
  });

  it('returns provider errors in the OpenAI shape with the provider status, and records them as failed', async () => {
    const openAiFailure = await failure(client.chat.completions.create({ model: 'openai/gpt-error-429', messages: [{ role: 'user', content: 'x' }] }));
    expect(openAiFailure).toBeInstanceOf(OpenAI.RateLimitError);
    expect((openAiFailure as InstanceType<typeof OpenAI.APIError>).message).toContain('fake openai error 429');

    const anthropicFailure = await failure(client.chat.completions.create({ model: 'anthropic/claude-error-529', messages: [{ role: 'user', content: 'x' }] }));
    // Anthropic's 529 overloaded_error is what OpenAI's API says with 503 server_error.
    expect(anthropicFailure.status).toBe(503);
    expect(anthropicFailure.error).toMatchObject({ message: 'fake anthropic error 529', type: 'server_error' });
    const id = anthropicFailure.headers?.get('x-jetty-trajectory-id');
    const t = await recorded(id!);
    expect(t).toMatchObject({ status: 'failed', error: 'fake anthropic error 529' });
  });

  it('explains an unknown provider and an unreachable one', async () => {
    const unknown = await failure(client.chat.completions.create({ model: 'nowhere/x', messages: [] }));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toMatch(/no provider for model "nowhere\/x"/);

    const closed = createProxy({ store, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'k' } });
    const alt = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: [chatCompletionsRoute({ passthrough: closed })] });
    try {
      const down = await failure(
        new OpenAI({ baseURL: `${alt.origin}/v1`, apiKey: TOKEN, maxRetries: 0 }).chat.completions.create({ model: 'openai/gpt-4o', messages: [] }),
      );
      expect(down.status).toBe(502);
      expect(down.message).toMatch(/cannot reach provider openai at http:\/\/127\.0\.0\.1:9\/v1 \(ECONNREFUSED\)/);
    } finally {
      await alt.close();
      await closed.close();
    }
  });

  it('cancels the upstream request when the client disconnects, and records the call as cancelled', async () => {
    const before = upstream.abandonedStreams;
    const id = await new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ model: 'openai/gpt-slow', stream: true, messages: [{ role: 'user', content: 'go' }] });
      const req = request(`${server.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', host: `127.0.0.1:${server.port}` },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy();
          resolve(String(res.headers['x-jetty-trajectory-id']));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const t = await recorded(id);
    expect(t.status).toBe('cancelled');
    for (let i = 0; i < 100 && upstream.abandonedStreams === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(upstream.abandonedStreams).toBe(before + 1);
  });
});

describe('passthrough headers, against the scripted model server', () => {
  let model: ScriptedModelServer;
  let scriptedProxy: Passthrough;
  let scriptedServer: LocalServer;
  let scriptedClient: OpenAI;
  beforeAll(async () => {
    model = await startScriptedModelServer((r, turn) =>
      String(r.messages.at(-1)?.content).startsWith('busy') ? fail(429, { retryAfterSeconds: 7 }) : reply(`generation ${turn}`),
    );
    scriptedProxy = createProxy({ store, recordFlushMs: 5, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: OPENAI_KEY } });
    scriptedServer = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: [chatCompletionsRoute({ passthrough: scriptedProxy })] });
    scriptedClient = new OpenAI({ baseURL: `${scriptedServer.origin}/v1`, apiKey: TOKEN, maxRetries: 0 });
  });
  afterAll(async () => {
    await scriptedServer?.close();
    await scriptedProxy?.close();
    await model?.close();
  });

  it("forwards the client's Idempotency-Key, so a provider answers a retried call once", async () => {
    const ask = () => scriptedClient.chat.completions.create({ model: 'openai/m', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'Idempotency-Key': 'call-1' } });
    const [first, retried] = [await ask(), await ask()];
    expect(model.requests.map((r) => r.headers['idempotency-key'])).toEqual(['call-1', 'call-1']);
    expect(retried.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(model.generations).toHaveLength(1);
  });

  it("passes a provider's retry-after on with its 429", async () => {
    const refused = await failure(scriptedClient.chat.completions.create({ model: 'openai/m', messages: [{ role: 'user', content: 'busy' }] }));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.headers?.get('retry-after')).toBe('7');
  });
});
