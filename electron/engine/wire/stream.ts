/** Stream events ↔ a whole response: assembling a stream, and streaming a whole response. */
import type { ApiError, InternalResponse, StreamEvent, ToolCall } from './internal';

export interface AssembledStream {
  response: InternalResponse;
  /** An error the stream carried, if any. */
  error?: ApiError;
}

/** Puts stream events back together into the response a non-streaming call returns. */
export function assembleEvents(events: Iterable<StreamEvent>): AssembledStream {
  const response: InternalResponse = { id: '', model: '', text: '', toolCalls: [], finishReason: null };
  let reasoning = '';
  let error: ApiError | undefined;
  const calls = new Map<number, ToolCall>();
  for (const event of events) {
    switch (event.type) {
      case 'start':
        response.id = event.id;
        response.model = event.model;
        break;
      case 'text':
        response.text += event.delta;
        break;
      case 'reasoning':
        reasoning += event.delta;
        break;
      case 'tool_call_start':
        calls.set(event.index, { id: event.id, name: event.name, arguments: '' });
        break;
      case 'tool_call_delta': {
        const call = calls.get(event.index);
        if (call) call.arguments += event.arguments;
        break;
      }
      case 'tool_call_end':
        break;
      case 'usage':
        response.usage = event.usage;
        break;
      case 'finish':
        response.finishReason = event.reason;
        break;
      case 'error':
        error = event.error;
        break;
    }
  }
  response.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  if (reasoning) response.reasoning = reasoning;
  return error ? { response, error } : { response };
}

/**
 * The events of a whole response, in the order providers stream them: reasoning, text,
 * each tool call, finish, usage. `pieces` splits text and arguments into deltas.
 */
export function eventsOfResponse(response: InternalResponse, pieces: (text: string) => string[] = (t) => (t ? [t] : [])): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'start', id: response.id, model: response.model }];
  for (const delta of pieces(response.reasoning ?? '')) events.push({ type: 'reasoning', delta });
  for (const delta of pieces(response.text)) events.push({ type: 'text', delta });
  response.toolCalls.forEach((call, index) => {
    events.push({ type: 'tool_call_start', index, id: call.id, name: call.name });
    for (const fragment of pieces(call.arguments)) events.push({ type: 'tool_call_delta', index, arguments: fragment });
    events.push({ type: 'tool_call_end', index });
  });
  if (response.finishReason) events.push({ type: 'finish', reason: response.finishReason });
  if (response.usage) events.push({ type: 'usage', usage: response.usage });
  return events;
}
