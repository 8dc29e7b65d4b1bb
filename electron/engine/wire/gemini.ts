/**
 * Gemini generateContent / streamGenerateContent (`/v1beta/models/{model}:…`, as
 * gemini-cli uses it) ↔ the internal shape: requests (contents of user/model turns with
 * text, inline data, functionCall and functionResponse parts; systemInstruction; tools'
 * functionDeclarations; toolConfig; generationConfig), responses (candidates[0],
 * usageMetadata) and `{error: {code, message, status}}` errors (streams: gemini-stream.ts).
 * The model and whether to stream are in the URL, not the body.
 */
import { lookup } from 'mime-types';
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
  type ApiError,
  type ContentPart,
  type EncodedError,
  type ErrorKind,
  type FinishReason,
  type InternalRequest,
  type InternalResponse,
  type Json,
  type Message,
  type ResponseFormat,
  type ToolCall,
  type ToolChoice,
  type Usage,
} from './internal';


/** The path of a Gemini call for `model`, streaming (SSE) or not. */
export const geminiPath = (model: string, stream: boolean) => `/v1beta/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;

/** A Gemini path's model and whether it streams, or null when it is not a generate call. */
export function parseGeminiPath(pathname: string): { model: string; stream: boolean } | null {
  const match = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname);
  return match ? { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' } : null;
}

const functionCallOf = (part: Json, fallbackId: string): ToolCall => {
  const call = part.functionCall as Json;
  return { id: typeof call.id === 'string' && call.id ? call.id : fallbackId, name: String(call.name ?? ''), arguments: JSON.stringify(call.args ?? {}) };
};

/** A functionResponse's `response` as text: its `output` when that is all it holds, else its JSON. */
function responseText(response: unknown): string {
  if (isObject(response) && Object.keys(response).length === 1 && typeof response.output === 'string') return response.output;
  return JSON.stringify(response ?? {});
}

function userPart(part: Json): ContentPart[] {
  if (typeof part.text === 'string' && part.thought !== true) return [{ type: 'text', text: part.text }];
  if (isObject(part.inlineData)) return [{ type: 'image', source: { kind: 'base64', mediaType: String(part.inlineData.mimeType ?? ''), data: String(part.inlineData.data ?? '') } }];
  if (isObject(part.fileData)) return [{ type: 'image', source: { kind: 'url', url: String(part.fileData.fileUri ?? '') } }];
  return [];
}

function encodePart(part: ContentPart): Json {
  if (part.type === 'text') return { text: part.text };
  const { source } = part;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { mimeType: lookup(new URL(source.url, 'file:///').pathname) || 'application/octet-stream', fileUri: source.url } };
}

/**
 * Gemini's function calls often carry no id (gemini-cli then makes up its own for the
 * response): a call without one gets an id from its place, and a response is matched to
 * the earliest unanswered call of its id, else of its name.
 */
function decodeContents(contents: Json[]): Message[] {
  const messages: Message[] = [];
  const pending: ToolCall[] = [];
  contents.forEach((content, turn) => {
    const parts = list(content.parts);
    if (content.role === 'model') {
      const toolCalls = parts.flatMap((p, i) => (isObject(p.functionCall) ? [functionCallOf(p, `call_${turn}_${i}`)] : []));
      pending.push(...toolCalls);
      messages.push({ role: 'assistant', text: textOf(parts.filter((p) => p.thought !== true && typeof p.text === 'string')), toolCalls });
      return;
    }
    for (const part of parts.filter((p) => isObject(p.functionResponse))) {
      const response = part.functionResponse as Json;
      const name = String(response.name ?? '');
      const byId = pending.findIndex((c) => c.id === response.id);
      const at = byId >= 0 ? byId : pending.findIndex((c) => c.name === name);
      const id = at >= 0 ? pending.splice(at, 1)[0].id : String(response.id ?? name);
      messages.push({ role: 'tool', toolCallId: id, name, content: responseText(response.response) });
    }
    const user = parts.flatMap(userPart);
    if (user.length) messages.push({ role: 'user', content: user });
  });
  return messages;
}

function decodeToolChoice(config: unknown): ToolChoice | undefined {
  const calling = isObject(config) && isObject(config.functionCallingConfig) ? config.functionCallingConfig : undefined;
  if (!calling) return undefined;
  const names = Array.isArray(calling.allowedFunctionNames) ? calling.allowedFunctionNames : [];
  if (calling.mode === 'ANY') return names.length === 1 ? { name: String(names[0]) } : 'required';
  if (calling.mode === 'NONE') return 'none';
  return calling.mode === 'AUTO' || calling.mode === 'VALIDATED' ? 'auto' : undefined;
}

function encodeToolChoice(choice: ToolChoice): Json {
  if (typeof choice !== 'string') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  return { functionCallingConfig: { mode: { auto: 'AUTO', required: 'ANY', none: 'NONE' }[choice] } };
}

function decodeResponseFormat(config: Json): ResponseFormat | undefined {
  if (config.responseMimeType === 'text/plain') return { type: 'text' };
  if (config.responseMimeType !== 'application/json') return undefined;
  const schema = config.responseJsonSchema ?? config.responseSchema;
  return isObject(schema) ? { type: 'json_schema', schema } : { type: 'json_object' };
}

function encodeResponseFormat(format: ResponseFormat | undefined): Json {
  if (!format) return {};
  if (format.type === 'text') return { responseMimeType: 'text/plain' };
  return { responseMimeType: 'application/json', ...(format.type === 'json_schema' && { responseJsonSchema: format.schema }) };
}

export function decodeRequest(body: unknown, context: { model?: string; stream?: boolean } = {}): InternalRequest {
  const b = isObject(body) ? body : {};
  const config = isObject(b.generationConfig) ? b.generationConfig : {};
  const system = typeof b.systemInstruction === 'string' ? [b.systemInstruction] : isObject(b.systemInstruction) ? [textOf(b.systemInstruction.parts, '\n')] : [];
  const tools = list(b.tools)
    .flatMap((t) => list(t.functionDeclarations))
    .map((f) => {
      const parameters = f.parametersJsonSchema ?? f.parameters;
      return defined({ name: String(f.name ?? ''), description: typeof f.description === 'string' ? f.description : undefined, parameters: isObject(parameters) ? parameters : { type: 'object', properties: {} } });
    });
  return defined({
    model: context.model ?? '',
    system: joinSystem(system),
    messages: decodeContents(list(b.contents)),
    tools: tools.length ? tools : undefined,
    toolChoice: decodeToolChoice(b.toolConfig),
    maxTokens: num(config.maxOutputTokens),
    temperature: num(config.temperature),
    topP: num(config.topP),
    stop: Array.isArray(config.stopSequences) ? config.stopSequences.map(String) : undefined,
    responseFormat: decodeResponseFormat(config),
    stream: context.stream ?? false,
  });
}

function encodeContents(messages: readonly Message[]): Json[] {
  const contents: { role: 'user' | 'model'; parts: Json[] }[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts =
      m.role === 'user'
        ? m.content.map(encodePart)
        : m.role === 'tool'
          ? [{ functionResponse: { id: m.toolCallId, name: m.name, response: { output: m.content } } }]
          : [...(m.text ? [{ text: m.text }] : []), ...m.toolCalls.map((c) => ({ functionCall: { id: c.id, name: c.name, args: argumentsObject(c.arguments) } }))];
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return contents;
}

/** The body of a Gemini request; the model and streaming go in its path (geminiPath). */
export function encodeRequest(r: InternalRequest): Json {
  const generationConfig = defined({
    maxOutputTokens: r.maxTokens,
    temperature: r.temperature,
    topP: r.topP,
    stopSequences: r.stop,
    ...encodeResponseFormat(r.responseFormat),
  });
  return defined({
    contents: encodeContents(r.messages),
    systemInstruction: r.system !== undefined ? { parts: [{ text: r.system }] } : undefined,
    tools: r.tools?.length ? [{ functionDeclarations: r.tools.map((t) => defined({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }] : undefined,
    toolConfig: r.toolChoice && encodeToolChoice(r.toolChoice),
    generationConfig: Object.keys(generationConfig).length ? generationConfig : undefined,
  });
}

export function decodeUsage(u: Json): Usage {
  const reasoning = count(u.thoughtsTokenCount);
  return { inputTokens: count(u.promptTokenCount), outputTokens: count(u.candidatesTokenCount) + reasoning, cachedInputTokens: count(u.cachedContentTokenCount), cacheWriteTokens: 0, reasoningTokens: reasoning };
}

export const encodeUsage = (u: Usage): Json => ({
  promptTokenCount: u.inputTokens,
  candidatesTokenCount: u.outputTokens - u.reasoningTokens,
  totalTokenCount: u.inputTokens + u.outputTokens,
  cachedContentTokenCount: u.cachedInputTokens,
  thoughtsTokenCount: u.reasoningTokens,
});

const CONTENT_FILTER = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);
export function decodeFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(String(reason))) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
export const FINISH_REASON: Record<FinishReason, string> = { stop: 'STOP', tool_calls: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY' };

/** The parts of a candidate's content: reasoning (thought), text, function calls. */
export function responseParts(r: Pick<InternalResponse, 'reasoning' | 'text' | 'toolCalls'>): Json[] {
  return [
    ...(r.reasoning ? [{ text: r.reasoning, thought: true }] : []),
    ...(r.text ? [{ text: r.text }] : []),
    ...r.toolCalls.map((c) => ({ functionCall: { id: c.id, name: c.name, args: argumentsObject(c.arguments) } })),
  ];
}

export function decodeResponse(body: unknown): InternalResponse {
  const b = isObject(body) ? body : {};
  const candidate = list(b.candidates)[0] ?? {};
  const parts = isObject(candidate.content) ? list(candidate.content.parts) : [];
  const toolCalls = parts.filter((p) => isObject(p.functionCall)).map((p, n) => functionCallOf(p, `call_${n}`));
  const reasoning = textOf(parts.filter((p) => p.thought === true));
  return defined({
    id: String(b.responseId ?? ''),
    model: String(b.modelVersion ?? ''),
    text: textOf(parts.filter((p) => p.thought !== true && typeof p.text === 'string')),
    reasoning: reasoning || undefined,
    toolCalls,
    finishReason: decodeFinishReason(candidate.finishReason, toolCalls.length > 0),
    usage: isObject(b.usageMetadata) ? decodeUsage(b.usageMetadata) : undefined,
  });
}

export function encodeResponse(r: InternalResponse): Json {
  return defined({
    candidates: [{ content: { role: 'model', parts: responseParts(r) }, finishReason: r.finishReason ? FINISH_REASON[r.finishReason] : undefined, index: 0 }],
    usageMetadata: r.usage && encodeUsage(r.usage),
    modelVersion: r.model,
    responseId: r.id,
  });
}

const NAME_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  server: 'INTERNAL',
};
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  overloaded: 503,
  server: 500,
};
/** Names that say more than the HTTP status; others (INVALID_ARGUMENT, INTERNAL…) go by status. */
const KIND_BY_NAME: Record<string, ErrorKind> = {
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
};

/** The `error` object of a Gemini error body → ApiError fields. */
export function readGeminiError(error: unknown, status: number): Omit<ApiError, 'status'> | null {
  if (!isObject(error) || typeof error.message !== 'string') return null;
  return { kind: KIND_BY_NAME[String(error.status)] ?? kindOfStatus(status), message: error.message };
}

export const decodeError = (status: number, text: string): ApiError => decodeErrorWith(status, text, (body) => readGeminiError(isObject(body) ? body.error : undefined, status));

export function encodeError(error: ApiError): EncodedError {
  const status = statusFor(error, STATUS_BY_KIND);
  return { status, body: { error: { code: status, message: error.message, status: NAME_BY_KIND[error.kind] } } };
}
