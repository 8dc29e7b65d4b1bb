// Gateway conformance: each wire API's official SDK (openai for chat completions and
// Responses, @anthropic-ai/sdk for Messages, @google/genai for Gemini), pointed at the
// local Jetty API, gets well-formed answers — a tool call, then text after the tool's
// result, streaming and not — from an upstream of every kind (the scripted model server
// speaking each API), and the upstream's errors in its own format. Plus GET /v1/models.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { gatewayRoutes } from '../../electron/engine/server/model-routes';
import { createProxy, type Proxy } from '../../electron/engine/proxy';
import { chatCompletionsRoute } from '../../electron/engine/server/chat-completions';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore, type Store } from '../../electron/engine/store';
import { callTools, fail, reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer, type ScriptStep } from '../helpers/scripted-model-server';

const TOKEN = 'gateway-conformance-token';
const UPSTREAM_KEY = 'sk-upstream-conformance-1234';
const ANSWER = 'It is sunny in Paris.';
const UPSTREAMS = ['chat-completions', 'responses', 'anthropic-messages', 'gemini'] as const;
type Upstream = (typeof UPSTREAMS)[number];
const endpointName = (u: Upstream) => `up-${u}`;
const modelOf = (u: Upstream) => `${endpointName(u)}/scripted-model`;

/** A weather tool call first; once the conversation holds its result, the answer. A model named `*-error` gets a 429. */
function script(request: ChatRequest): ScriptStep {
  if (request.model.includes('error')) return fail(429, { message: 'slow down: quota reached', retryAfterSeconds: 1 });
  const answered = request.messages.some((m) => m.role === 'tool');
  return answered ? reply(ANSWER) : callTools({ name: 'weather', arguments: { city: 'Paris' } });
}

let upstream: ScriptedModelServer;
let store: Store;
let proxy: Proxy;
let engine: Engine;
let server: LocalServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-gateway-conformance-'));
  upstream = await startScriptedModelServer(script, { apiKey: UPSTREAM_KEY, models: ['scripted-model', 'scripted-error'] });
  const origin = new URL(upstream.url).origin;
  store = openStore(path.join(dataDir, 'jetty.db'));
  proxy = createProxy({
    store,
    recordFlushMs: 5,
    env: {},
    endpoints: UPSTREAMS.map((wire) => ({ name: endpointName(wire), baseUrl: wire === 'chat-completions' || wire === 'responses' ? upstream.url : origin, apiKey: UPSTREAM_KEY, wire })),
  });
  engine = await createEngine({ dataDir: path.join(dataDir, 'engine'), env: {} });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: [chatCompletionsRoute({ passthrough: proxy }), ...gatewayRoutes(proxy)] });
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await engine?.close();
  store?.close();
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ToolUse {
  id: string;
  name: string;
  args: unknown;
}

/** One client SDK: ask (expecting the tool call), then answer with the tool's result (expecting text). */
interface Client {
  ask(model: string, stream: boolean): Promise<ToolUse>;
  answer(model: string, stream: boolean, call: ToolUse, result: string): Promise<string>;
}

const QUESTION = 'What is the weather in Paris?';
const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

function chatClient(): Client {
  const client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 });
  const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: WEATHER_SCHEMA } }];
  type Messages = OpenAI.Chat.ChatCompletionMessageParam[];
  async function complete(model: string, stream: boolean, messages: Messages) {
    if (!stream) {
      const c = await client.chat.completions.create({ model, messages, tools });
      const call = c.choices[0].message.tool_calls?.[0];
      return { text: c.choices[0].message.content ?? '', call: call?.type === 'function' ? { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) as unknown } : null };
    }
    let text = '';
    const call = { id: '', name: '', args: '' };
    for await (const chunk of await client.chat.completions.create({ model, messages, tools, stream: true })) {
      const delta = chunk.choices[0]?.delta;
      text += delta?.content ?? '';
      const t = delta?.tool_calls?.[0];
      call.id ||= t?.id ?? '';
      call.name += t?.function?.name ?? '';
      call.args += t?.function?.arguments ?? '';
    }
    return { text, call: call.name ? { id: call.id, name: call.name, args: JSON.parse(call.args) as unknown } : null };
  }
  return {
    ask: async (model, stream) => (await complete(model, stream, [{ role: 'user', content: QUESTION }])).call!,
    answer: async (model, stream, call, result) =>
      (
        await complete(model, stream, [
          { role: 'user', content: QUESTION },
          { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] },
          { role: 'tool', tool_call_id: call.id, content: result },
        ])
      ).text,
  };
}

function responsesClient(): Client {
  const client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 });
  const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'weather', parameters: WEATHER_SCHEMA, strict: false }];
  async function respond(model: string, stream: boolean, input: OpenAI.Responses.ResponseInput) {
    const response = stream ? await client.responses.stream({ model, input, tools }).finalResponse() : await client.responses.create({ model, input, tools });
    expect(response.status).toBe('completed');
    const output: OpenAI.Responses.ResponseOutputItem[] = response.output;
    const call = output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call');
    return { text: response.output_text, call: call ? { id: call.call_id, name: call.name, args: JSON.parse(call.arguments) as unknown } : null };
  }
  return {
    ask: async (model, stream) => (await respond(model, stream, [{ role: 'user', content: QUESTION }])).call!,
    answer: async (model, stream, call, result) =>
      (
        await respond(model, stream, [
          { role: 'user', content: QUESTION },
          { type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) },
          { type: 'function_call_output', call_id: call.id, output: result },
        ])
      ).text,
  };
}

function anthropicClient(): Client {
  const client = new Anthropic({ baseURL: server.origin, authToken: TOKEN, apiKey: null, maxRetries: 0 });
  const tools = [{ name: 'weather', input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema }];
  async function message(model: string, stream: boolean, messages: Anthropic.MessageParam[]) {
    const params = { model, max_tokens: 256, messages, tools };
    const m = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    const text = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const use = m.content.find((b) => b.type === 'tool_use');
    return { text, stop: m.stop_reason, call: use?.type === 'tool_use' ? { id: use.id, name: use.name, args: use.input } : null };
  }
  return {
    async ask(model, stream) {
      const m = await message(model, stream, [{ role: 'user', content: QUESTION }]);
      expect(m.stop).toBe('tool_use');
      return m.call!;
    },
    answer: async (model, stream, call, result) =>
      (
        await message(model, stream, [
          { role: 'user', content: QUESTION },
          { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: call.name, input: call.args }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: result }] },
        ])
      ).text,
  };
}

function geminiClient(): Client {
  const ai = new GoogleGenAI({ apiKey: 'unused-by-jetty', httpOptions: { baseUrl: server.origin, headers: { Authorization: `Bearer ${TOKEN}` } } });
  const config = { tools: [{ functionDeclarations: [{ name: 'weather', parametersJsonSchema: WEATHER_SCHEMA }] }] };
  type Contents = { role: string; parts: Record<string, unknown>[] }[];
  async function generate(model: string, stream: boolean, contents: Contents) {
    if (!stream) {
      const r = await ai.models.generateContent({ model, contents, config });
      const call = r.functionCalls?.[0];
      return { text: r.text ?? '', call: call ? { id: call.id ?? '', name: call.name ?? '', args: call.args } : null };
    }
    let text = '';
    let call: ToolUse | null = null;
    for await (const chunk of await ai.models.generateContentStream({ model, contents, config })) {
      text += chunk.text ?? '';
      const c = chunk.functionCalls?.[0];
      if (c) call = { id: c.id ?? '', name: c.name ?? '', args: c.args };
    }
    return { text, call };
  }
  return {
    ask: async (model, stream) => (await generate(model, stream, [{ role: 'user', parts: [{ text: QUESTION }] }])).call!,
    answer: async (model, stream, call, result) =>
      (
        await generate(model, stream, [
          { role: 'user', parts: [{ text: QUESTION }] },
          { role: 'model', parts: [{ functionCall: { name: call.name, args: call.args } }] },
          { role: 'user', parts: [{ functionResponse: { name: call.name, response: { output: result } } }] },
        ])
      ).text,
  };
}

const CLIENTS: Record<string, () => Client> = {
  'chat completions (openai)': chatClient,
  'Responses (openai)': responsesClient,
  'Anthropic Messages (@anthropic-ai/sdk)': anthropicClient,
  'Gemini (@google/genai)': geminiClient,
};

describe.each(Object.entries(CLIENTS))('the %s SDK through the gateway', (_name, makeClient) => {
  for (const wire of UPSTREAMS) {
    for (const stream of [false, true]) {
      it(`gets a tool call and then the answer from a ${wire} upstream, ${stream ? 'streaming' : 'not streaming'}`, async () => {
        const client = makeClient();
        const call = await client.ask(modelOf(wire), stream);
        expect(call).toMatchObject({ name: 'weather', args: { city: 'Paris' } });
        expect(await client.answer(modelOf(wire), stream, call, 'sunny, 24 °C')).toBe(ANSWER);
        // The upstream heard the tool result in its own API, with the provider's key (never the gateway token).
        const last = upstream.requests.at(-1)!;
        expect(JSON.stringify(last.body)).toContain('sunny, 24 °C');
        expect(JSON.stringify(last.headers)).toContain(UPSTREAM_KEY);
        expect(JSON.stringify(last.headers)).not.toContain(TOKEN);
      });
    }
  }
});

describe('errors through the gateway', () => {
  const errorModel = (u: Upstream) => `${endpointName(u)}/scripted-error`;

  it.each(UPSTREAMS)("passes a %s upstream's 429 to each SDK in its own error format", async (wire) => {
    const chat = await new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 }).chat.completions.create({ model: errorModel(wire), messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.RateLimitError);
    expect((chat as Error).message).toContain('slow down: quota reached');

    const responses = await new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 }).responses.create({ model: errorModel(wire), input: 'x' }).catch((e: unknown) => e);
    expect(responses).toBeInstanceOf(OpenAI.RateLimitError);

    const anthropic = await new Anthropic({ baseURL: server.origin, authToken: TOKEN, apiKey: null, maxRetries: 0 }).messages.create({ model: errorModel(wire), max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(anthropic).toBeInstanceOf(Anthropic.RateLimitError);
    expect((anthropic as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('slow down: quota reached') } });

    const ai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: server.origin, headers: { Authorization: `Bearer ${TOKEN}` } } });
    const gemini = await ai.models.generateContent({ model: errorModel(wire), contents: 'x' }).catch((e: unknown) => e);
    expect(gemini).toMatchObject({ status: 429 });
    expect(JSON.parse((gemini as Error).message)).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('slow down: quota reached') } });
  });

  it('answers an unknown provider in the caller\'s format', async () => {
    const anthropic = await new Anthropic({ baseURL: server.origin, authToken: TOKEN, apiKey: null, maxRetries: 0 }).messages.create({ model: 'nowhere/x', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(anthropic).toBeInstanceOf(Anthropic.BadRequestError);
    expect((anthropic as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('no provider for model "nowhere/x"') } });
  });
});

describe('GET /v1/models', () => {
  it('lists the models the configured providers offer, each named so it routes back to its provider', async () => {
    const list = await new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 }).models.list();
    // The scripted server lists its models in each API's way (a Bearer key, Anthropic's x-api-key, Gemini's model list).
    const ids = list.data.map((m) => m.id).sort();
    expect(ids).toEqual(['anthropic-messages', 'chat-completions', 'gemini', 'responses'].flatMap((wire) => [`up-${wire}/scripted-error`, `up-${wire}/scripted-model`]));
    expect(list.data.find((m) => m.id === modelOf('responses'))).toMatchObject({ object: 'model', owned_by: endpointName('responses') });
    const routed = await new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 }).chat.completions.create({ model: 'up-chat-completions/scripted-model', messages: [{ role: 'user', content: 'x' }] });
    expect(routed.choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'weather' } });
  });
});
