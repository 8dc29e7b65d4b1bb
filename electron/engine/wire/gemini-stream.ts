/**
 * Streamed Gemini (`streamGenerateContent?alt=sse`) ↔ stream events. Each SSE `data:` is
 * a whole GenerateContentResponse holding the next parts (text, thought text, complete
 * functionCalls; Gemini does not stream a call's arguments); the last one carries the
 * finishReason, and usageMetadata comes with the chunks as running totals.
 */
import { decodeFinishReason, decodeUsage, encodeError, encodeUsage, FINISH_REASON, readGeminiError } from './gemini';
import { SseStreamDecoder } from './sse-stream-decoder';
import { argumentsObject, isObject, parseJson, type FinishReason, type Json, type StreamEncoder, type StreamEvent, type ToolCall, type Usage } from './internal';

export class GeminiStreamDecoder extends SseStreamDecoder {
  private started = false;
  private callCount = 0;

  protected read(data: string): StreamEvent[] {
    const chunk = parseJson(data);
    if (!isObject(chunk)) return [];
    if (isObject(chunk.error)) {
      const error = readGeminiError(chunk.error, Number(chunk.error.code) || 500) ?? { kind: 'server', message: 'the provider sent an unreadable error' };
      return [{ type: 'error', error: { ...error, status: Number(chunk.error.code) || 500 } }];
    }
    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: 'start', id: String(chunk.responseId ?? ''), model: String(chunk.modelVersion ?? '') });
    }
    const candidate = Array.isArray(chunk.candidates) && isObject(chunk.candidates[0]) ? chunk.candidates[0] : {};
    const parts = isObject(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts.filter(isObject) : [];
    for (const part of parts) {
      if (isObject(part.functionCall)) {
        const index = this.callCount++;
        const call = part.functionCall;
        const id = typeof call.id === 'string' && call.id ? call.id : `call_${index}`;
        events.push({ type: 'tool_call_start', index, id, name: String(call.name ?? '') });
        events.push({ type: 'tool_call_delta', index, arguments: JSON.stringify(call.args ?? {}) }, { type: 'tool_call_end', index });
      } else if (typeof part.text === 'string' && part.text) {
        events.push({ type: part.thought === true ? 'reasoning' : 'text', delta: part.text });
      }
    }
    if (isObject(chunk.usageMetadata)) events.push({ type: 'usage', usage: decodeUsage(chunk.usageMetadata) });
    if (candidate.finishReason !== undefined) events.push({ type: 'finish', reason: decodeFinishReason(candidate.finishReason, this.callCount > 0) });
    return events;
  }
}

/**
 * Writes events as Gemini chunks. A function call is sent whole once it ends, and each
 * chunk waits for the next, so the last one carries content with its finishReason
 * (gemini-cli takes a chunk with no parts for an empty answer).
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private id = '';
  private model = '';
  private pending: Json[] | null = null;
  private readonly calls = new Map<number, ToolCall>();
  private finish: FinishReason = 'stop';
  private usage: Usage | undefined;
  private failed = false;

  push(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model;
        return '';
      case 'text':
        return this.part({ text: event.delta });
      case 'reasoning':
        return this.part({ text: event.delta, thought: true });
      case 'tool_call_start':
        this.calls.set(event.index, { id: event.id, name: event.name, arguments: '' });
        return '';
      case 'tool_call_delta': {
        const call = this.calls.get(event.index);
        if (call) call.arguments += event.arguments;
        return '';
      }
      case 'tool_call_end':
        return this.endCall(event.index);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finish = event.reason;
        return '';
      case 'error': {
        this.failed = true;
        return `${this.flush()}data: ${JSON.stringify(encodeError(event.error).body)}\n\n`;
      }
    }
  }

  end(): string {
    if (this.failed) return '';
    let out = '';
    for (const index of [...this.calls.keys()]) out += this.endCall(index);
    const parts = this.pending ?? [];
    this.pending = null;
    const candidate = { content: { role: 'model', parts }, finishReason: FINISH_REASON[this.finish], index: 0 };
    return out + this.frame({ candidates: [candidate], ...(this.usage && { usageMetadata: encodeUsage(this.usage) }) });
  }

  private endCall(index: number): string {
    const call = this.calls.get(index);
    if (!call) return '';
    this.calls.delete(index);
    return this.part({ functionCall: { id: call.id, name: call.name, args: argumentsObject(call.arguments) } });
  }

  /** Sends the chunk held back, and holds back one with this part. */
  private part(part: Json): string {
    const out = this.flush();
    this.pending = [part];
    return out;
  }

  private flush(): string {
    if (!this.pending) return '';
    const parts = this.pending;
    this.pending = null;
    return this.frame({ candidates: [{ content: { role: 'model', parts }, index: 0 }] });
  }

  private frame(fields: Json): string {
    return `data: ${JSON.stringify({ ...fields, modelVersion: this.model, responseId: this.id })}\n\n`;
  }
}
