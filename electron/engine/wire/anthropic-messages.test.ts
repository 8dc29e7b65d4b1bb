/** Anthropic Messages as claude-code speaks it, translated for a chat-completions upstream, and Anthropic's usage. */
import { describe, expect, it } from 'vitest';
import { WIRE_APIS } from '.';
import { assembleEvents } from './stream';

describe('claude-code (Messages) against a chat-completions upstream', () => {
  it('turns system blocks, tool_use/tool_result turns and disable_parallel_tool_use into the chat request', () => {
    const request = {
      model: 'claude-sonnet-4-6',
      max_tokens: 32000,
      system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Runbook: …' }],
      tools: [{ name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'list files' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'Listing.' }, { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a.txt' }] }, { type: 'text', text: 'go on' }] },
      ],
      stream: true,
    };
    const chat = WIRE_APIS['chat-completions'].encodeRequest(WIRE_APIS['anthropic-messages'].decodeRequest(request));
    expect(chat).toMatchObject({
      messages: [
        { role: 'system', content: 'You are Claude Code.\n\nRunbook: …' },
        { role: 'user', content: 'list files' },
        { role: 'assistant', content: 'Listing.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'a.txt' },
        { role: 'user', content: 'go on' },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_completion_tokens: 32000,
    });
  });

  it('counts cache reads and writes into the input, from message_start and message_delta', () => {
    const frame = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const sse = [
      frame('message_start', { message: { id: 'msg_1', model: 'claude-sonnet-4-6', usage: { input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 3000, output_tokens: 1 } } }),
      frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hi' } }),
      frame('content_block_stop', { index: 0 }),
      frame('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 42 } }),
      frame('message_stop', {}),
    ].join('');
    const decoder = WIRE_APIS['anthropic-messages'].streamDecoder();
    const { response } = assembleEvents([...decoder.push(sse), ...decoder.end()]);
    expect(response.usage).toEqual({ inputTokens: 3210, outputTokens: 42, cachedInputTokens: 3000, cacheWriteTokens: 200, reasoningTokens: 0 });
    expect(WIRE_APIS['chat-completions'].encodeResponse(response).usage).toMatchObject({ prompt_tokens: 3210, completion_tokens: 42, total_tokens: 3252, prompt_tokens_details: { cached_tokens: 3000 } });
  });
});
