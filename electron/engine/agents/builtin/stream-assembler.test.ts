import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { createStreamAssembler } from './stream-assembler';

const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('stream assembler', () => {
  it('joins content, assembles tool calls by index even when interleaved, and keeps the final usage', () => {
    const assembler = createStreamAssembler();
    [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Two ' }),
      chunk({ content: 'calls.' }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'bash', arguments: '{"comm' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"path":"/app/x"}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'and":"ls"}' } }] }),
      chunk({}, 'tool_calls'),
      { ...chunk({}), choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
    ].forEach((c) => assembler.add(c));
    expect(assembler.result()).toEqual({
      content: 'Two calls.',
      toolCalls: [
        { id: 'call_a', name: 'bash', arguments: '{"command":"ls"}' },
        { id: 'call_b', name: 'read_file', arguments: '{"path":"/app/x"}' },
      ],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });

  it('reports no content (null) for a tool-only answer and no usage when none was sent', () => {
    const assembler = createStreamAssembler();
    assembler.add(chunk({ role: 'assistant', content: '' }));
    assembler.add(chunk({}, 'stop'));
    expect(assembler.result()).toEqual({ content: null, toolCalls: [], finishReason: 'stop', usage: null });
  });
});
