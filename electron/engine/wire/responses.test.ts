/** Responses as codex speaks it, translated for an upstream that only has chat completions. */
import { describe, expect, it } from 'vitest';
import { WIRE_APIS } from '.';
import { parseJson, type Json, type StreamEvent } from './internal';
import { assembleEvents } from './stream';
import { translationFor } from './translation';

/** A request as codex sends it (body keys from agent-clis.md), mid-task: one shell call answered. */
const codexRequest = {
  model: 'gpt-5.4',
  instructions: 'You are Codex, a coding agent.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>danger-full-access</permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List /app.' }] },
    { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA…' },
    { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls","/app"]}' },
    { type: 'function_call_output', call_id: 'call_1', output: 'a.txt\nb.txt' },
  ],
  tools: [
    { type: 'function', name: 'shell', description: 'Runs a shell command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] } },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'medium', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'thread-1',
  text: { verbosity: 'medium' },
};

describe('codex (Responses) against a chat-completions-only upstream', () => {
  it('turns the Responses request into the chat request that carries the same conversation and tools', () => {
    const chat = WIRE_APIS['chat-completions'].encodeRequest(WIRE_APIS.responses.decodeRequest(codexRequest));
    expect(chat).toEqual({
      model: 'gpt-5.4',
      messages: [
        { role: 'system', content: 'You are Codex, a coding agent.\n\n<permissions>danger-full-access</permissions>' },
        { role: 'user', content: 'List /app.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls","/app"]}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a.txt\nb.txt' },
      ],
      tools: [{ type: 'function', function: { name: 'shell', description: 'Runs a shell command', parameters: codexRequest.tools[0].parameters } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('turns the upstream chat stream into the Responses events codex waits for, ending in response.completed with usage', () => {
    const upstream = [
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { reasoning_content: 'Need to read a.txt' } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { content: 'Reading it.' } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_2', type: 'function', function: { name: 'shell', arguments: '' } }] } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '["cat","a.txt"]}' } }] } }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { id: 'chatcmpl-1', model: 'qwen3', choices: [], usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 8 } } },
    ];
    const sse = `${upstream.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
    const decoder = WIRE_APIS['chat-completions'].streamDecoder();
    const encoder = WIRE_APIS.responses.streamEncoder();
    const out = [...decoder.push(sse), ...decoder.end()].map((e) => encoder.push(e)).join('') + encoder.end();
    const events = [...out.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => ({ name: m[1], data: parseJson(m[2]) as Json }));
    expect(events.map((e) => e.name)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.every((e) => e.data.type === e.name)).toBe(true);
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    const completed = events.at(-1)!.data.response as Json;
    expect(completed.usage).toEqual({ input_tokens: 120, input_tokens_details: { cached_tokens: 100 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 8 }, total_tokens: 150 });
    expect((completed.output as Json[]).map((item) => [item.type, item.id])).toEqual([
      ['reasoning', 'rs_chatcmpl-1_0'],
      ['message', 'msg_chatcmpl-1_1'],
      ['function_call', 'fc_2'],
    ]);
    expect(WIRE_APIS.responses.decodeResponse(completed)).toMatchObject({ text: 'Reading it.', reasoning: 'Need to read a.txt', finishReason: 'tool_calls', toolCalls: [{ id: 'call_2', name: 'shell', arguments: '{"command":["cat","a.txt"]}' }] });
  });

  it('reads a stream that sends only output_item.done (no deltas), as some servers do', () => {
    const frame = (type: string, fields: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
    const sse = [
      frame('response.created', { response: { id: 'resp_1', model: 'm', status: 'in_progress', output: [] } }),
      frame('response.output_item.done', { output_index: 0, item: { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] } }),
      frame('response.output_item.done', { output_index: 1, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' } }),
      frame('response.completed', { response: { id: 'resp_1', status: 'completed', output: [] } }),
    ].join('');
    const decoder = WIRE_APIS.responses.streamDecoder();
    const events: StreamEvent[] = [...decoder.push(sse), ...decoder.end()];
    expect(assembleEvents(events).response).toEqual({ id: 'resp_1', model: 'm', text: 'done', toolCalls: [{ id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' }], finishReason: 'tool_calls' });
  });

  it('passes a provider error to codex as response.failed, and a whole error in OpenAI’s shape and status', () => {
    const anthropicOverloaded = WIRE_APIS['anthropic-messages'].decodeError(529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(WIRE_APIS.responses.encodeError(anthropicOverloaded)).toEqual({ status: 503, body: { error: { message: 'Overloaded', type: 'server_error', param: null, code: null } } });
    const encoder = WIRE_APIS.responses.streamEncoder();
    const out = encoder.push({ type: 'start', id: 'resp_1', model: 'm' }) + encoder.push({ type: 'error', error: anthropicOverloaded }) + encoder.end();
    expect([...out.matchAll(/^event: (\S+)$/gm)].map((m) => m[1])).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
  });

  it("carries codex's namespaced MCP tools across: offered as <namespace>__<name>, a call of one going back naming its namespace (whole and streamed)", () => {
    const body = {
      model: 'qwen3',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Echo hi.' }] },
        { type: 'function_call', call_id: 'call_1', namespace: 'mcp__probe', name: 'echo', arguments: '{"text":"a"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'echo: a' },
      ],
      tools: [
        { type: 'function', name: 'exec_command', parameters: { type: 'object', properties: {} } },
        { type: 'namespace', name: 'mcp__probe', description: 'Tools in the mcp__probe namespace.', tools: [{ type: 'function', name: 'echo', description: 'Echoes.', parameters: { type: 'object', properties: { text: { type: 'string' } } } }] },
      ],
    };
    const translation = translationFor('responses', 'chat-completions').forRequest(body);
    const chat = JSON.parse(translation.requestBody(body, 'qwen3', false)) as Json;
    expect((chat.tools as Json[]).map((t) => (t.function as Json).name)).toEqual(['exec_command', 'mcp__probe__echo']);
    expect((chat.messages as Json[])[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'mcp__probe__echo' } }] });

    const call = { id: 'call_2', type: 'function', function: { name: 'mcp__probe__echo', arguments: '{"text":"hi"}' } };
    const whole = { id: 'chatcmpl-2', object: 'chat.completion', created: 1, model: 'qwen3', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [call] } }] };
    const output = (JSON.parse(translation.response(Buffer.from(JSON.stringify(whole)))!.toString()) as Json).output as Json[];
    expect(output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_2', namespace: 'mcp__probe', name: 'echo', arguments: '{"text":"hi"}' })]);

    let streamed = '';
    const stream = translation.stream({ includeUsage: false, sink: (text) => (streamed += text) })!;
    const chunks = [
      { id: 'chatcmpl-3', model: 'qwen3', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...call }] } }] },
      { id: 'chatcmpl-3', model: 'qwen3', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ];
    stream.push(Buffer.from(`${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`));
    streamed += stream.end();
    const done = [...streamed.matchAll(/^data: (.*)$/gm)].map((m) => parseJson(m[1]) as Json).filter((e) => e.type === 'response.output_item.done');
    expect(done.map((e) => e.item)).toEqual([expect.objectContaining({ type: 'function_call', namespace: 'mcp__probe', name: 'echo' })]);
    // A call without namespaces in its request: a plain function call, as before.
    expect(translationFor('responses', 'chat-completions').forRequest({ ...body, tools: [] }).response(Buffer.from(JSON.stringify(whole)))!.toString()).toContain('"name":"mcp__probe__echo"');
  });
});
