/**
 * Rebuilds one assistant message from streamed chunks: content deltas concatenated, tool
 * calls keyed by `index` (the first delta of a call carries its id and name, later ones
 * only argument fragments), the finish reason, and usage from the final chunk.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Usage } from '../../../../shared/trajectory';

export interface AssembledToolCall {
  id: string;
  name: string;
  /** The raw JSON text, possibly invalid (the model's problem, reported back to it). */
  arguments: string;
}

export interface AssistantTurn {
  content: string | null;
  toolCalls: AssembledToolCall[];
  finishReason: string | null;
  usage: Usage | null;
}

export interface StreamAssembler {
  add(chunk: ChatCompletionChunk): void;
  result(): AssistantTurn;
}

const toUsage = (u: ChatCompletion['usage']): Usage | null =>
  u ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens } : null;

export function createStreamAssembler(): StreamAssembler {
  let content: string | null = null;
  let finishReason: string | null = null;
  let usage: Usage | null = null;
  const calls = new Map<number, AssembledToolCall>();
  return {
    add(chunk) {
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) return;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      const delta = choice.delta;
      if (typeof delta?.content === 'string' && delta.content !== '') content = (content ?? '') + delta.content;
      for (const part of delta?.tool_calls ?? []) {
        const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
        calls.set(part.index, call);
      }
    },
    result: () => ({
      content,
      toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
      finishReason,
      usage,
    }),
  };
}

/** The same shape from a non-streamed completion. */
export function turnFromCompletion(completion: ChatCompletion): AssistantTurn {
  const choice = completion.choices[0];
  const message = choice?.message;
  const toolCalls = (message?.tool_calls ?? []).flatMap((c) =>
    c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [],
  );
  return {
    content: message?.content ?? null,
    toolCalls,
    finishReason: choice?.finish_reason ?? null,
    usage: toUsage(completion.usage),
  };
}
