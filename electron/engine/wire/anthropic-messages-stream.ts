/**
 * Streamed Anthropic Messages ↔ stream events. The wire stream is named SSE events:
 * message_start (id, model, input usage), per content block content_block_start,
 * content_block_delta (text_delta, thinking_delta, input_json_delta) and
 * content_block_stop, then message_delta (stop reason, usage) and message_stop; `ping`
 * keeps the connection alive; `error` reports a failure mid-stream.
 */
import { anthropicErrorBody, decodeStopReason, decodeUsage, encodeUsage, readAnthropicError, STOP_REASON } from './anthropic-messages';
import { SseStreamDecoder } from './sse-stream-decoder';
import { isObject, parseJson, type FinishReason, type Json, type StreamEncoder, type StreamEvent, type Usage } from './internal';

export class AnthropicStreamDecoder extends SseStreamDecoder {
  /** Content block index → tool call index, for the tool_use blocks. */
  private readonly toolBlocks = new Map<number, number>();
  /** message_start's usage (the input counts); message_delta's fields override it. */
  private inputUsage: Json = {};

  protected read(data: string): StreamEvent[] {
    const event = parseJson(data);
    if (!isObject(event)) return [];
    const blockIndex = Number(event.index);
    switch (event.type) {
      case 'message_start': {
        const message = isObject(event.message) ? event.message : {};
        this.inputUsage = isObject(message.usage) ? message.usage : {};
        return [{ type: 'start', id: String(message.id ?? ''), model: String(message.model ?? '') }];
      }
      case 'content_block_start': {
        const block = isObject(event.content_block) ? event.content_block : {};
        if (block.type === 'text' && typeof block.text === 'string' && block.text) return [{ type: 'text', delta: block.text }];
        if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) return [{ type: 'reasoning', delta: block.thinking }];
        if (block.type !== 'tool_use') return [];
        const index = this.toolBlocks.size;
        this.toolBlocks.set(blockIndex, index);
        const events: StreamEvent[] = [{ type: 'tool_call_start', index, id: String(block.id ?? ''), name: String(block.name ?? '') }];
        if (isObject(block.input) && Object.keys(block.input).length) events.push({ type: 'tool_call_delta', index, arguments: JSON.stringify(block.input) });
        return events;
      }
      case 'content_block_delta': {
        const delta = isObject(event.delta) ? event.delta : {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text) return [{ type: 'text', delta: delta.text }];
        if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking) return [{ type: 'reasoning', delta: delta.thinking }];
        const index = this.toolBlocks.get(blockIndex);
        if (delta.type === 'input_json_delta' && index !== undefined && typeof delta.partial_json === 'string' && delta.partial_json) {
          return [{ type: 'tool_call_delta', index, arguments: delta.partial_json }];
        }
        return [];
      }
      case 'content_block_stop': {
        const index = this.toolBlocks.get(blockIndex);
        return index === undefined ? [] : [{ type: 'tool_call_end', index }];
      }
      case 'message_delta': {
        const delta = isObject(event.delta) ? event.delta : {};
        const usage = decodeUsage({ ...this.inputUsage, ...(isObject(event.usage) ? event.usage : {}) });
        return [{ type: 'usage', usage }, { type: 'finish', reason: decodeStopReason(delta.stop_reason) }];
      }
      case 'error': {
        const error = readAnthropicError(event.error, 500) ?? { kind: 'server', message: 'the provider sent an unreadable error' };
        return [{ type: 'error', error: { ...error, status: 500 } }];
      }
      default:
        return [];
    }
  }
}

type BlockKind = 'text' | 'thinking' | 'tool_use';

export class AnthropicStreamEncoder implements StreamEncoder {
  private blockCount = 0;
  /** The open content block; a tool call's block stays open until its end. */
  private open: { kind: BlockKind; index: number; call?: number } | null = null;
  private finish: FinishReason = 'stop';
  private usage: Usage | undefined;
  private failed = false;

  push(event: StreamEvent): string {
    switch (event.type) {
      case 'start': {
        const message = { id: event.id, type: 'message', role: 'assistant', model: event.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
        return this.emit('message_start', { message });
      }
      case 'text':
        return this.openBlock('text', { type: 'text', text: '' }) + this.emit('content_block_delta', { index: this.open!.index, delta: { type: 'text_delta', text: event.delta } });
      case 'reasoning':
        return this.openBlock('thinking', { type: 'thinking', thinking: '', signature: '' }) + this.emit('content_block_delta', { index: this.open!.index, delta: { type: 'thinking_delta', thinking: event.delta } });
      case 'tool_call_start': {
        const out = this.openBlock('tool_use', { type: 'tool_use', id: event.id, name: event.name, input: {} }, true);
        this.open!.call = event.index;
        return out;
      }
      case 'tool_call_delta':
        if (this.open?.call !== event.index) return '';
        return this.emit('content_block_delta', { index: this.open.index, delta: { type: 'input_json_delta', partial_json: event.arguments } });
      case 'tool_call_end':
        return this.open?.call === event.index ? this.closeBlock() : '';
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finish = event.reason;
        return '';
      case 'error':
        this.failed = true;
        return this.emit('error', { error: anthropicErrorBody(event.error).error });
    }
  }

  end(): string {
    if (this.failed) return '';
    const usage = this.usage ? encodeUsage(this.usage) : { output_tokens: 0 };
    return this.closeBlock() + this.emit('message_delta', { delta: { stop_reason: STOP_REASON[this.finish], stop_sequence: null }, usage }) + this.emit('message_stop', {});
  }

  private emit(type: string, fields: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
  }

  /** Opens a block of `kind` unless one is open already (a tool call always opens its own). */
  private openBlock(kind: BlockKind, block: Json, always = false): string {
    if (!always && this.open?.kind === kind) return '';
    const out = this.closeBlock();
    this.open = { kind, index: this.blockCount++ };
    return out + this.emit('content_block_start', { index: this.open.index, content_block: block });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = null;
    return this.emit('content_block_stop', { index });
  }
}
