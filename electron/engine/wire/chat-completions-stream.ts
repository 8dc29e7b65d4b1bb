/** Streamed chat completions (`chat.completion.chunk` SSE, ending in `data: [DONE]`) ↔ stream events. */
import { decodeFinishReason, decodeUsage, encodeUsage } from './chat-completions';
import { SseStreamDecoder } from './sse-stream-decoder';
import { isObject, nowSeconds, parseJson, type FinishReason, type Json, type StreamEncoder, type StreamEvent, type Usage } from './internal';
import { openAiErrorObject, readOpenAiError } from './openai-errors';

export class ChatStreamDecoder extends SseStreamDecoder {
  private started = false;
  /** Wire index of each tool call → its internal index; entries are the calls still open. */
  private readonly openCalls = new Map<number, number>();
  private callCount = 0;

  protected ended(): StreamEvent[] {
    return this.closeCalls();
  }

  private closeCalls(): StreamEvent[] {
    const events = [...this.openCalls.values()].map((index): StreamEvent => ({ type: 'tool_call_end', index }));
    this.openCalls.clear();
    return events;
  }

  protected read(data: string): StreamEvent[] {
    const chunk = parseJson(data);
    if (!isObject(chunk)) return [];
    if (isObject(chunk.error)) {
      const error = readOpenAiError(chunk.error, 500) ?? { kind: 'server', message: 'the provider sent an unreadable error' };
      return [{ type: 'error', error: { ...error, status: 500 } }];
    }
    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: String(chunk.id ?? ''), model: String(chunk.model ?? '') });
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isObject) : [];
    const choice = choices.find((c) => (c.index ?? 0) === 0);
    if (choice) events.push(...this.readChoice(choice));
    if (isObject(chunk.usage)) events.push({ type: 'usage', usage: decodeUsage(chunk.usage) });
    return events;
  }

  private readChoice(choice: Json): StreamEvent[] {
    const events: StreamEvent[] = [];
    const delta = isObject(choice.delta) ? choice.delta : {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) events.push({ type: 'reasoning', delta: reasoning });
    if (typeof delta.content === 'string' && delta.content) events.push({ type: 'text', delta: delta.content });
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isObject) : []) {
      const wireIndex = typeof call.index === 'number' ? call.index : 0;
      const fn = isObject(call.function) ? call.function : {};
      let index = this.openCalls.get(wireIndex);
      if (index === undefined) {
        index = this.callCount++;
        this.openCalls.set(wireIndex, index);
        events.push({ type: 'tool_call_start', index, id: String(call.id ?? ''), name: String(fn.name ?? '') });
      }
      if (typeof fn.arguments === 'string' && fn.arguments) events.push({ type: 'tool_call_delta', index, arguments: fn.arguments });
    }
    if (typeof choice.finish_reason === 'string') events.push(...this.closeCalls(), { type: 'finish', reason: decodeFinishReason(choice.finish_reason) });
    return events;
  }
}

/** Writes events as OpenAI's chunks; usage (sent last, with `choices: []`) only when `includeUsage`. */
export class ChatStreamEncoder implements StreamEncoder {
  private id = '';
  private model = '';
  private readonly created = nowSeconds();
  private usage: Usage | undefined;

  constructor(private readonly includeUsage: boolean) {}

  push(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model;
        return this.delta({ role: 'assistant', content: '' });
      case 'text':
        return this.delta({ content: event.delta });
      case 'reasoning':
        return this.delta({ reasoning_content: event.delta });
      case 'tool_call_start':
        return this.delta({ tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] });
      case 'tool_call_delta':
        return this.delta({ tool_calls: [{ index: event.index, function: { arguments: event.arguments } }] });
      case 'tool_call_end':
        return '';
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        return this.delta({}, event.reason);
      case 'error':
        return `data: ${JSON.stringify({ error: openAiErrorObject(event.error) })}\n\n`;
    }
  }

  end(): string {
    const usage = this.includeUsage && this.usage ? this.frame({ choices: [], usage: encodeUsage(this.usage) }) : '';
    return `${usage}data: [DONE]\n\n`;
  }

  private frame(fields: Json): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, ...fields })}\n\n`;
  }

  private delta(delta: Json, finish: FinishReason | null = null): string {
    return this.frame({ choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  }
}
