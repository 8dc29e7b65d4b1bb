/**
 * How one gateway call crosses from the caller's wire API to the provider's: the request
 * body, the whole response, the stream and the errors, each converted through the internal
 * shape (wire/) when the two APIs differ, and left as they are when they are the same.
 */
import { WIRE_APIS, type ApiError, type CallContext, type EncodedError, type Json, type StreamEvent, type Usage, type WireApiName } from '.';

/**
 * Where a translated stream goes, event by event. `urgent` marks the stream's first event
 * that carries content (text, reasoning, a tool call): it should leave at once, not with
 * the rest of what the same upstream read brought.
 */
export type StreamSink = (text: string, urgent: boolean) => void;

/** Turns the provider's SSE bytes into the caller's SSE text, each event as soon as its frame is decoded. */
export interface StreamTranslator {
  /** Decodes the provider's next bytes, handing the sink each translated event as it comes. */
  push(chunk: Uint8Array): void;
  /** The text the stream's end completes (the answer's last bytes). */
  end(): string;
  /** Whether the provider's stream said it finished (a stream cut short did not). */
  finished(): boolean;
}

export interface StreamOptions {
  /** Send usage to the caller (chat completions sends it only when asked). */
  includeUsage: boolean;
  sink: StreamSink;
  /** Each usage the provider reported, whether or not the caller gets it (what the call is recorded with). */
  onUsage?: (usage: Usage) => void;
}

export interface CallTranslation {
  /** The caller's API and the provider's differ. */
  translated: boolean;
  /** The request body to send the provider, naming its `model` (without the caller's provider prefix). */
  requestBody(body: Json, model: string, stream: boolean): string;
  /** The provider's whole JSON answer in the caller's API (null: send it as it came). */
  response(bytes: Buffer): Buffer | null;
  /** The provider's stream in the caller's API (null: relay its bytes untouched). */
  stream(options: StreamOptions): StreamTranslator | null;
  /** The provider's error answer in the caller's API. */
  error(status: number, text: string): EncodedError;
  /** This translation for one call whose body (the caller's) is `body`: what its answer's encoding needs of it (a Responses client's namespaced functions). */
  forRequest(body: Json): CallTranslation;
}

/** An error the gateway itself answers with (no provider, unreachable, not recorded, over budget), in the caller's API. */
export const gatewayError = (api: WireApiName, error: ApiError): EncodedError => WIRE_APIS[api].encodeError(error);

const isJsonObject = (text: string): boolean => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** The same API on both sides: bodies pass through (the model renamed), errors too when they are JSON. */
function sameApi(api: WireApiName): CallTranslation {
  const self: CallTranslation = {
    translated: false,
    // Gemini names the model in the URL, not the body.
    requestBody: (body, model) => JSON.stringify(api === 'gemini' ? body : { ...body, model }),
    response: () => null,
    stream: () => null,
    error: (status, text) => (isJsonObject(text) ? { status, body: JSON.parse(text) as Json } : WIRE_APIS[api].encodeError(WIRE_APIS[api].decodeError(status, text))),
    forRequest: () => self,
  };
  return self;
}

const CONTENT_EVENTS: ReadonlySet<StreamEvent['type']> = new Set(['text', 'reasoning', 'tool_call_start', 'tool_call_delta']);

function crossApi(caller: WireApiName, provider: WireApiName, context?: CallContext): CallTranslation {
  const from = WIRE_APIS[caller];
  const to = WIRE_APIS[provider];
  const self: CallTranslation = {
    translated: true,
    requestBody(body, model, stream) {
      const request = from.decodeRequest(body, { model, stream });
      return JSON.stringify(to.encodeRequest({ ...request, model, stream }));
    },
    response: (bytes) => Buffer.from(JSON.stringify(from.encodeResponse(to.decodeResponse(JSON.parse(bytes.toString('utf8'))), context))),
    stream({ includeUsage, sink, onUsage }) {
      const decoder = to.streamDecoder();
      const encoder = from.streamEncoder({ includeUsage, context });
      let awaitingContent = true;
      let finished = false;
      const emit = (event: StreamEvent) => {
        if (event.type === 'finish') finished = true;
        else if (event.type === 'usage') onUsage?.(event.usage);
        const text = encoder.push(event);
        if (!text) return;
        const urgent = awaitingContent && CONTENT_EVENTS.has(event.type);
        if (urgent) awaitingContent = false;
        sink(text, urgent);
      };
      return {
        push: (chunk) => decoder.feed(chunk, emit),
        end() {
          let tail = '';
          decoder.finish((event) => {
            if (event.type === 'finish') finished = true;
            else if (event.type === 'usage') onUsage?.(event.usage);
            tail += encoder.push(event);
          });
          return tail + encoder.end();
        },
        finished: () => finished,
      };
    },
    error: (status, text) => from.encodeError(to.decodeError(status, text)),
    forRequest: (body) => (from.callContext ? crossApi(caller, provider, from.callContext(body)) : self),
  };
  return self;
}

const cache = new Map<string, CallTranslation>();

/** The translation between a caller's API and a provider's (made once per pair). */
export function translationFor(caller: WireApiName, provider: WireApiName): CallTranslation {
  const key = `${caller}>${provider}`;
  let t = cache.get(key);
  if (!t) {
    t = caller === provider ? sameApi(caller) : crossApi(caller, provider);
    cache.set(key, t);
  }
  return t;
}
