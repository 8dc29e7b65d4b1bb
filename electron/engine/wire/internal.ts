/**
 * The gateway's one internal shape of a model call. Every wire API (chat completions,
 * Responses, Anthropic Messages, Gemini) converts its requests, responses, stream events
 * and errors to and from these types, so a call can be translated between any two APIs
 * through one pair of converters each, instead of one translator per pair.
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

// Lenient readers of wire fields: the wrong type reads as absent.
export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
export const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image, inline (base64 with its media type) or by URL. */
export interface ImagePart {
  type: 'image';
  source: { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };
}

export type ContentPart = TextPart | ImagePart;

/** A tool call; `arguments` is JSON text (streams deliver it in fragments). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface UserMessage {
  role: 'user';
  content: ContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  text: string;
  toolCalls: ToolCall[];
}

/** The result of one tool call; `name` is the called tool's (Gemini needs it, others look it up). */
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  name: string;
  content: string;
}

export type Message = UserMessage | AssistantMessage | ToolMessage;

export interface Tool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Json;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; name?: string; schema: Json; strict?: boolean };

const EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof EFFORTS)[number];
export const reasoningEffortOf = (v: unknown): ReasoningEffort | undefined => EFFORTS.find((e) => e === v);

export interface InternalRequest {
  model: string;
  /** System and developer instructions, joined. */
  system?: string;
  messages: Message[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  responseFormat?: ResponseFormat;
  reasoningEffort?: ReasoningEffort;
  user?: string;
  stream: boolean;
}

/**
 * Token counts. `inputTokens` counts all input, cached or not (as OpenAI's prompt_tokens);
 * `outputTokens` counts all output, reasoning included (as OpenAI's completion_tokens).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input read from a prompt cache. */
  cachedInputTokens: number;
  /** Input written to a prompt cache (Anthropic reports it apart). */
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface InternalResponse {
  id: string;
  model: string;
  text: string;
  /** Reasoning the provider showed (a summary or thinking text), if any. */
  reasoning?: string;
  toolCalls: ToolCall[];
  /** Null when the answer never said it finished (a stream cut short): nothing is invented. */
  finishReason: FinishReason | null;
  usage?: Usage;
}

/** What went wrong, independent of any API's error shape. */
export type ErrorKind = 'invalid_request' | 'authentication' | 'permission' | 'not_found' | 'request_too_large' | 'rate_limit' | 'overloaded' | 'server';

export interface ApiError {
  kind: ErrorKind;
  /** The HTTP status the provider answered (for `server`, kept when passed on). */
  status: number;
  message: string;
  code?: string | null;
  param?: string | null;
}

/**
 * One step of a streamed response. Tool calls are numbered by `index` in the order they
 * start (0, 1, …); each starts, gets argument fragments, and ends. `usage` carries the
 * totals so far (the last one wins); `finish` comes once, after the content.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string }
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'tool_call_end'; index: number }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'error'; error: ApiError };

/** Reads one wire API's SSE bytes, split anywhere, into stream events. */
export interface StreamDecoder {
  /** Hands `emit` each event as soon as the frame that carries it is read (nothing collected). */
  feed(chunk: Uint8Array | string, emit: (event: StreamEvent) => void): void;
  /** Hands `emit` what the stream's end completes. */
  finish(emit: (event: StreamEvent) => void): void;
  /** The events of `chunk`'s completed frames, collected. */
  push(chunk: Uint8Array | string): StreamEvent[];
  end(): StreamEvent[];
}

/** Writes stream events as one wire API's SSE text. */
export interface StreamEncoder {
  push(event: StreamEvent): string;
  end(): string;
}

export interface EncodedError {
  status: number;
  body: Json;
}

/**
 * What a call's request tells the encoding of its answer: a Responses client's namespaced
 * functions (codex's MCP tools), which the internal shape names `<namespace>__<name>`, by that
 * one name, so a call of one goes back naming its namespace.
 */
export interface CallContext {
  namespaces?: ReadonlyMap<string, { namespace: string; name: string }>;
}

/** One wire API: converters between its shapes and the internal ones. */
export interface WireApi {
  /** `context` carries what the URL says (Gemini puts the model and streaming there). */
  decodeRequest(body: unknown, context?: { model?: string; stream?: boolean }): InternalRequest;
  encodeRequest(request: InternalRequest): Json;
  decodeResponse(body: unknown): InternalResponse;
  encodeResponse(response: InternalResponse, context?: CallContext): Json;
  streamDecoder(): StreamDecoder;
  /** `includeUsage`: send usage (chat completions sends it only when asked); `context`: the call's request's (callContext). */
  streamEncoder(options?: { includeUsage?: boolean; context?: CallContext }): StreamEncoder;
  /** What a request body says that the encoding of its answer needs, for an API whose answers need it (Responses). */
  callContext?(body: unknown): CallContext;
  /** A provider's error answer (status and body text) → an ApiError. */
  decodeError(status: number, text: string): ApiError;
  encodeError(error: ApiError): EncodedError;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/** A finite, non-negative token count from a wire field (0 when absent or malformed). */
export function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Text of a string or of a list of text parts (`{type?, text}`), joined with `separator`. */
export function textOf(content: unknown, separator = ''): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p): p is Json => isObject(p) && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join(separator);
}

/** Joins system instruction pieces the way every encoder splits them: by a blank line. */
export const joinSystem = (pieces: string[]): string | undefined => (pieces.length ? pieces.join('\n\n') : undefined);

/** An image as a URL (base64 images as data URLs), for the OpenAI APIs. */
export function imageUrl(part: ImagePart): string {
  return part.source.kind === 'base64' ? `data:${part.source.mediaType};base64,${part.source.data}` : part.source.url;
}

/** An image from a URL (a data URL becomes an inline image). */
export function imageFromUrl(url: string): ImagePart {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return data ? { type: 'image', source: { kind: 'base64', mediaType: data[1], data: data[2] } } : { type: 'image', source: { kind: 'url', url } };
}

/** Tool messages name the tool they answer; APIs that leave it out are resolved by call id. */
export function toolNames(messages: readonly Message[]): (callId: string) => string {
  return (callId) => {
    for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls) if (c.id === callId) return c.name;
    return '';
  };
}

/** Drops undefined fields, so optional fields absent from the wire stay absent. */
export function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** Tool arguments as an object (Anthropic and Gemini want one); text that is not a JSON object is kept under `_raw`. */
export function argumentsObject(raw: string): Json {
  if (raw.trim() === '') return {};
  const parsed = parseJson(raw);
  return isObject(parsed) ? parsed : { _raw: raw };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
