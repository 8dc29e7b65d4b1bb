/**
 * The passthrough every client expects, over the whole engine's routes (as `jetty serve`
 * serves them) against the scripted model server: each SDK's auth header and errors in its
 * format; every standard endpoint (embeddings, legacy completions, model lookups, token
 * counts, Gemini's list, embeddings and counts, images), native and translated; honest
 * recordings (a dropped stream, usage the client did not ask for, refusals);
 * `previous_response_id` across a translation; local model prefixes without a key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { TRAJECTORY_ID_HEADER } from '../../electron/engine/proxy';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const TOKEN = 'endpoints-test-token';
const KEY = 'sk-scripted-key';

let model: ScriptedModelServer;
let local: ScriptedModelServer;
let engine: Engine;
let server: LocalServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-endpoints-'));
  model = await startScriptedModelServer(
    (request) => {
      const last = request.messages.at(-1);
      const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
      if (text.includes('drop')) return { type: 'reset', partialContent: 'Half an ans' };
      return reply(`echo: ${text}`);
    },
    { apiKey: KEY, models: ['scripted-model', 'embed-model'] },
  );
  local = await startScriptedModelServer(() => reply('from the local server'), { models: ['qwen3:4b'] });
  const origin = model.url.replace(/\/v1$/, '');
  engine = await createEngine({
    dataDir,
    env: {
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: KEY,
      ANTHROPIC_BASE_URL: origin,
      ANTHROPIC_API_KEY: KEY,
      GOOGLE_GEMINI_BASE_URL: origin,
      GEMINI_API_KEY: KEY,
      OLLAMA_BASE_URL: local.url,
    },
  });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await model?.close();
  await local?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const res = await fetch(`${server.origin}${route}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a stream
  }
  return { status: res.status, json, text, id: res.headers.get(TRAJECTORY_ID_HEADER), headers: res.headers };
}

/** The stored record of a call, once the recording thread has stored it (bounded wait, on the store's own notice). */
async function recorded(id: string | null) {
  if (!id) throw new Error('the answer named no trajectory');
  const store = engine.services.store;
  for (let i = 0; i < 500; i++) {
    const t = store.getTrajectory(id);
    if (t) return t;
    await new Promise<void>((resolve) => {
      const stop = store.onChange(() => (stop(), resolve()));
      setTimeout(() => (stop(), resolve()), 50);
    });
  }
  throw new Error(`trajectory ${id} was never recorded`);
}

const lastUpstream = (server: ScriptedModelServer, path: string) => server.requests.findLast((r) => r.path === path);

describe("each SDK's own auth header", () => {
  it('takes the token as x-api-key (Anthropic) and x-goog-api-key (Google), and refuses a wrong one in the caller’s format', async () => {
    const anthropic = await call('POST', '/v1/messages', { model: 'anthropic/scripted-model', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': TOKEN, 'anthropic-version': '2023-06-01' });
    expect(anthropic.status).toBe(200);
    expect(anthropic.json.content).toEqual([{ type: 'text', text: 'echo: hi' }]);
    const gemini = await call('POST', '/v1beta/models/gemini%2Fscripted-model:generateContent', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, { 'x-goog-api-key': TOKEN });
    expect(gemini.status).toBe(200);

    const wrongAnthropic = await call('POST', '/v1/messages', { model: 'anthropic/scripted-model', max_tokens: 20, messages: [] }, { 'x-api-key': 'wrong' });
    expect(wrongAnthropic.status).toBe(401);
    expect(wrongAnthropic.json).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'wrong API token' } });
    const wrongGemini = await call('GET', '/v1beta/models', undefined, { 'x-goog-api-key': 'wrong' });
    expect(wrongGemini.status).toBe(401);
    expect(wrongGemini.json).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    const missingOpenAi = await call('GET', '/v1/models', undefined, {});
    expect(missingOpenAi.json).toMatchObject({ error: { type: 'authentication_error' } });
  });
});

describe('every standard endpoint, native and translated', () => {
  it('embeddings: OpenAI to an OpenAI-style provider as they are, and to Gemini translated (floats and base64)', async () => {
    const native = await call('POST', '/v1/embeddings', { model: 'openai/embed-model', input: ['a', 'b'] });
    expect(native.status).toBe(200);
    expect((native.json.data as unknown[]).length).toBe(2);
    const translated = await call('POST', '/v1/embeddings', { model: 'gemini/embed-model', input: 'hello', encoding_format: 'base64' });
    expect(translated.status).toBe(200);
    const [row] = translated.json.data as { embedding: string }[];
    expect(Buffer.from(row.embedding, 'base64').length).toBe(8 * 4);
    expect(lastUpstream(model, '/v1beta/models/embed-model:batchEmbedContents')).toBeDefined();
    const record = await recorded(native.id);
    expect(record).toMatchObject({ status: 'completed', init_params: { api: 'embeddings' } });
    expect(JSON.stringify(record.steps)).toContain('"dimensions":8');
    const anthropic = await call('POST', '/v1/embeddings', { model: 'anthropic/scripted-model', input: 'x' });
    expect(anthropic.status).toBe(400);
    expect(anthropic.json).toMatchObject({ error: { message: 'provider anthropic has no embeddings API' } });
  });

  it('legacy completions: to OpenAI as they are, to Anthropic translated, streamed too', async () => {
    const native = await call('POST', '/v1/completions', { model: 'openai/scripted-model', prompt: 'one' });
    expect(native.json).toMatchObject({ object: 'text_completion', choices: [{ text: 'echo: one', finish_reason: 'stop' }] });
    const translated = await call('POST', '/v1/completions', { model: 'anthropic/scripted-model', prompt: 'two', max_tokens: 30 });
    expect(translated.json).toMatchObject({ object: 'text_completion', choices: [{ text: 'echo: two' }] });
    const streamed = await call('POST', '/v1/completions', { model: 'anthropic/scripted-model', prompt: 'three', max_tokens: 30, stream: true });
    expect(streamed.text).toContain('"object":"text_completion"');
    expect(streamed.text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('model lookups: GET /v1/models/{id}, Gemini’s list and one model, 404 in the caller’s format', async () => {
    const one = await call('GET', '/v1/models/openai%2Fscripted-model');
    expect(one.json).toMatchObject({ id: 'openai/scripted-model', object: 'model', type: 'model' });
    const missing = await call('GET', '/v1/models/openai%2Fnope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { type: 'not_found_error' } });
    const list = await call('GET', '/v1beta/models', undefined, { 'x-goog-api-key': TOKEN });
    expect((list.json.models as { name: string }[]).map((m) => m.name)).toContain('models/gemini/scripted-model');
    const geminiOne = await call('GET', '/v1beta/models/gemini%2Fscripted-model', undefined, { 'x-goog-api-key': TOKEN });
    expect(geminiOne.json).toMatchObject({ name: 'models/gemini/scripted-model' });
    const all = await call('GET', '/v1/models');
    expect((all.json.data as { id: string }[]).map((m) => m.id)).toEqual(expect.arrayContaining(['openai/scripted-model', 'anthropic/scripted-model', 'ollama/qwen3:4b']));
  });

  it('token counts: Anthropic’s count_tokens native, Gemini’s countTokens native and from Anthropic, an estimate where the provider has none', async () => {
    const messages = { model: 'anthropic/scripted-model', messages: [{ role: 'user', content: 'count these words please' }] };
    const native = await call('POST', '/v1/messages/count_tokens', messages);
    expect(native.json.input_tokens).toBeGreaterThan(0);
    const toGemini = await call('POST', '/v1/messages/count_tokens', { ...messages, model: 'gemini/scripted-model' });
    expect(toGemini.json).toEqual({ input_tokens: 6 });
    const estimated = await call('POST', '/v1/messages/count_tokens', { ...messages, model: 'openai/scripted-model' });
    expect(estimated.json).toMatchObject({ estimated: true });
    expect(estimated.headers.get('x-jetty-estimated')).toBe('true');
    const gemini = await call('POST', '/v1beta/models/gemini%2Fscripted-model:countTokens', { contents: [{ role: 'user', parts: [{ text: 'four' }] }] }, { 'x-goog-api-key': TOKEN });
    expect(gemini.json).toEqual({ totalTokens: 1 });
    const embed = await call('POST', '/v1beta/models/openai%2Fembed-model:embedContent', { content: { parts: [{ text: 'x' }] } }, { 'x-goog-api-key': TOKEN });
    expect((embed.json.embedding as { values: number[] }).values).toHaveLength(8);
    expect((await recorded(gemini.id)).init_params).toMatchObject({ api: 'count-tokens' });
  });

  it('images: /v1/images/generations reaches OpenAI’s Images API', async () => {
    const images = await call('POST', '/v1/images/generations', { model: 'openai/dall-e-3', prompt: 'a red square', response_format: 'b64_json' });
    expect(images.status).toBe(200);
    expect((images.json.data as unknown[]).length).toBe(1);
  });
});

describe('honest recordings', () => {
  it('a stream the provider drops midway is failed, with what arrived and no invented finish reason', async () => {
    const dropped = await fetch(`${server.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/scripted-model', stream: true, messages: [{ role: 'user', content: 'drop it' }] }),
    });
    const id = dropped.headers.get(TRAJECTORY_ID_HEADER);
    await dropped.text().catch(() => '');
    const record = await recorded(id);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/broke off the stream mid-way|ended before/);
    const response = (record.steps.completion.outputs as { response: { choices: { message: { content: string }; finish_reason: unknown }[] } }).response;
    expect(response.choices[0].message.content).toBe('Half an ans');
    expect(response.choices[0].finish_reason).toBeNull();
  });

  it('a streamed call is recorded with its usage although the client did not ask for it, and the client gets no usage', async () => {
    const streamed = await call('POST', '/v1/chat/completions', { model: 'openai/scripted-model', stream: true, messages: [{ role: 'user', content: 'usage please' }] });
    expect(streamed.text).not.toContain('"usage"');
    expect(lastUpstream(model, '/v1/chat/completions')?.body?.stream_options).toEqual({ include_usage: true });
    const record = await recorded(streamed.id);
    expect(record.status).toBe('completed');
    expect(record.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(record.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('a call refused before it reaches a provider is a failed trajectory with its reason', async () => {
    const unknown = await call('POST', '/v1/chat/completions', { model: 'mystery/x', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(400);
    expect((await recorded(unknown.id)).error).toMatch(/no provider for model "mystery\/x"/);
    const unsupported = await call('POST', '/v1/chat/completions', { model: 'bedrock/claude', messages: [{ role: 'user', content: 'hi' }] });
    expect(unsupported.json).toMatchObject({ error: { code: 'provider_not_supported' } });
    expect((await recorded(unsupported.id)).status).toBe('failed');
    const unreadable = await call('POST', '/v1/chat/completions', '{"model": ');
    expect(unreadable.status).toBe(400);
    expect((await recorded(unreadable.id)).error).toMatch(/the request body is/);
  });
});

describe('previous_response_id to a provider without Responses', () => {
  it('expands the conversation the relay answered, and refuses an id it does not know', async () => {
    const first = await call('POST', '/v1/responses', { model: 'openai/scripted-model', input: 'my name is Ada' });
    expect(first.status).toBe(200);
    const second = await call('POST', '/v1/responses', { model: 'openai/scripted-model', previous_response_id: first.json.id, input: 'what is my name?' });
    expect(second.status).toBe(200);
    const sent = lastUpstream(model, '/v1/chat/completions')?.body?.messages.map((m) => m.content);
    expect(sent).toEqual(['my name is Ada', 'echo: my name is Ada', 'what is my name?']);
    const unknown = await call('POST', '/v1/responses', { model: 'openai/scripted-model', previous_response_id: 'resp_never', input: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'previous_response_not_found' } });
    expect((unknown.json.error as { message: string }).message).toMatch(/resp_never is not a response this Jetty answered/);
  });
});

describe('local model prefixes', () => {
  it('ollama/ reaches the local server without any key', async () => {
    const answered = await call('POST', '/v1/chat/completions', { model: 'ollama/qwen3:4b', messages: [{ role: 'user', content: 'hi' }] });
    expect(answered.status).toBe(200);
    expect(answered.json).toMatchObject({ choices: [{ message: { content: 'from the local server' } }] });
    expect(local.requests.at(-1)?.headers.authorization).toBeUndefined();
  });
});
