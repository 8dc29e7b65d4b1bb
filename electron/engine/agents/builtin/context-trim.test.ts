import fc from 'fast-check';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { messageSize, trimContext } from './context-trim';

const head: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'system prompt' },
  { role: 'user', content: 'the task' },
];

/** A conversation after the head: turns of text, or tool calls each answered by its result. */
const turnArb = fc.oneof(
  fc.string({ maxLength: 300 }).map((text): ChatCompletionMessageParam[] => [{ role: 'assistant', content: text || '.' }]),
  fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 3 }).map((outputs): ChatCompletionMessageParam[] => {
    const ids = outputs.map(() => `call_${Math.random().toString(36).slice(2)}`);
    return [
      { role: 'assistant', content: null, tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'bash', arguments: '{}' } })) },
      ...outputs.map((content, i): ChatCompletionMessageParam => ({ role: 'tool', tool_call_id: ids[i], content })),
    ];
  }),
);

/** Every tool message answers the assistant message just before its run of tool messages, and every call is answered. */
function pairsIntact(messages: ChatCompletionMessageParam[]): boolean {
  let open: Set<string> | null = null;
  for (const m of messages) {
    if (m.role === 'tool') {
      if (!open?.delete(m.tool_call_id)) return false;
      continue;
    }
    if (open && open.size > 0) return false;
    open = m.role === 'assistant' && m.tool_calls ? new Set(m.tool_calls.map((c) => c.id)) : null;
  }
  return !open || open.size === 0;
}

const size = (ms: ChatCompletionMessageParam[]) => ms.reduce((n, m) => n + messageSize(m), 0);

describe('trimContext', () => {
  it('returns the messages unchanged when they fit', () => {
    const messages = [...head, { role: 'assistant' as const, content: 'short' }];
    expect(trimContext(messages, 10_000)).toBe(messages);
  });

  it('keeps the head and the newest turns, never splitting a tool call from its results', () => {
    fc.assert(
      fc.property(fc.array(turnArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 200, max: 6000 }), (turns, budget) => {
        const messages = [...head, ...turns.flat()];
        const trimmed = trimContext(messages, budget);
        expect(trimmed.slice(0, 2)).toEqual(head);
        expect(pairsIntact(trimmed)).toBe(true);
        expect(trimmed.at(-1)).toBe(messages.at(-1));
        if (trimmed !== messages) {
          expect(trimmed[2]).toMatchObject({ role: 'user', content: expect.stringMatching(/earlier messages were removed/) });
          const tail = trimmed.slice(3);
          expect(tail).toEqual(messages.slice(messages.length - tail.length));
          const lastBlockOnly = tail[0].role === 'assistant' && tail.slice(1).every((m) => m.role === 'tool');
          if (!lastBlockOnly) expect(size(trimmed)).toBeLessThanOrEqual(budget);
        }
      }),
    );
  });

  it('keeps the newest block even when it alone is over budget', () => {
    const big: ChatCompletionMessageParam[] = [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'x'.repeat(5000) },
    ];
    const trimmed = trimContext([...head, { role: 'assistant', content: 'old' }, ...big], 1000);
    expect(trimmed.slice(3)).toEqual(big);
    expect(trimmed[2].content).toMatch(/^\[1 earlier messages were removed/);
  });
});
