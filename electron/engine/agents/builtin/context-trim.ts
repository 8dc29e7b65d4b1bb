/**
 * Keeps a long conversation within a budget: the system prompt and the first user message
 * always stay, then as many of the most recent turns as fit. An assistant message with
 * tool calls and the tool results answering it move as one block, so the API never sees
 * a tool result without its call (or a call without its results).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/** Size of a message as sent (characters of its JSON), a stable stand-in for tokens. */
export const messageSize = (m: ChatCompletionMessageParam): number => JSON.stringify(m).length;

/** Splits messages into blocks: an assistant message plus its tool results, or one message. */
function toBlocks(messages: ChatCompletionMessageParam[]): ChatCompletionMessageParam[][] {
  const blocks: ChatCompletionMessageParam[][] = [];
  for (const m of messages) {
    const last = blocks.at(-1);
    if (m.role === 'tool' && last) last.push(m);
    else blocks.push([m]);
  }
  return blocks;
}

export const trimmedNote = (dropped: number): ChatCompletionMessageParam => ({
  role: 'user',
  content: `[${dropped} earlier messages were removed to fit the context window. Check files in the sandbox again if you need what they said.]`,
});

/**
 * The messages to send: unchanged when they fit `budgetChars`; otherwise the head (every
 * message up to the first user message), a note on what was dropped, and the newest
 * blocks that fit (at least the newest one, even when it alone is over budget).
 */
export function trimContext(messages: ChatCompletionMessageParam[], budgetChars: number): ChatCompletionMessageParam[] {
  const total = messages.reduce((n, m) => n + messageSize(m), 0);
  if (total <= budgetChars) return messages;
  const headEnd = messages.findIndex((m) => m.role === 'user') + 1;
  const head = messages.slice(0, headEnd);
  const blocks = toBlocks(messages.slice(headEnd));
  let room = budgetChars - head.reduce((n, m) => n + messageSize(m), 0) - messageSize(trimmedNote(messages.length));
  const kept: ChatCompletionMessageParam[][] = [];
  for (let i = blocks.length - 1; i >= 0; i--) {
    const size = blocks[i].reduce((n, m) => n + messageSize(m), 0);
    if (kept.length > 0 && size > room) break;
    kept.unshift(blocks[i]);
    room -= size;
  }
  const tail = kept.flat();
  const dropped = messages.length - head.length - tail.length;
  return dropped === 0 ? messages : [...head, trimmedNote(dropped), ...tail];
}
