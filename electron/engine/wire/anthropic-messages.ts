/**
 * Anthropic Messages (`POST /v1/messages`, as claude-code uses it) ↔ the internal shape:
 * requests, `message` responses and `{type: "error"}` errors (streams:
 * anthropic-messages-stream.ts). Tool results travel in user turns, so consecutive
 * messages of one role are merged on the way out and split on the way in (results first).
 */
import { usageFromAnthropic } from './anthropic-usage';
import { decodeErrorWith, kindOfStatus, statusFor } from './errors';
import {
  argumentsObject,
  count,
  defined,
  isObject,
  list,
  num,
  joinSystem,
  textOf,
  toolNames,
  type ApiError,
  type ContentPart,
  type EncodedError,
  type ErrorKind,
  type FinishReason,
  type InternalRequest,
  type InternalResponse,
  type Json,
  type Message,
  type ToolCall,
  type ToolChoice,
  type Usage,
  ZERO_USAGE,
} from './internal';

/** Anthropic requires `max_tokens`; this is used when the request sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

const blocksOf = (content: unknown): Json[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : list(content));

function imagePart(block: Json): ContentPart {
  const source = isObject(block.source) ? block.source : {};
  if (source.type === 'base64') return { type: 'image', source: { kind: 'base64', mediaType: String(source.media_type ?? ''), data: String(source.data ?? '') } };
  return { type: 'image', source: { kind: 'url', url: String(source.url ?? '') } };
}

const imageBlock = (part: Extract<ContentPart, { type: 'image' }>): Json => ({
  type: 'image',
  source: part.source.kind === 'base64' ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data } : { type: 'url', url: part.source.url },
});

export const toolCallOf = (block: Json): ToolCall => ({ id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) });

function decodeToolChoice(choice: unknown): ToolChoice | undefined {
  if (!isObject(choice)) return undefined;
  if (choice.type === 'tool') return { name: String(choice.name ?? '') };
  return ({ auto: 'auto', any: 'required', none: 'none' } as const)[String(choice.type) as 'auto'] ?? undefined;
}

function encodeToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Json | undefined {
  const type = choice === undefined ? (parallel === false ? { type: 'auto' } : undefined) : typeof choice === 'string' ? { type: { auto: 'auto', required: 'any', none: 'none' }[choice] } : { type: 'tool', name: choice.name };
  return type && (parallel === false && type.type !== 'none' ? { ...type, disable_parallel_tool_use: true } : type);
}

export function decodeRequest(body: unknown): InternalRequest {
  const b = isObject(body) ? body : {};
  const messages: Message[] = [];
  const nameOf = toolNames(messages);
  for (const m of list(b.messages)) {
    const blocks = blocksOf(m.content);
    if (m.role === 'assistant') {
      messages.push({ role: 'assistant', text: textOf(blocks.filter((x) => x.type === 'text')), toolCalls: blocks.filter((x) => x.type === 'tool_use').map(toolCallOf) });
      continue;
    }
    for (const result of blocks.filter((x) => x.type === 'tool_result')) {
      const id = String(result.tool_use_id ?? '');
      messages.push({ role: 'tool', toolCallId: id, name: nameOf(id), content: textOf(result.content, '\n') });
    }
    const content = blocks.flatMap((x): ContentPart[] => (x.type === 'text' ? [{ type: 'text', text: String(x.text ?? '') }] : x.type === 'image' ? [imagePart(x)] : []));
    if (content.length) messages.push({ role: 'user', content });
  }
  const tools = list(b.tools)
    .filter((t) => isObject(t.input_schema))
    .map((t) => defined({ name: String(t.name ?? ''), description: typeof t.description === 'string' ? t.description : undefined, parameters: t.input_schema as Json }));
  const choice = isObject(b.tool_choice) ? b.tool_choice : {};
  return defined({
    model: String(b.model ?? ''),
    system: joinSystem(typeof b.system === 'string' ? [b.system] : list(b.system).map((x) => String(x.text ?? ''))),
    messages,
    tools: tools.length ? tools : undefined,
    toolChoice: decodeToolChoice(b.tool_choice),
    parallelToolCalls: choice.disable_parallel_tool_use === true ? false : undefined,
    maxTokens: num(b.max_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    stop: Array.isArray(b.stop_sequences) ? b.stop_sequences.map(String) : undefined,
    user: isObject(b.metadata) && typeof b.metadata.user_id === 'string' ? b.metadata.user_id : undefined,
    stream: b.stream === true,
  });
}

function blocksOfMessage(m: Message): Json[] {
  if (m.role === 'tool') return [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }];
  if (m.role === 'user') return m.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : imageBlock(p)));
  const text = m.text ? [{ type: 'text', text: m.text }] : [];
  return [...text, ...m.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: argumentsObject(c.arguments) }))];
}

/**
 * Leaves out what the Messages API has no field for: response_format and reasoning
 * effort (its `thinking` takes a token budget, not an effort).
 */
export function encodeRequest(r: InternalRequest): Json {
  const messages: { role: 'user' | 'assistant'; content: Json[] }[] = [];
  for (const m of r.messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocksOfMessage(m));
    else messages.push({ role, content: blocksOfMessage(m) });
  }
  const tools = r.tools?.map((t) => defined({ name: t.name, description: t.description, input_schema: t.parameters }));
  return defined({
    model: r.model,
    max_tokens: r.maxTokens ?? DEFAULT_MAX_TOKENS,
    system: r.system,
    messages,
    tools,
    tool_choice: tools?.length ? encodeToolChoice(r.toolChoice, r.parallelToolCalls) : undefined,
    temperature: r.temperature,
    top_p: r.topP,
    stop_sequences: r.stop,
    metadata: r.user !== undefined ? { user_id: r.user } : undefined,
    stream: r.stream || undefined,
  });
}

/** Anthropic counts cached input apart from `input_tokens`; the internal input counts it all. */
export function decodeUsage(u: Json): Usage {
  const { prompt_tokens, completion_tokens } = usageFromAnthropic(u);
  return { inputTokens: prompt_tokens, outputTokens: completion_tokens, cachedInputTokens: count(u.cache_read_input_tokens), cacheWriteTokens: count(u.cache_creation_input_tokens), reasoningTokens: 0 };
}

export const encodeUsage = (u: Usage): Json => ({
  input_tokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens),
  cache_creation_input_tokens: u.cacheWriteTokens,
  cache_read_input_tokens: u.cachedInputTokens,
  output_tokens: u.outputTokens,
});

const FINISH: Record<string, FinishReason> = { end_turn: 'stop', stop_sequence: 'stop', pause_turn: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter' };
export const decodeStopReason = (reason: unknown): FinishReason => FINISH[String(reason)] ?? 'stop';
export const STOP_REASON: Record<FinishReason, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'refusal' };

export function decodeResponse(body: unknown): InternalResponse {
  const b = isObject(body) ? body : {};
  const blocks = list(b.content);
  const reasoning = blocks.filter((x) => x.type === 'thinking').map((x) => String(x.thinking ?? '')).join('');
  return defined({
    id: String(b.id ?? ''),
    model: String(b.model ?? ''),
    text: textOf(blocks.filter((x) => x.type === 'text')),
    reasoning: reasoning || undefined,
    toolCalls: blocks.filter((x) => x.type === 'tool_use').map(toolCallOf),
    finishReason: decodeStopReason(b.stop_reason),
    usage: isObject(b.usage) ? decodeUsage(b.usage) : undefined,
  });
}

export function encodeResponse(r: InternalResponse): Json {
  const thinking = r.reasoning ? [{ type: 'thinking', thinking: r.reasoning, signature: '' }] : [];
  return defined({
    id: r.id,
    type: 'message',
    role: 'assistant',
    model: r.model,
    content: [...thinking, ...blocksOfMessage({ role: 'assistant', text: r.text, toolCalls: r.toolCalls })],
    stop_reason: r.finishReason ? STOP_REASON[r.finishReason] : null,
    stop_sequence: null,
    usage: encodeUsage(r.usage ?? ZERO_USAGE),
  });
}

const TYPE_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  server: 'api_error',
};
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  overloaded: 529,
  server: 500,
};
const KIND_BY_TYPE = Object.fromEntries(Object.entries(TYPE_BY_KIND).map(([kind, type]) => [type, kind])) as Record<string, ErrorKind>;

/** The `error` object of an error body or stream event → ApiError fields. */
export function readAnthropicError(error: unknown, status: number): Omit<ApiError, 'status'> | null {
  if (!isObject(error) || typeof error.message !== 'string') return null;
  return { kind: KIND_BY_TYPE[String(error.type)] ?? kindOfStatus(status), message: error.message };
}

export const decodeError = (status: number, text: string): ApiError => decodeErrorWith(status, text, (body) => readAnthropicError(isObject(body) ? body.error : undefined, status));

export const anthropicErrorBody = (error: ApiError): Json => ({ type: 'error', error: { type: TYPE_BY_KIND[error.kind], message: error.message } });

export const encodeError = (error: ApiError): EncodedError => ({ status: statusFor(error, STATUS_BY_KIND), body: anthropicErrorBody(error) });
