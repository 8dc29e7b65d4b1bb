// The client conformance suite: the Node clients people point at Jetty — openai,
// @anthropic-ai/sdk, @google/genai, the Vercel AI SDK (ai + @ai-sdk/openai) and
// @langchain/openai — each with its own auth header and defaults, against a real
// `jetty serve` (the built CLI) whose providers are the scripted model server. Each client ×
// feature (chat, streaming, tools, JSON mode, structured outputs, Responses, embeddings,
// token counts, model lists, errors, retries, a call translated to another provider's API)
// is one test; the matrix is printed at the end ("n/a": the client has no such feature).
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { GoogleGenAI, Type } from '@google/genai';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { tool as langchainTool } from '@langchain/core/tools';
import { APICallError, embed, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startJettyServe, type ServedJetty } from '../helpers/serve';
import { callTools, fail, reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer, type ScriptStep } from '../helpers/scripted-model-server';

const KEY = 'sk-provider-key-of-the-scripted-server';
const CITY = { city: 'Paris', temperature: 21 };
const FEATURES = ['chat', 'streaming', 'tools', 'json mode', 'structured outputs', 'responses', 'embeddings', 'token count', 'model list', 'errors', 'retries', 'translated'] as const;
type Feature = (typeof FEATURES)[number];

/** The text of the last user message (a string or text parts). */
function userText(request: ChatRequest): string {
  const user = request.messages.findLast((m) => m.role === 'user');
  const content = user?.content;
  return typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => ('text' in p ? p.text : '')).join('') : '';
}

/** Answers every client's calls by what they ask: a failure or a retry by a marker in the prompt, a tool call, JSON, or a greeting. */
function scriptFor(): (request: ChatRequest) => ScriptStep {
  const failedOnce = new Set<string>();
  return (request) => {
    const text = userText(request);
    if (text.includes('FAIL_400')) return fail(400, { message: 'the scripted provider refuses this request', errorType: 'invalid_request_error' });
    const retry = /RETRY_ONCE_\w+/.exec(text)?.[0];
    if (retry && !failedOnce.has(retry)) {
      failedOnce.add(retry);
      return fail(503, { retryAfterSeconds: 0 });
    }
    const last = request.messages.at(-1);
    if (last?.role === 'tool') return reply(`The weather in Paris: ${typeof last.content === 'string' ? last.content : 'sunny'}.`);
    if (request.tools?.length) {
      const first = request.tools[0];
      return callTools({ name: first.type === 'function' ? first.function.name : 'weather', arguments: CITY });
    }
    if (request.response_format && request.response_format.type !== 'text') return reply(JSON.stringify(CITY));
    return reply(`Hello from the scripted model: ${text.slice(0, 40)}`);
  };
}

describe('client conformance against jetty serve', () => {
  let upstream: ScriptedModelServer;
  let jetty: ServedJetty;
  const matrix = new Map<string, Map<Feature, 'pass' | 'n/a'>>();

  beforeAll(async () => {
    upstream = await startScriptedModelServer(scriptFor(), { apiKey: KEY, models: ['scripted-model', 'embed-model'] });
    const origin = upstream.url.replace(/\/v1$/, '');
    jetty = await startJettyServe('resources/examples', {
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: KEY, ANTHROPIC_BASE_URL: origin, ANTHROPIC_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: origin, GEMINI_API_KEY: KEY },
    });
  }, 60_000);

  afterAll(async () => {
    await jetty?.stop();
    await upstream?.close();
    const clients = [...matrix.keys()];
    const rows = clients.map((c) => `| ${c} | ${FEATURES.map((f) => (matrix.get(c)?.get(f) === 'pass' ? '✓' : matrix.get(c)?.get(f) === 'n/a' ? 'n/a' : '✗')).join(' | ')} |`);
    console.log(['', `| client | ${FEATURES.join(' | ')} |`, `|---|${FEATURES.map(() => '---|').join('')}`, ...rows].join('\n'));
  });

  type Cases = Partial<Record<Feature, (() => Promise<void>) | 'n/a'>>;

  function suite(client: string, cases: () => Cases) {
    describe(client, () => {
      const table = cases();
      for (const feature of FEATURES) {
        const run = table[feature];
        if (run === undefined) throw new Error(`${client}: no case for ${feature}`);
        if (run === 'n/a') {
          it.skip(`${feature} (the client has none)`, () => undefined);
          matrix.set(client, (matrix.get(client) ?? new Map()).set(feature, 'n/a'));
          continue;
        }
        it(feature, async () => {
          await run();
          matrix.set(client, (matrix.get(client) ?? new Map()).set(feature, 'pass'));
        }, 30_000);
      }
    });
  }

  const baseURL = () => `${jetty.origin}/v1`;

  suite('openai', () => {
    const client = (maxRetries = 0) => new OpenAI({ baseURL: baseURL(), apiKey: jetty.token, maxRetries });
    const weather = { type: 'function' as const, function: { name: 'weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
    return {
      chat: async () => {
        const done = await client().chat.completions.create({ model: 'openai/scripted-model', messages: [{ role: 'user', content: 'hi' }] });
        expect(done.choices[0].message.content).toBe('Hello from the scripted model: hi');
      },
      streaming: async () => {
        const stream = await client().chat.completions.create({ model: 'openai/scripted-model', stream: true, messages: [{ role: 'user', content: 'stream it' }] });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        expect(text).toBe('Hello from the scripted model: stream it');
      },
      tools: async () => {
        const first = await client().chat.completions.create({ model: 'openai/scripted-model', tools: [weather], messages: [{ role: 'user', content: 'weather?' }] });
        const call = first.choices[0].message.tool_calls?.[0];
        expect(call?.type === 'function' && call.function.name).toBe('weather');
        const second = await client().chat.completions.create({
          model: 'openai/scripted-model',
          messages: [{ role: 'user', content: 'weather?' }, first.choices[0].message, { role: 'tool', tool_call_id: call!.id, content: '21°C' }],
        });
        expect(second.choices[0].message.content).toBe('The weather in Paris: 21°C.');
      },
      'json mode': async () => {
        const done = await client().chat.completions.create({ model: 'openai/scripted-model', response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'json' }] });
        expect(JSON.parse(done.choices[0].message.content!)).toEqual(CITY);
      },
      'structured outputs': async () => {
        const schema = { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } }, required: ['city', 'temperature'], additionalProperties: false };
        const done = await client().chat.completions.create({ model: 'openai/scripted-model', response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } }, messages: [{ role: 'user', content: 'json' }] });
        expect(JSON.parse(done.choices[0].message.content!)).toEqual(CITY);
      },
      responses: async () => {
        const first = await client().responses.create({ model: 'openai/scripted-model', input: 'my name is Ada' });
        expect(first.output_text).toBe('Hello from the scripted model: my name is Ada');
        const second = await client().responses.create({ model: 'openai/scripted-model', previous_response_id: first.id, input: 'and again' });
        expect(second.output_text).toBe('Hello from the scripted model: and again');
        expect(upstream.requests.findLast((r) => r.path === '/v1/chat/completions')?.body?.messages).toHaveLength(3);
      },
      embeddings: async () => {
        // The SDK asks for base64 and decodes it.
        const done = await client().embeddings.create({ model: 'openai/embed-model', input: ['a', 'b'] });
        expect(done.data.map((d) => d.embedding.length)).toEqual([8, 8]);
      },
      'token count': 'n/a',
      'model list': async () => {
        const ids: string[] = [];
        for await (const m of client().models.list()) ids.push(m.id);
        expect(ids).toEqual(expect.arrayContaining(['openai/scripted-model', 'anthropic/embed-model']));
        expect((await client().models.retrieve('openai/scripted-model')).id).toBe('openai/scripted-model');
      },
      errors: async () => {
        const error = await client().chat.completions.create({ model: 'openai/scripted-model', messages: [{ role: 'user', content: 'FAIL_400' }] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('the scripted provider refuses this request');
        const auth = await new OpenAI({ baseURL: baseURL(), apiKey: 'wrong', maxRetries: 0 }).models.list().catch((e: unknown) => e);
        expect(auth).toBeInstanceOf(OpenAI.AuthenticationError);
      },
      retries: async () => {
        const done = await client(2).chat.completions.create({ model: 'openai/scripted-model', messages: [{ role: 'user', content: 'RETRY_ONCE_openai' }] });
        expect(done.choices[0].message.content).toContain('RETRY_ONCE_openai');
      },
      translated: async () => {
        const done = await client().chat.completions.create({ model: 'anthropic/scripted-model', messages: [{ role: 'user', content: 'via anthropic' }] });
        expect(done.choices[0].message.content).toBe('Hello from the scripted model: via anthropic');
      },
    };
  });

  suite('@anthropic-ai/sdk', () => {
    const client = (maxRetries = 0) => new Anthropic({ baseURL: jetty.origin, apiKey: jetty.token, maxRetries });
    const weather = { name: 'weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
    const text = (m: Anthropic.Message) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    return {
      chat: async () => {
        expect(text(await client().messages.create({ model: 'anthropic/scripted-model', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }))).toBe('Hello from the scripted model: hi');
      },
      streaming: async () => {
        const stream = client().messages.stream({ model: 'anthropic/scripted-model', max_tokens: 64, messages: [{ role: 'user', content: 'stream it' }] });
        let deltas = '';
        stream.on('text', (t) => (deltas += t));
        const final = await stream.finalMessage();
        expect(deltas).toBe('Hello from the scripted model: stream it');
        expect(final.stop_reason).toBe('end_turn');
      },
      tools: async () => {
        const first = await client().messages.create({ model: 'anthropic/scripted-model', max_tokens: 64, tools: [weather], messages: [{ role: 'user', content: 'weather?' }] });
        const use = first.content.find((b) => b.type === 'tool_use');
        expect(use?.type === 'tool_use' && use.name).toBe('weather');
        const second = await client().messages.create({
          model: 'anthropic/scripted-model',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use!.id, content: '21°C' }] }],
        });
        expect(text(second)).toBe('The weather in Paris: 21°C.');
      },
      'json mode': 'n/a',
      'structured outputs': 'n/a',
      responses: 'n/a',
      embeddings: 'n/a',
      'token count': async () => {
        const counted = await client().messages.countTokens({ model: 'anthropic/scripted-model', messages: [{ role: 'user', content: 'count these words' }] });
        expect(counted.input_tokens).toBeGreaterThan(0);
      },
      'model list': async () => {
        const ids: string[] = [];
        for await (const m of client().models.list()) ids.push(m.id);
        expect(ids).toContain('anthropic/scripted-model');
        expect((await client().models.retrieve('anthropic/scripted-model')).id).toBe('anthropic/scripted-model');
      },
      errors: async () => {
        const error = await client().messages.create({ model: 'anthropic/scripted-model', max_tokens: 64, messages: [{ role: 'user', content: 'FAIL_400' }] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Anthropic.BadRequestError);
        expect((error as Error).message).toContain('the scripted provider refuses this request');
        const auth = await new Anthropic({ baseURL: jetty.origin, apiKey: 'wrong', maxRetries: 0 }).messages.create({ model: 'anthropic/scripted-model', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
        expect(auth).toBeInstanceOf(Anthropic.AuthenticationError);
      },
      retries: async () => {
        expect(text(await client(2).messages.create({ model: 'anthropic/scripted-model', max_tokens: 64, messages: [{ role: 'user', content: 'RETRY_ONCE_anthropic' }] }))).toContain('RETRY_ONCE_anthropic');
      },
      translated: async () => {
        expect(text(await client().messages.create({ model: 'openai/scripted-model', max_tokens: 64, messages: [{ role: 'user', content: 'via openai' }] }))).toBe('Hello from the scripted model: via openai');
      },
    };
  });

  suite('@google/genai', () => {
    const client = (attempts = 1) => new GoogleGenAI({ apiKey: jetty.token, httpOptions: { baseUrl: jetty.origin, retryOptions: { attempts, initialDelay: 0.05, maxDelay: 0.2 } } });
    const schema = { type: Type.OBJECT, properties: { city: { type: Type.STRING }, temperature: { type: Type.NUMBER } }, required: ['city', 'temperature'] };
    return {
      chat: async () => {
        expect((await client().models.generateContent({ model: 'gemini/scripted-model', contents: 'hi' })).text).toBe('Hello from the scripted model: hi');
      },
      streaming: async () => {
        let text = '';
        for await (const chunk of await client().models.generateContentStream({ model: 'gemini/scripted-model', contents: 'stream it' })) text += chunk.text ?? '';
        expect(text).toBe('Hello from the scripted model: stream it');
      },
      tools: async () => {
        const done = await client().models.generateContent({
          model: 'gemini/scripted-model',
          contents: 'weather?',
          config: { tools: [{ functionDeclarations: [{ name: 'weather', description: 'The weather in a city', parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } } } }] }] },
        });
        expect(done.functionCalls?.[0]).toMatchObject({ name: 'weather', args: CITY });
      },
      'json mode': async () => {
        const done = await client().models.generateContent({ model: 'gemini/scripted-model', contents: 'json', config: { responseMimeType: 'application/json' } });
        expect(JSON.parse(done.text!)).toEqual(CITY);
      },
      'structured outputs': async () => {
        const done = await client().models.generateContent({ model: 'gemini/scripted-model', contents: 'json', config: { responseMimeType: 'application/json', responseSchema: schema } });
        expect(JSON.parse(done.text!)).toEqual(CITY);
      },
      responses: 'n/a',
      embeddings: async () => {
        const done = await client().models.embedContent({ model: 'gemini/embed-model', contents: ['a', 'b'] });
        expect(done.embeddings?.map((e) => e.values?.length)).toEqual([8, 8]);
      },
      'token count': async () => {
        expect((await client().models.countTokens({ model: 'gemini/scripted-model', contents: 'four words are here' })).totalTokens).toBeGreaterThan(0);
      },
      'model list': async () => {
        const names: string[] = [];
        for await (const m of await client().models.list()) names.push(m.name ?? '');
        expect(names).toContain('models/gemini/scripted-model');
      },
      errors: async () => {
        const error = await client().models.generateContent({ model: 'gemini/scripted-model', contents: 'FAIL_400' }).catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 400 });
        expect((error as Error).message).toContain('the scripted provider refuses this request');
        const auth = await new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: jetty.origin, retryOptions: { attempts: 1 } } }).models.generateContent({ model: 'gemini/scripted-model', contents: 'x' }).catch((e: unknown) => e);
        expect(auth).toMatchObject({ status: 401 });
      },
      retries: async () => {
        expect((await client(3).models.generateContent({ model: 'gemini/scripted-model', contents: 'RETRY_ONCE_genai' })).text).toContain('RETRY_ONCE_genai');
      },
      translated: async () => {
        expect((await client().models.generateContent({ model: 'openai/scripted-model', contents: 'via openai' })).text).toBe('Hello from the scripted model: via openai');
      },
    };
  });

  suite('Vercel AI SDK', () => {
    const provider = () => createOpenAI({ baseURL: baseURL(), apiKey: jetty.token });
    const weather = tool({ description: 'The weather in a city', inputSchema: z.object({ city: z.string() }), execute: async () => '21°C' });
    return {
      chat: async () => {
        expect((await generateText({ model: provider().chat('openai/scripted-model'), prompt: 'hi', maxRetries: 0 })).text).toBe('Hello from the scripted model: hi');
      },
      streaming: async () => {
        const result = streamText({ model: provider().chat('openai/scripted-model'), prompt: 'stream it', maxRetries: 0 });
        let text = '';
        for await (const delta of result.textStream) text += delta;
        expect(text).toBe('Hello from the scripted model: stream it');
      },
      tools: async () => {
        const done = await generateText({ model: provider().chat('openai/scripted-model'), prompt: 'weather?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0 });
        expect(done.text).toBe('The weather in Paris: 21°C.');
      },
      'json mode': async () => {
        // No schema: the SDK asks for a JSON object (response_format json_object).
        const done = await generateObject({ model: provider().chat('openai/scripted-model'), output: 'no-schema', prompt: 'json', maxRetries: 0 });
        expect(done.object).toEqual(CITY);
      },
      'structured outputs': async () => {
        const done = await generateObject({ model: provider().chat('openai/scripted-model'), schema: z.object({ city: z.string(), temperature: z.number() }), prompt: 'json', maxRetries: 0 });
        expect(done.object).toEqual(CITY);
      },
      responses: async () => {
        expect((await generateText({ model: provider().responses('openai/scripted-model'), prompt: 'via responses', maxRetries: 0 })).text).toBe('Hello from the scripted model: via responses');
      },
      embeddings: async () => {
        expect((await embed({ model: provider().embedding('openai/embed-model'), value: 'a', maxRetries: 0 })).embedding).toHaveLength(8);
      },
      'token count': 'n/a',
      'model list': 'n/a',
      errors: async () => {
        const error = await generateText({ model: provider().chat('openai/scripted-model'), prompt: 'FAIL_400', maxRetries: 0 }).catch((e: unknown) => e);
        expect(APICallError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ statusCode: 400, message: expect.stringContaining('the scripted provider refuses this request') });
      },
      retries: async () => {
        expect((await generateText({ model: provider().chat('openai/scripted-model'), prompt: 'RETRY_ONCE_vercel', maxRetries: 2 })).text).toContain('RETRY_ONCE_vercel');
      },
      translated: async () => {
        expect((await generateText({ model: provider().chat('gemini/scripted-model'), prompt: 'via gemini', maxRetries: 0 })).text).toBe('Hello from the scripted model: via gemini');
      },
    };
  });

  suite('@langchain/openai', () => {
    const chat = (maxRetries = 0, model = 'openai/scripted-model') => new ChatOpenAI({ model, apiKey: jetty.token, configuration: { baseURL: baseURL() }, maxRetries });
    const weather = langchainTool(async () => '21°C', { name: 'weather', description: 'The weather in a city', schema: z.object({ city: z.string() }) });
    return {
      chat: async () => {
        expect((await chat().invoke('hi')).content).toBe('Hello from the scripted model: hi');
      },
      streaming: async () => {
        let text = '';
        for await (const chunk of await chat().stream('stream it')) text += typeof chunk.content === 'string' ? chunk.content : '';
        expect(text).toBe('Hello from the scripted model: stream it');
      },
      tools: async () => {
        const done = await chat().bindTools([weather]).invoke('weather?');
        expect(done.tool_calls?.[0]).toMatchObject({ name: 'weather', args: CITY });
      },
      'json mode': async () => {
        const done = await chat().withConfig({ response_format: { type: 'json_object' } }).invoke('json');
        expect(JSON.parse(String(done.content))).toEqual(CITY);
      },
      'structured outputs': async () => {
        expect(await chat().withStructuredOutput(z.object({ city: z.string(), temperature: z.number() })).invoke('json')).toEqual(CITY);
      },
      responses: async () => {
        const responses = new ChatOpenAI({ model: 'openai/scripted-model', apiKey: jetty.token, configuration: { baseURL: baseURL() }, maxRetries: 0, useResponsesApi: true });
        const done = await responses.invoke('via responses');
        expect(done.text).toBe('Hello from the scripted model: via responses');
      },
      embeddings: async () => {
        const embeddings = new OpenAIEmbeddings({ model: 'openai/embed-model', apiKey: jetty.token, configuration: { baseURL: baseURL() }, maxRetries: 0 });
        expect(await embeddings.embedQuery('a')).toHaveLength(8);
      },
      'token count': 'n/a',
      'model list': 'n/a',
      errors: async () => {
        const error = await chat().invoke('FAIL_400').catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 400 });
        expect((error as Error).message).toContain('the scripted provider refuses this request');
      },
      retries: async () => {
        expect((await chat(2).invoke('RETRY_ONCE_langchain')).content).toContain('RETRY_ONCE_langchain');
      },
      translated: async () => {
        expect((await chat(0, 'anthropic/scripted-model').invoke('via anthropic')).content).toBe('Hello from the scripted model: via anthropic');
      },
    };
  });
});
