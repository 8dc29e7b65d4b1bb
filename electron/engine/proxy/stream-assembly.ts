import { SseParser } from './sse';

type Json = Record<string, unknown>;

interface ToolCall {
  id: string | null;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A streamed completion put back together: what a non-streaming call would have returned. */
export interface AssembledCompletion {
  id: string | null;
  model: string | null;
  content: string;
  tool_calls: ToolCall[];
  finish_reason: string | null;
  usage: Json | null;
  /** An error the provider sent inside the stream, if any. */
  error: Json | null;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function applyToolDelta(calls: ToolCall[], delta: Json): void {
  const index = typeof delta.index === 'number' ? delta.index : calls.length;
  const call = (calls[index] ??= { id: null, type: 'function', function: { name: '', arguments: '' } });
  if (typeof delta.id === 'string') call.id = delta.id;
  const fn = isObject(delta.function) ? delta.function : {};
  if (typeof fn.name === 'string') call.function.name += fn.name;
  if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
}

/** Assembles OpenAI `chat.completion.chunk` SSE bytes (first choice) into one completion. */
export function assembleStream(chunks: readonly Uint8Array[]): AssembledCompletion {
  const parser = new SseParser();
  const out: AssembledCompletion = { id: null, model: null, content: '', tool_calls: [], finish_reason: null, usage: null, error: null };
  const events = chunks.flatMap((c) => parser.push(c)).concat(parser.end());
  for (const { data } of events) {
    if (data === '[DONE]') continue;
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      continue;
    }
    if (isObject(chunk.error)) out.error = chunk.error;
    if (typeof chunk.id === 'string' && chunk.id) out.id ??= chunk.id;
    if (typeof chunk.model === 'string') out.model ??= chunk.model;
    if (isObject(chunk.usage)) out.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((c) => isObject(c) && (c.index ?? 0) === 0) : undefined;
    if (!isObject(choice)) continue;
    const delta = isObject(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string') out.content += delta.content;
    if (Array.isArray(delta.tool_calls)) for (const t of delta.tool_calls) if (isObject(t)) applyToolDelta(out.tool_calls, t);
    if (typeof choice.finish_reason === 'string') out.finish_reason = choice.finish_reason;
  }
  return out;
}
