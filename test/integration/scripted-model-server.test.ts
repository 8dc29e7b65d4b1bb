import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI, { APIConnectionTimeoutError, AuthenticationError, BadRequestError, InternalServerError, RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callTools,
  fail,
  lastToolResult,
  reply,
  startScriptedModelServer,
  type ChatRequest,
  type Script,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from '../helpers/scripted-model-server';
import { loadScript } from '../helpers/scripted-model-scripts';

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: Script, options?: ScriptedModelServerOptions) {
  server = await startScriptedModelServer(script, options);
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: options?.apiKey ?? 'test-key', maxRetries: 0, timeout: 5000 }) };
}

const user = (content: string) => [{ role: 'user' as const, content }];

describe('scripted model server, through the official openai SDK', () => {
  it('answers a non-streaming request with tool calls, ids, finish reason and usage', async () => {
    const { client } = await start([callTools({ name: 'bash', arguments: { command: 'ls /app' } })]);
    const completion = await client.chat.completions.create({ model: 'any-model', messages: user('list files') });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls?.[0];
    expect(call?.id).toMatch(/^call_[a-zA-Z0-9]{24}$/);
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ command: 'ls /app' });
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
    expect(completion.model).toBe('any-model');
  });

  it('streams content in several deltas, tool calls the way OpenAI does, and usage last', async () => {
    const { client, server } = await start([
      { type: 'reply', content: 'Let me look at the folder first.', toolCalls: [{ name: 'bash', arguments: { command: 'ls -la /app/results' } }, { name: 'read_file', arguments: { path: '/app/a.txt' } }] },
    ]);
    const stream = await client.chat.completions.create({ model: 'm', messages: user('go'), stream: true, stream_options: { include_usage: true } });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const contentDeltas = chunks.map((c) => c.choices[0]?.delta.content).filter(Boolean);
    expect(contentDeltas.length).toBeGreaterThan(3);
    expect(contentDeltas.join('')).toBe('Let me look at the folder first.');
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    const opening = toolDeltas.filter((d) => d.id);
    expect(opening.map((d) => [d.index, d.type, d.function?.name, d.function?.arguments])).toEqual([
      [0, 'function', 'bash', ''],
      [1, 'function', 'read_file', ''],
    ]);
    const fragments = toolDeltas.filter((d) => !d.id);
    expect(fragments.every((d) => d.function?.name === undefined && d.function?.arguments)).toBe(true);
    expect(fragments.filter((d) => d.index === 0).length).toBeGreaterThan(2);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('tool_calls');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(server.requests[0].body?.stream).toBe(true);
  });

  it("is assembled correctly by the SDK's own stream helper", async () => {
    const { client } = await start([callTools({ name: 'write_file', arguments: { path: '/app/results/x.json', content: '{"a": [1, 2, 3]}' } })]);
    const final = await client.chat.completions.stream({ model: 'm', messages: user('write') }).finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('write_file');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ path: '/app/results/x.json', content: '{"a": [1, 2, 3]}' });
  });

  it('omits usage from a stream unless stream_options.include_usage is set', async () => {
    const { client } = await start([reply('hi there')]);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'm', messages: user('hi'), stream: true })) chunks.push(chunk);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  it('rejects invalid requests with 400 in OpenAI error shape, without consuming a step', async () => {
    const { client, server } = await start([reply('ok')]);
    const missingModel = client.chat.completions.create({ model: '', messages: user('x') });
    await expect(missingModel).rejects.toBeInstanceOf(BadRequestError);
    await expect(missingModel).rejects.toThrow(/you must provide a model parameter/);
    const orphanTool = client.chat.completions.create({ model: 'm', messages: [...user('x'), { role: 'tool', tool_call_id: 'call_1', content: 'out' }] });
    await expect(orphanTool).rejects.toThrow(/must be a response to a preceeding message with 'tool_calls'/);
    const unanswered = client.chat.completions.create({
      model: 'm',
      messages: [...user('x'), { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'bash', arguments: '{}' } }] }],
    });
    await expect(unanswered).rejects.toThrow(/did not have response messages: call_9/);
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "m", "stream_options": {}, "messages": [{"role":"user","content":"x"}]}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message: expect.stringMatching(/stream_options/), type: 'invalid_request_error', param: 'stream_options', code: null } });
    expect((await client.chat.completions.create({ model: 'm', messages: user('x') })).choices[0].message.content).toBe('ok');
  });

  it('injects 429 with retry-after and 500 errors', async () => {
    const { client } = await start([fail(429, { retryAfterSeconds: 7 }), fail(500)]);
    const limited = await client.chat.completions.create({ model: 'm', messages: user('x') }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('7');
    expect((limited as RateLimitError).code).toBe('rate_limit_exceeded');
    await expect(client.chat.completions.create({ model: 'm', messages: user('x') })).rejects.toBeInstanceOf(InternalServerError);
  });

  it('injects a hang and a connection reset mid-stream', async () => {
    const { client } = await start([{ type: 'hang' }, { type: 'reset', partialContent: 'I will start by' }]);
    const hung = client.chat.completions.create({ model: 'm', messages: user('x') }, { timeout: 300 });
    await expect(hung).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    const stream = await client.chat.completions.create({ model: 'm', messages: user('x'), stream: true });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(received.join('')).toBe('I will start by');
  });

  it('lets a script function react to tool results, and records every request', async () => {
    const { client, server } = await start((request, turn) => (turn === 0 ? callTools({ name: 'bash', arguments: { command: 'pwd' } }) : reply(`you said ${lastToolResult(request)}`)));
    const first = await client.chat.completions.create({ model: 'm', messages: user('where?') });
    const call = first.choices[0].message.tool_calls![0];
    const second = await client.chat.completions.create({
      model: 'm',
      messages: [...user('where?'), first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '/app' }],
    });
    expect(second.choices[0].message.content).toBe('you said /app');
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/v1/chat/completions'],
      ['POST', '/v1/chat/completions'],
    ]);
    expect(server.requests[1].body?.messages).toHaveLength(3);
  });

  it('answers 500 with a clear message once a step list is exhausted', async () => {
    const { client } = await start([reply('one')]);
    await client.chat.completions.create({ model: 'm', messages: user('x') });
    await expect(client.chat.completions.create({ model: 'm', messages: user('x') })).rejects.toThrow(/script exhausted \(it has 1 steps, this is request 2\)/);
  });

  it('lists models, and checks the API key and model name when configured', async () => {
    const { client } = await start([reply('ok')], { apiKey: 'sk-right', models: ['model-a'] });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['model-a']);
    await expect(client.chat.completions.create({ model: 'model-b', messages: user('x') })).rejects.toThrow(/model `model-b` does not exist/);
    const wrongKey = new OpenAI({ baseURL: server!.url, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrongKey.chat.completions.create({ model: 'model-a', messages: user('x') })).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('loads scripts from JSON files, and names the choices for an unknown one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scripted-'));
    const file = path.join(dir, 'script.json');
    await writeFile(file, JSON.stringify({ steps: [{ type: 'reply', content: 'from a file' }] }));
    const { client } = await start(await loadScript(file));
    expect((await client.chat.completions.create({ model: 'm', messages: user('x') })).choices[0].message.content).toBe('from a file');
    await writeFile(file, '{"turns": []}');
    await expect(loadScript(file)).rejects.toThrow(/expected a JSON array of steps or \{"steps": \[...\]\}/);
    await expect(loadScript('nope')).rejects.toThrow(/unknown script 'nope': use one of hello-report, echo/);
    await rm(dir, { recursive: true });
  });

  it('runs standalone with a named script and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/scripted-model-server.ts', '--port', '0', '--script', 'hello-report'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          output += s;
          const match = /listening on (\S+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
      });
      const client = new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });
      const first = await client.chat.completions.create({ model: 'm', messages: user('run the runbook') });
      const call = first.choices[0].message.tool_calls?.[0];
      expect(call?.type === 'function' && call.function.name).toBe('bash');
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    }
  });
});

describe("scripted model server, in Anthropic's Messages format", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  type Body = any;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url.replace(/\/v1$/, '/v1/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01', ...headers },
      body: JSON.stringify(body),
    });
  const conversation = {
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'You run runbooks.' }],
    tools: [{ name: 'Bash', description: 'run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    messages: [
      { role: 'user', content: 'list files' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a.txt' }] }] },
    ],
  };

  it('reads the request into the chat shape scripts see, and answers a message with text and tool_use blocks', async () => {
    const seen: ChatRequest[] = [];
    server = await startScriptedModelServer([(request) => (seen.push(request), callTools({ name: 'Bash', arguments: { command: 'cat a.txt' } }))], { apiKey: 'sk-ant' });
    const res = await post(server.url, conversation);
    expect(res.status).toBe(200);
    const message: Body = await res.json();
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'Bash', input: { command: 'cat a.txt' } }] });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content[0].id).toMatch(/^toolu_/);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(seen[0].messages).toEqual([
      { role: 'system', content: 'You run runbooks.' },
      { role: 'user', content: 'list files' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'a.txt' },
    ]);
    expect(lastToolResult(seen[0])).toBe('a.txt');
  });

  it('streams the named events with text deltas, and refuses a bad key, a bad body and scripted errors in its error shape', async () => {
    server = await startScriptedModelServer([reply('Hello there, runbook'), fail(429, { retryAfterSeconds: 2 })], { apiKey: 'sk-ant' });
    expect(await (await post(server.url, conversation, { 'x-api-key': 'wrong' })).json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    const bad = await post(server.url, { ...conversation, max_tokens: undefined });
    expect([bad.status, ((await bad.json()) as Body).error]).toEqual([400, { type: 'invalid_request_error', message: 'max_tokens: Field required' }]);

    const stream = await (await post(server.url, { ...conversation, stream: true })).text();
    const events = [...stream.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(1);
    const text = [...stream.matchAll(/"text_delta","text":"([^"]*)"/g)].map((m) => m[1]).join('');
    expect(text).toBe('Hello there, runbook');

    const limited = await post(server.url, conversation);
    expect([limited.status, limited.headers.get('retry-after'), ((await limited.json()) as Body).error.type]).toEqual([429, '2', 'rate_limit_error']);
  });
});

describe('scripted model server, in the OpenAI Responses format, through the official openai SDK', () => {
  const tools = [{ type: 'function' as const, name: 'shell', description: 'run a command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } } }];

  it('answers responses.create with function calls, hands scripts the chat shape, and reads function_call_output back', async () => {
    const seen: ChatRequest[] = [];
    const { client } = await start((request, turn) => {
      seen.push(request);
      return turn === 0 ? callTools({ name: 'shell', arguments: { command: ['ls', '/app'] } }) : reply(`saw ${lastToolResult(request)}`);
    });
    const first = await client.responses.create({ model: 'gpt-5.4', instructions: 'You are codex.', input: 'list files', tools });
    expect(first).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-5.4' });
    expect(first.id).toMatch(/^resp_/);
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && [call.name, JSON.parse(call.arguments), call.call_id.startsWith('call_')]).toEqual(['shell', { command: ['ls', '/app'] }, true]);
    expect(first.usage?.total_tokens).toBe((first.usage?.input_tokens ?? 0) + (first.usage?.output_tokens ?? 0));
    expect(seen[0].messages).toEqual([
      { role: 'system', content: 'You are codex.' },
      { role: 'user', content: 'list files' },
    ]);
    expect(seen[0].tools?.[0]).toMatchObject({ type: 'function', function: { name: 'shell' } });

    const second = await client.responses.create({
      model: 'gpt-5.4',
      input: [
        { role: 'user', content: 'list files' },
        ...(first.output as ResponseInputItem[]),
        { type: 'function_call_output', call_id: call!.type === 'function_call' ? call!.call_id : '', output: 'a.txt b.txt' },
      ],
      tools,
    });
    expect(second.output_text).toBe('saw a.txt b.txt');
  });

  it('streams the named events with sequence numbers, text in several deltas and arguments in fragments; the SDK assembles them', async () => {
    const { client } = await start([
      { type: 'reply', content: 'Looking at the folder now.', toolCalls: [{ name: 'shell', arguments: { command: ['ls', '-la', '/app/results'] } }] },
      callTools({ name: 'shell', arguments: { command: ['cat', 'x.json'] } }),
    ]);
    const events: ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'gpt-5.4', input: 'go', tools, stream: true })) events.push(event);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types.at(-1)).toBe('response.completed');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(types.filter((t) => t === 'response.output_item.added')).toHaveLength(2);
    expect(types.filter((t) => t === 'response.output_item.done')).toHaveLength(2);
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(text.length).toBeGreaterThan(2);
    expect(text.join('')).toBe('Looking at the folder now.');
    const fragments = events.flatMap((e) => (e.type === 'response.function_call_arguments.delta' ? [e.delta] : []));
    expect(fragments.length).toBeGreaterThan(2);
    expect(JSON.parse(fragments.join(''))).toEqual({ command: ['ls', '-la', '/app/results'] });
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage?.output_tokens).toBeGreaterThan(0);

    const final = await client.responses.stream({ model: 'gpt-5.4', input: 'again', tools }).finalResponse();
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ command: ['cat', 'x.json'] });
  });

  it('refuses a bad body and passes scripted errors in OpenAI’s shape', async () => {
    const { client, server } = await start([fail(429, { retryAfterSeconds: 3 }), fail(500)]);
    const res = await fetch(`${server.url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' }, body: '{"model": "m"}' });
    expect([res.status, ((await res.json()) as { error: { type: string } }).error.type]).toEqual([400, 'invalid_request_error']);
    const limited = await client.responses.create({ model: 'm', input: 'x' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('3');
    await expect(client.responses.create({ model: 'm', input: 'x', stream: true })).rejects.toBeInstanceOf(InternalServerError);
  });

  it('drops the connection mid-stream after part of the text', async () => {
    const { client } = await start([{ type: 'reset', partialContent: 'I will start by' }]);
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const event of await client.responses.create({ model: 'm', input: 'x', stream: true })) if (event.type === 'response.output_text.delta') received.push(event.delta);
      })(),
    ).rejects.toThrow();
    expect(received.join('')).toBe('I will start by');
  });
});

describe('scripted model server, in the Gemini format (as gemini-cli calls it)', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  type Body = any;
  const call = (url: string, method: string, body: unknown, key = 'g-key') =>
    fetch(`${url.replace(/\/v1$/, '')}/v1beta/models/gemini-3.1-pro-preview:${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': key }, body: JSON.stringify(body) });
  const request = {
    systemInstruction: { parts: [{ text: 'You run runbooks.' }] },
    tools: [{ functionDeclarations: [{ name: 'run_shell_command', description: 'run', parametersJsonSchema: { type: 'object', properties: { command: { type: 'string' } } } }] }],
    contents: [
      { role: 'user', parts: [{ text: 'list files' }] },
      { role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'ls' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'run_shell_command-1-abc', name: 'run_shell_command', response: { output: 'a.txt' } } }] },
    ],
    generationConfig: { temperature: 0, topP: 1 },
  };

  it('reads contents into the chat shape scripts see, and answers generateContent with functionCall parts and usage', async () => {
    const seen: ChatRequest[] = [];
    server = await startScriptedModelServer([(r) => (seen.push(r), callTools({ name: 'run_shell_command', arguments: { command: 'cat a.txt' } }))], { apiKey: 'g-key' });
    const res = await call(server.url, 'generateContent', request);
    expect(res.status).toBe(200);
    const body: Body = await res.json();
    expect(body.candidates[0]).toMatchObject({ content: { role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'cat a.txt' } } }] }, finishReason: 'STOP' });
    expect(body.usageMetadata.totalTokenCount).toBe(body.usageMetadata.promptTokenCount + body.usageMetadata.candidatesTokenCount);
    expect(seen[0].model).toBe('gemini-3.1-pro-preview');
    expect(seen[0].messages).toEqual([
      { role: 'system', content: 'You run runbooks.' },
      { role: 'user', content: 'list files' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'run_shell_command', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'call_1_0', content: 'a.txt' },
    ]);
  });

  it('streams streamGenerateContent?alt=sse as chunks of parts, the last with finishReason and usage; errors in Gemini’s shape', async () => {
    server = await startScriptedModelServer([reply('Hello there from the scripted model'), fail(429)], { apiKey: 'g-key' });
    const wrong = await call(server.url, 'generateContent', request, 'nope');
    expect([wrong.status, ((await wrong.json()) as Body).error.status]).toEqual([401, 'UNAUTHENTICATED']);
    const bad = await call(server.url, 'generateContent', { contents: [] });
    expect([bad.status, ((await bad.json()) as Body).error.status]).toEqual([400, 'INVALID_ARGUMENT']);

    const res = await call(server.url, 'streamGenerateContent?alt=sse', request);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const chunks: Body[] = [...(await res.text()).matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.candidates[0].content.parts.map((p: Body) => p.text).join('')).join('')).toBe('Hello there from the scripted model');
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined && c.usageMetadata === undefined)).toBe(true);
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
    expect(chunks.at(-1).usageMetadata.candidatesTokenCount).toBeGreaterThan(0);

    const limited = await call(server.url, 'generateContent', request);
    expect([limited.status, ((await limited.json()) as Body).error]).toEqual([429, { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' }]);
  });
});
