/**
 * Streamed Responses ↔ stream events. The wire stream is named SSE events, each with a
 * `sequence_number`: response.created, response.in_progress, then per output item
 * response.output_item.added … response.output_item.done (text: content_part.added,
 * output_text.delta/done, content_part.done; reasoning: reasoning_summary_part.added,
 * reasoning_summary_text.delta/done, reasoning_summary_part.done; function calls:
 * function_call_arguments.delta/done), and last response.completed (or .incomplete)
 * with the whole response and usage; errors as `error` and response.failed.
 */
import { SseStreamDecoder } from './sse-stream-decoder';
import { isObject, nowSeconds, parseJson, textOf, type CallContext, type Json, type StreamEncoder, type StreamEvent, type ToolCall, type FinishReason, type Usage } from './internal';
import { openAiErrorObject, readOpenAiError } from './openai-errors';
import {
  decodeFinish,
  decodeUsage,
  functionCallItem,
  functionCallItemId,
  qualifiedFunctionName,
  messageItem,
  messageItemId,
  outputText,
  reasoningItem,
  reasoningItemId,
  responseObject,
} from './responses';

interface CallState {
  index: number;
  argumentsSeen: boolean;
  ended: boolean;
}

export class ResponsesStreamDecoder extends SseStreamDecoder {
  /** Function calls by item id. */
  private readonly calls = new Map<string, CallState>();
  /** Items whose text or reasoning came as deltas (their `done` repeats it). */
  private readonly streamed = new Set<string>();
  private failed = false;

  protected read(data: string): StreamEvent[] {
    const event = parseJson(data);
    if (!isObject(event)) return [];
    const item = isObject(event.item) ? event.item : {};
    const itemId = String(event.item_id ?? item.id ?? '');
    switch (event.type) {
      case 'response.created': {
        const response = isObject(event.response) ? event.response : {};
        return [{ type: 'start', id: String(response.id ?? ''), model: String(response.model ?? '') }];
      }
      case 'response.output_item.added':
        return item.type === 'function_call' ? this.startCall(itemId, item) : [];
      case 'response.output_text.delta':
        this.streamed.add(itemId);
        return typeof event.delta === 'string' && event.delta ? [{ type: 'text', delta: event.delta }] : [];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.streamed.add(itemId);
        return typeof event.delta === 'string' && event.delta ? [{ type: 'reasoning', delta: event.delta }] : [];
      case 'response.function_call_arguments.delta': {
        const call = this.calls.get(itemId);
        if (!call || typeof event.delta !== 'string' || !event.delta) return [];
        call.argumentsSeen = true;
        return [{ type: 'tool_call_delta', index: call.index, arguments: event.delta }];
      }
      case 'response.output_item.done':
        return this.itemDone(itemId, item);
      case 'response.completed':
      case 'response.incomplete': {
        const response = isObject(event.response) ? event.response : {};
        const usage: StreamEvent[] = isObject(response.usage) ? [{ type: 'usage', usage: decodeUsage(response.usage) }] : [];
        return [...usage, { type: 'finish', reason: decodeFinish(response, this.calls.size > 0) }];
      }
      case 'response.failed': {
        const response = isObject(event.response) ? event.response : {};
        return this.error(isObject(response.error) ? response.error : { message: 'the response failed' });
      }
      case 'error':
        return this.error(event);
      default:
        return [];
    }
  }

  private startCall(itemId: string, item: Json): StreamEvent[] {
    const index = this.calls.size;
    this.calls.set(itemId, { index, argumentsSeen: false, ended: false });
    return [{ type: 'tool_call_start', index, id: String(item.call_id ?? ''), name: qualifiedFunctionName(item.namespace, String(item.name ?? '')) }];
  }

  /** A done item completes what its deltas did not carry (some servers send only `done`). */
  private itemDone(itemId: string, item: Json): StreamEvent[] {
    if (item.type === 'function_call') {
      const events = this.calls.has(itemId) ? [] : this.startCall(itemId, item);
      const call = this.calls.get(itemId)!;
      if (call.ended) return events;
      call.ended = true;
      if (!call.argumentsSeen && typeof item.arguments === 'string' && item.arguments) events.push({ type: 'tool_call_delta', index: call.index, arguments: item.arguments });
      return [...events, { type: 'tool_call_end', index: call.index }];
    }
    if (this.streamed.has(itemId)) return [];
    if (item.type === 'message') {
      const text = textOf((Array.isArray(item.content) ? item.content : []).filter((p) => isObject(p) && p.type === 'output_text'));
      return text ? [{ type: 'text', delta: text }] : [];
    }
    if (item.type === 'reasoning') {
      const text = textOf(item.summary) || textOf(item.content);
      return text ? [{ type: 'reasoning', delta: text }] : [];
    }
    return [];
  }

  private error(error: Json): StreamEvent[] {
    if (this.failed) return [];
    this.failed = true;
    const read = readOpenAiError({ ...error, message: String(error.message ?? 'the response failed') }, 500)!;
    return [{ type: 'error', error: { ...read, status: 500 } }];
  }
}

type OpenItem =
  | { kind: 'reasoning' | 'message'; id: string; outputIndex: number; text: string }
  | { kind: 'call'; id: string; outputIndex: number; call: ToolCall };

export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private id = '';
  private model = '';
  private readonly createdAt = nowSeconds();
  /** Finished output items, by output index. */
  private readonly output: Json[] = [];
  private nextOutputIndex = 0;
  /** The open text or reasoning item (one at a time), and the open function calls by index. */
  private content: Extract<OpenItem, { kind: 'reasoning' | 'message' }> | null = null;
  private readonly calls = new Map<number, Extract<OpenItem, { kind: 'call' }>>();
  private finish: FinishReason = 'stop';
  private usage: Usage | undefined;
  private failed = false;

  /** `context`: the call's request's (its namespaced functions). */
  constructor(private readonly context?: CallContext) {}

  push(event: StreamEvent): string {
    switch (event.type) {
      case 'start': {
        this.id = event.id;
        this.model = event.model;
        const fields = JSON.stringify({ response: this.snapshot('in_progress', []) });
        return this.emitJson('response.created', fields) + this.emitJson('response.in_progress', fields);
      }
      case 'reasoning':
        return this.contentDelta('reasoning', event.delta);
      case 'text':
        return this.contentDelta('message', event.delta);
      case 'tool_call_start': {
        const call = { kind: 'call' as const, id: functionCallItemId(event.id), outputIndex: this.nextOutputIndex++, call: { id: event.id, name: event.name, arguments: '' } };
        const out = this.closeContent();
        this.calls.set(event.index, call);
        return out + this.emit('response.output_item.added', { output_index: call.outputIndex, item: functionCallItem(call.call, 'in_progress', this.context) });
      }
      case 'tool_call_delta': {
        const open = this.calls.get(event.index);
        if (!open) return '';
        open.call.arguments += event.arguments;
        return this.emit('response.function_call_arguments.delta', { item_id: open.id, output_index: open.outputIndex, delta: event.arguments });
      }
      case 'tool_call_end':
        return this.closeCall(event.index);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finish = event.reason;
        return '';
      case 'error': {
        this.failed = true;
        const error = openAiErrorObject(event.error);
        const response = { ...this.snapshot('failed', this.output), error: { code: error.code ?? error.type, message: error.message } };
        return this.emit('error', { code: error.code ?? error.type, message: error.message, param: error.param }) + this.emit('response.failed', { response });
      }
    }
  }

  end(): string {
    if (this.failed) return '';
    let out = this.closeContent();
    for (const index of [...this.calls.keys()]) out += this.closeCall(index);
    const response = responseObject({ id: this.id, model: this.model, createdAt: this.createdAt, status: 'completed', output: this.output, usage: this.usage, finishReason: this.finish });
    return out + this.emit(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  }

  private snapshot(status: string, output: Json[]): Json {
    return responseObject({ id: this.id, model: this.model, createdAt: this.createdAt, status, output });
  }

  private emit(type: string, fields: Json): string {
    return this.emitJson(type, JSON.stringify(fields));
  }

  /** An event whose other fields are `fieldsJson`, a JSON object's text (serialised once when two events share it, with no object made per event). */
  private emitJson(type: string, fieldsJson: string): string {
    const rest = fieldsJson.length > 2 ? `,${fieldsJson.slice(1)}` : '}';
    return `event: ${type}\ndata: {"type":"${type}","sequence_number":${this.sequence++}${rest}\n\n`;
  }

  private contentDelta(kind: 'reasoning' | 'message', delta: string): string {
    let out = '';
    if (this.content?.kind !== kind) {
      out += this.closeContent();
      const outputIndex = this.nextOutputIndex++;
      const id = kind === 'message' ? messageItemId(this.id, outputIndex) : reasoningItemId(this.id, outputIndex);
      this.content = { kind, id, outputIndex, text: '' };
      const where = { item_id: id, output_index: outputIndex };
      if (kind === 'message') {
        out += this.emit('response.output_item.added', { output_index: outputIndex, item: messageItem(id, '', 'in_progress') });
        out += this.emit('response.content_part.added', { ...where, content_index: 0, part: outputText('') });
      } else {
        out += this.emit('response.output_item.added', { output_index: outputIndex, item: reasoningItem(id, '') });
        out += this.emit('response.reasoning_summary_part.added', { ...where, summary_index: 0, part: { type: 'summary_text', text: '' } });
      }
    }
    const open = this.content!;
    open.text += delta;
    const where = { item_id: open.id, output_index: open.outputIndex };
    return kind === 'message'
      ? out + this.emit('response.output_text.delta', { ...where, content_index: 0, delta, logprobs: [] })
      : out + this.emit('response.reasoning_summary_text.delta', { ...where, summary_index: 0, delta });
  }

  private closeContent(): string {
    const open = this.content;
    if (!open) return '';
    this.content = null;
    const where = { item_id: open.id, output_index: open.outputIndex };
    let out: string;
    if (open.kind === 'message') {
      out = this.emit('response.output_text.done', { ...where, content_index: 0, text: open.text, logprobs: [] });
      out += this.emit('response.content_part.done', { ...where, content_index: 0, part: outputText(open.text) });
    } else {
      out = this.emit('response.reasoning_summary_text.done', { ...where, summary_index: 0, text: open.text });
      out += this.emit('response.reasoning_summary_part.done', { ...where, summary_index: 0, part: { type: 'summary_text', text: open.text } });
    }
    const item = open.kind === 'message' ? messageItem(open.id, open.text) : reasoningItem(open.id, open.text);
    return out + this.itemDone(open.outputIndex, item);
  }

  private closeCall(index: number): string {
    const open = this.calls.get(index);
    if (!open) return '';
    this.calls.delete(index);
    const where = { item_id: open.id, output_index: open.outputIndex };
    const done = this.emit('response.function_call_arguments.done', { ...where, name: open.call.name, arguments: open.call.arguments });
    return done + this.itemDone(open.outputIndex, functionCallItem(open.call, 'completed', this.context));
  }

  private itemDone(outputIndex: number, item: Json): string {
    this.output[outputIndex] = item;
    return this.emit('response.output_item.done', { output_index: outputIndex, item });
  }
}
