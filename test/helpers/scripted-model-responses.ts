/**
 * Turns a scripted reply into what the OpenAI API sends: one `chat.completion` object, or
 * the sequence of `chat.completion.chunk` objects of a streamed answer (role first, content
 * split into several deltas, each tool call opened with index/id/type/name and then fed
 * argument fragments, a finish chunk, and a usage chunk when asked for).
 */
import { randomBytes } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

export interface ScriptedToolCall {
  /** Defaults to a fresh `call_…` id. */
  id?: string;
  name: string;
  /** An object is JSON-encoded; a string is sent as is (so tests can send broken JSON). */
  arguments: string | Record<string, unknown>;
}

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ReplyStep {
  type: 'reply';
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Overrides the estimated token counts. */
  usage?: ScriptedUsage;
  /** Wait this long before answering. */
  delayMs?: number;
  /** A streamed chat completions answer sends its role and content chunks in one write (as a buffering proxy passes a stream on), then waits for this before the rest (finish, usage, `[DONE]`). */
  holdStreamUntil?: Promise<unknown>;
}

export interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A reply with ids assigned and arguments encoded, ready to be sent either way. */
export interface ResolvedReply {
  id: string;
  created: number;
  model: string;
  content: string | null;
  toolCalls: ResolvedToolCall[];
  finishReason: 'stop' | 'tool_calls';
  usage: ScriptedUsage;
}

const alnum = (n: number) => randomBytes(n).toString('base64').replace(/[^a-zA-Z0-9]/g, '').padEnd(n, '0').slice(0, n);
export const newToolCallId = () => `call_${alnum(24)}`;
const tokens = (chars: number) => Math.ceil(chars / 4);

export function resolveReply(step: ReplyStep, model: string, promptChars: number): ResolvedReply {
  const toolCalls = (step.toolCalls ?? []).map((c) => ({
    id: c.id ?? newToolCallId(),
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }));
  const content = step.content ?? (toolCalls.length > 0 ? null : '');
  const completionChars = (content ?? '').length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const prompt = tokens(promptChars);
  const completion = Math.max(1, tokens(completionChars));
  return {
    id: `chatcmpl-${alnum(29)}`,
    created: Math.floor(Date.now() / 1000),
    model,
    content,
    toolCalls,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    usage: step.usage ?? { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

export function completionBody(reply: ResolvedReply): ChatCompletion {
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content,
          refusal: null,
          ...(reply.toolCalls.length > 0 && {
            tool_calls: reply.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
          }),
        },
        logprobs: null,
        finish_reason: reply.finishReason,
      },
    ],
    usage: reply.usage,
  };
}

/** Splits text into word-sized pieces ("Hello", " world", "!"), at most `max` chars each. */
export function splitIntoPieces(text: string, max = 8): string[] {
  const words = text.match(/\s*\S+|\s+$/g) ?? [];
  return words.flatMap((w) => Array.from({ length: Math.ceil(w.length / max) }, (_, i) => w.slice(i * max, (i + 1) * max)));
}

type Delta = ChatCompletionChunk.Choice.Delta;

/** The chunks of a streamed reply, in order (without the final `[DONE]`). */
export function streamChunks(reply: ResolvedReply, includeUsage: boolean): ChatCompletionChunk[] {
  const chunk = (delta: Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage && { usage: null }),
  });
  const chunks = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitIntoPieces(reply.content ?? '')) chunks.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const fragment of splitIntoPieces(call.arguments, 6)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, reply.finishReason));
  if (includeUsage) {
    chunks.push({ id: reply.id, object: 'chat.completion.chunk', created: reply.created, model: reply.model, choices: [], usage: reply.usage });
  }
  return chunks;
}
