/**
 * OpenAI's legacy completions (`POST /v1/completions`: a `prompt`, answers as
 * `text_completion` choices with `text`) ↔ the internal shape. The prompt is one user
 * message; a provider without the legacy API gets it as a chat. Streams are
 * `text_completion` chunks ending in `data: [DONE]`; errors are OpenAI's.
 */
import { decodeFinishReason, decodeUsage, encodeUsage } from './chat-completions';
import { SseStreamDecoder } from './sse-stream-decoder';
import { defined, isObject, list, num, nowSeconds, parseJson, str, textOf, type FinishReason, type InternalRequest, type InternalResponse, type Json, type StreamEncoder, type StreamEvent, type Usage } from './internal';
import { openAiErrorObject, readOpenAiError } from './openai-errors';

/** The prompt's text: a string, or the first of a list of strings (token-id prompts have no text). */
function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && typeof prompt[0] === 'string') return prompt[0];
  return '';
}

export function decodeRequest(body: unknown): InternalRequest {
  const b = isObject(body) ? body : {};
  const stop = typeof b.stop === 'string' ? [b.stop] : Array.isArray(b.stop) ? b.stop.filter((s): s is string => typeof s === 'string') : undefined;
  return defined({
    model: String(b.model ?? ''),
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: promptText(b.prompt) }] }],
    maxTokens: num(b.max_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    stop,
    user: str(b.user),
    stream: b.stream === true,
  });
}

/** A conversation as one prompt: the system text, then each message's text, a blank line apart. */
export function encodeRequest(r: InternalRequest): Json {
  const texts = r.messages.map((m) => (m.role === 'user' ? textOf(m.content.filter((p) => p.type === 'text')) : m.role === 'assistant' ? m.text : m.content));
  return defined({
    model: r.model,
    prompt: [r.system, ...texts].filter((t): t is string => typeof t === 'string' && t !== '').join('\n\n'),
    max_tokens: r.maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    stop: r.stop,
    user: r.user,
    stream: r.stream || undefined,
    stream_options: r.stream ? { include_usage: true } : undefined,
  });
}

export function decodeResponse(body: unknown): InternalResponse {
  const b = isObject(body) ? body : {};
  const choice = list(b.choices).find((c) => (c.index ?? 0) === 0) ?? {};
  return defined({
    id: String(b.id ?? ''),
    model: String(b.model ?? ''),
    text: typeof choice.text === 'string' ? choice.text : '',
    toolCalls: [],
    finishReason: choice.finish_reason === undefined || choice.finish_reason === null ? null : decodeFinishReason(choice.finish_reason),
    usage: isObject(b.usage) ? decodeUsage(b.usage) : undefined,
  });
}

/** The legacy API has no tool calls: a reply that made some finishes as `stop` with its text. */
const legacyFinish = (reason: FinishReason | null): string | null => (reason === 'tool_calls' ? 'stop' : reason);

export function encodeResponse(r: InternalResponse): Json {
  return defined({
    id: r.id,
    object: 'text_completion',
    created: nowSeconds(),
    model: r.model,
    choices: [{ index: 0, text: r.text, logprobs: null, finish_reason: legacyFinish(r.finishReason) }],
    usage: r.usage && encodeUsage(r.usage),
  });
}

export class CompletionsStreamDecoder extends SseStreamDecoder {
  private started = false;

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
    const choice = list(chunk.choices).find((c) => (c.index ?? 0) === 0);
    if (choice && typeof choice.text === 'string' && choice.text) events.push({ type: 'text', delta: choice.text });
    if (choice && typeof choice.finish_reason === 'string') events.push({ type: 'finish', reason: decodeFinishReason(choice.finish_reason) });
    if (isObject(chunk.usage)) events.push({ type: 'usage', usage: decodeUsage(chunk.usage) });
    return events;
  }
}

/** Writes events as `text_completion` chunks; usage (last, with `choices: []`) only when `includeUsage`. */
export class CompletionsStreamEncoder implements StreamEncoder {
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
        return '';
      case 'text':
        return this.choice(event.delta, null);
      case 'finish':
        return this.choice('', legacyFinish(event.reason));
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        return `data: ${JSON.stringify({ error: openAiErrorObject(event.error) })}\n\n`;
      default:
        // Reasoning and tool calls have no place in a text completion.
        return '';
    }
  }

  end(): string {
    const usage = this.includeUsage && this.usage ? this.frame({ choices: [], usage: encodeUsage(this.usage) }) : '';
    return `${usage}data: [DONE]\n\n`;
  }

  private frame(fields: Json): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'text_completion', created: this.created, model: this.model, ...fields })}\n\n`;
  }

  private choice(text: string, finish: string | null): string {
    return this.frame({ choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] });
  }
}
