/**
 * The scripted model server's OpenAI Responses (`POST /v1/responses`) and Gemini
 * (`POST /v1beta/models/{model}:generateContent|streamGenerateContent`) formats, built on
 * the gateway's wire converters so each format has one definition: a request is decoded
 * to the internal shape and handed to scripts in the chat completions shape they read; a
 * scripted reply is encoded as the API's JSON answer or its SSE stream (text in several
 * deltas, tool-call arguments in fragments); errors take the API's shape.
 */
import type http from 'node:http';
import { WIRE_APIS } from '../../electron/engine/wire';
import { kindOfStatus } from '../../electron/engine/wire/errors';
import { isObject, type CallContext, type InternalResponse, type StreamEvent } from '../../electron/engine/wire/internal';
import { eventsOfResponse } from '../../electron/engine/wire/stream';
import type { ChatRequest } from './scripted-model-server';
import { splitIntoPieces, type ResolvedReply } from './scripted-model-responses';

export type WireFormat = 'responses' | 'gemini' | 'completions';

/** Why the API would refuse this body (400), or null. */
export function validateWireRequest(format: WireFormat, body: unknown): string | null {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  if (format === 'completions') {
    if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
    if (typeof body.prompt !== 'string' && !Array.isArray(body.prompt)) return "Missing required parameter: 'prompt'.";
    return null;
  }
  if (format === 'responses') {
    if (typeof body.model !== 'string' || body.model === '') return "Missing required parameter: 'model'.";
    if (typeof body.input !== 'string' && !Array.isArray(body.input)) return "Missing required parameter: 'input'.";
    return null;
  }
  if (!Array.isArray(body.contents) || body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  return null;
}

/** A request of `format` in the chat completions shape scripts read. */
export function chatRequestFrom(format: WireFormat, body: unknown, context: { model: string; stream: boolean } | undefined): ChatRequest {
  return WIRE_APIS['chat-completions'].encodeRequest(WIRE_APIS[format].decodeRequest(body, context)) as unknown as ChatRequest;
}

/** A scripted reply in the internal shape, with ids as `format` writes them. */
function internalReply(format: WireFormat, reply: ResolvedReply): InternalResponse {
  const suffix = reply.id.replace(/^chatcmpl-/, '');
  return {
    id: format === 'responses' ? `resp_${suffix}` : format === 'completions' ? `cmpl-${suffix}` : suffix,
    model: reply.model,
    text: reply.content ?? '',
    toolCalls: reply.toolCalls,
    finishReason: reply.finishReason,
    usage: { inputTokens: reply.usage.prompt_tokens, outputTokens: reply.usage.completion_tokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  };
}

const streamEvents = (format: WireFormat, reply: ResolvedReply): StreamEvent[] => eventsOfResponse(internalReply(format, reply), (t) => splitIntoPieces(t, 6));

/**
 * Answers with a scripted reply: the JSON body, or the SSE stream (usage in a legacy
 * completions stream only when asked; `context`: what the request says the answer's encoding needs).
 */
export function writeWireReply(res: http.ServerResponse, format: WireFormat, reply: ResolvedReply, streaming: boolean, { includeUsage = false, context }: { includeUsage?: boolean; context?: CallContext } = {}): void {
  if (!streaming) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(WIRE_APIS[format].encodeResponse(internalReply(format, reply), context)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const encoder = WIRE_APIS[format].streamEncoder({ includeUsage, context });
  for (const event of streamEvents(format, reply)) {
    const text = encoder.push(event);
    if (text) res.write(text);
  }
  res.end(encoder.end());
}

/** The start of a streamed reply, up to its text: what a reset connection delivered. */
export function partialWireStream(format: WireFormat, reply: ResolvedReply): string {
  const encoder = WIRE_APIS[format].streamEncoder();
  return streamEvents(format, reply)
    .filter((e) => e.type === 'start' || e.type === 'text')
    .map((e) => encoder.push(e))
    .join('');
}

/** A scripted error in the Gemini shape (Responses errors are OpenAI's, as chat completions'). */
export function geminiError(status: number, message: string) {
  return WIRE_APIS.gemini.encodeError({ kind: kindOfStatus(status), status, message }).body;
}
