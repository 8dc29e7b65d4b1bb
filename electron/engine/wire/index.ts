/** The wire APIs the gateway speaks, each a set of converters to and from the internal shape (internal.ts). */
import * as anthropic from './anthropic-messages';
import { AnthropicStreamDecoder, AnthropicStreamEncoder } from './anthropic-messages-stream';
import * as chat from './chat-completions';
import * as completions from './completions';
import { ChatStreamDecoder, ChatStreamEncoder } from './chat-completions-stream';
import * as gemini from './gemini';
import { GeminiStreamDecoder, GeminiStreamEncoder } from './gemini-stream';
import type { WireApi } from './internal';
import { decodeOpenAiError, encodeOpenAiError } from './openai-errors';
import * as responses from './responses';
import { ResponsesStreamDecoder, ResponsesStreamEncoder } from './responses-stream';

/** The wire APIs of model calls; `completions` is OpenAI's legacy text completions. */
export type WireApiName = 'chat-completions' | 'completions' | 'responses' | 'anthropic-messages' | 'gemini';

export const WIRE_APIS: Record<WireApiName, WireApi> = {
  'chat-completions': {
    decodeRequest: chat.decodeRequest,
    encodeRequest: chat.encodeRequest,
    decodeResponse: chat.decodeResponse,
    encodeResponse: chat.encodeResponse,
    streamDecoder: () => new ChatStreamDecoder(),
    streamEncoder: (options) => new ChatStreamEncoder(options?.includeUsage ?? false),
    decodeError: decodeOpenAiError,
    encodeError: encodeOpenAiError,
  },
  completions: {
    decodeRequest: completions.decodeRequest,
    encodeRequest: completions.encodeRequest,
    decodeResponse: completions.decodeResponse,
    encodeResponse: completions.encodeResponse,
    streamDecoder: () => new completions.CompletionsStreamDecoder(),
    streamEncoder: (options) => new completions.CompletionsStreamEncoder(options?.includeUsage ?? false),
    decodeError: decodeOpenAiError,
    encodeError: encodeOpenAiError,
  },
  responses: {
    decodeRequest: responses.decodeRequest,
    encodeRequest: responses.encodeRequest,
    decodeResponse: responses.decodeResponse,
    encodeResponse: responses.encodeResponse,
    streamDecoder: () => new ResponsesStreamDecoder(),
    streamEncoder: (options) => new ResponsesStreamEncoder(options?.context),
    callContext: responses.callContext,
    decodeError: decodeOpenAiError,
    encodeError: encodeOpenAiError,
  },
  'anthropic-messages': {
    decodeRequest: anthropic.decodeRequest,
    encodeRequest: anthropic.encodeRequest,
    decodeResponse: anthropic.decodeResponse,
    encodeResponse: anthropic.encodeResponse,
    streamDecoder: () => new AnthropicStreamDecoder(),
    streamEncoder: () => new AnthropicStreamEncoder(),
    decodeError: anthropic.decodeError,
    encodeError: anthropic.encodeError,
  },
  gemini: {
    decodeRequest: gemini.decodeRequest,
    encodeRequest: gemini.encodeRequest,
    decodeResponse: gemini.decodeResponse,
    encodeResponse: gemini.encodeResponse,
    streamDecoder: () => new GeminiStreamDecoder(),
    streamEncoder: () => new GeminiStreamEncoder(),
    decodeError: gemini.decodeError,
    encodeError: gemini.encodeError,
  },
};

export type * from './internal';
export { assembleEvents, eventsOfResponse } from './stream';
export { geminiPath, parseGeminiPath } from './gemini';
