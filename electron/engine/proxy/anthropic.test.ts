import { describe, expect, it } from 'vitest';
import { toAnthropicRequest, DEFAULT_MAX_TOKENS } from './anthropic-request';
import { AnthropicStreamTranslator, fromAnthropicMessage } from './anthropic-response';
import { assembleStream } from './stream-assembly';

const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

describe('OpenAI → Anthropic request', () => {
  it('moves system text out, merges tool results into one user turn, and maps tools', () => {
    const out = toAnthropicRequest(
      {
        model: 'anthropic/claude-x',
        stop: 'END',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'weather?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'w', arguments: '{"c":"P"}' } }] },
          { role: 'tool', tool_call_id: 't1', content: 'sunny' },
          { role: 'user', content: 'thanks' },
        ],
        tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
        tool_choice: 'required',
      },
      'claude-x',
    );
    expect(out).toMatchObject({ model: 'claude-x', system: 'Be brief.', max_tokens: DEFAULT_MAX_TOKENS, stop_sequences: ['END'] });
    expect(out.tools).toEqual([{ name: 'w', input_schema: { type: 'object' } }]);
    expect(out.tool_choice).toEqual({ type: 'any' });
    const messages = out.messages as { role: string; content: Record<string, unknown>[] }[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } });
    expect(messages[1].content[0]).toEqual({ type: 'tool_use', id: 't1', name: 'w', input: { c: 'P' } });
    expect(messages[2].content).toEqual([{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }, { type: 'text', text: 'thanks' }]);
  });
});

describe('Anthropic → OpenAI response', () => {
  it('translates a whole message with a tool call and usage', () => {
    const out = fromAnthropicMessage(
      { id: 'msg_1', content: [{ type: 'tool_use', id: 'tu', name: 'w', input: { c: 'P' } }], stop_reason: 'tool_use', usage: { input_tokens: 3, cache_read_input_tokens: 20, output_tokens: 4 } },
      'claude-x',
    );
    expect(out).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: null, tool_calls: [{ id: 'tu', function: { name: 'w', arguments: '{"c":"P"}' } }] }, finish_reason: 'tool_calls' }],
      // Cached input counts in prompt_tokens, as OpenAI counts it.
      usage: { prompt_tokens: 23, completion_tokens: 4, total_tokens: 27 },
    });
  });

  it('translates a stream split at arbitrary byte boundaries into chunks that reassemble', () => {
    const stream =
      sse('message_start', { message: { id: 'msg_1', usage: { input_tokens: 5, cache_creation_input_tokens: 100 } } }) +
      sse('ping', {}) +
      sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hé ' } }) +
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'there' } }) +
      sse('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'tu', name: 'w' } }) +
      sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"c":' } }) +
      sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"P"}' } }) +
      sse('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) +
      sse('message_stop', {});
    const bytes = Buffer.from(stream);
    const translator = new AnthropicStreamTranslator('claude-x', true);
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) out.push(Buffer.from(translator.push(bytes.subarray(i, i + 7))));
    out.push(Buffer.from(translator.end()));
    const text = Buffer.concat(out).toString();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const assembled = assembleStream(out);
    expect(assembled).toMatchObject({
      id: 'msg_1',
      content: 'Hé there',
      finish_reason: 'tool_calls',
      tool_calls: [{ id: 'tu', function: { name: 'w', arguments: '{"c":"P"}' } }],
      usage: { prompt_tokens: 105, completion_tokens: 9, total_tokens: 114 },
    });
  });
});
