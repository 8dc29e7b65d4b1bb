/** Anthropic Messages API responses (whole and streamed) → OpenAI chat-completions shapes. */
import { usageFromAnthropic } from '../anthropic-usage';
import { SseParser } from './sse';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};
const finishReason = (stop: unknown) => (typeof stop === 'string' ? (FINISH[stop] ?? 'stop') : null);

const usageOf = (usage: unknown) => (isObject(usage) ? usageFromAnthropic(usage) : undefined);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A complete Anthropic message → an OpenAI `chat.completion`. */
export function fromAnthropicMessage(message: Json, model: string): Json {
  const blocks = Array.isArray(message.content) ? message.content.filter(isObject) : [];
  const text = blocks.filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join('');
  const toolCalls = blocks
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } }));
  return {
    id: message.id,
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text || (toolCalls.length ? null : ''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: finishReason(message.stop_reason),
        logprobs: null,
      },
    ],
    usage: usageOf(message.usage),
  };
}

/** An Anthropic error body (`{type:"error", error:{type, message}}`) → OpenAI's error shape. */
export function fromAnthropicError(body: unknown, status: number): Json {
  const error = isObject(body) && isObject(body.error) ? body.error : {};
  return {
    error: {
      message: typeof error.message === 'string' ? error.message : `Anthropic returned HTTP ${status}`,
      type: typeof error.type === 'string' ? error.type : 'upstream_error',
      param: null,
      code: null,
    },
  };
}

/**
 * Turns an Anthropic SSE stream into OpenAI `chat.completion.chunk` SSE lines, chunk by
 * chunk: `push` returns the text to write for each upstream chunk, `end` the tail
 * (a usage chunk when asked for, then `data: [DONE]`).
 */
export class AnthropicStreamTranslator {
  private readonly parser = new SseParser();
  private id = '';
  private readonly created = nowSeconds();
  private readonly toolIndex = new Map<number, number>();
  private usage: Json | undefined;
  /** message_start's usage: the input counts (uncached, cache writes, cache reads). */
  private inputUsage: Json = {};

  constructor(
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  push(chunk: Uint8Array): string {
    let out = '';
    for (const event of this.parser.push(chunk)) out += this.translate(event.data);
    return out;
  }

  end(): string {
    let out = '';
    for (const event of this.parser.end()) out += this.translate(event.data);
    if (this.includeUsage && this.usage) out += this.frame({ choices: [], usage: this.usage });
    return `${out}data: [DONE]\n\n`;
  }

  private frame(fields: Json): string {
    const chunk = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, ...fields };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private delta(delta: Json, finish: string | null = null): string {
    return this.frame({ choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  }

  private translate(data: string): string {
    let event: Json;
    try {
      event = JSON.parse(data) as Json;
    } catch {
      return '';
    }
    switch (event.type) {
      case 'message_start': {
        const message = isObject(event.message) ? event.message : {};
        this.id = String(message.id ?? '');
        this.inputUsage = isObject(message.usage) ? message.usage : {};
        return this.delta({ role: 'assistant', content: '' });
      }
      case 'content_block_start': {
        const block = isObject(event.content_block) ? event.content_block : {};
        if (block.type !== 'tool_use') return block.text ? this.delta({ content: block.text }) : '';
        const index = this.toolIndex.size;
        this.toolIndex.set(Number(event.index), index);
        return this.delta({
          tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }],
        });
      }
      case 'content_block_delta': {
        const delta = isObject(event.delta) ? event.delta : {};
        if (delta.type === 'text_delta') return this.delta({ content: delta.text });
        if (delta.type === 'input_json_delta') {
          const index = this.toolIndex.get(Number(event.index)) ?? 0;
          return this.delta({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] });
        }
        return '';
      }
      case 'message_delta': {
        const delta = isObject(event.delta) ? event.delta : {};
        const output = Number((isObject(event.usage) && event.usage.output_tokens) || 0);
        this.usage = usageFromAnthropic({ ...this.inputUsage, output_tokens: output });
        return this.delta({}, finishReason(delta.stop_reason) ?? 'stop');
      }
      case 'error':
        return `data: ${JSON.stringify(fromAnthropicError(event, 500))}\n\n`;
      default:
        return '';
    }
  }
}
