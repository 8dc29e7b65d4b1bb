/**
 * How one gateway call crosses from the caller's wire API to the provider's: the request
 * body, the whole response, the stream and the errors, each converted through the internal
 * shape (wire/) when the two APIs differ, and left as they are when they are the same.
 */
import { WIRE_APIS, type ApiError, type EncodedError, type Json, type WireApiName } from './wire';

/** Turns the provider's SSE bytes into the caller's SSE text, chunk by chunk. */
export interface StreamTranslator {
  push(chunk: Uint8Array): string;
  end(): string;
}

export interface CallTranslation {
  /** The caller's API and the provider's differ. */
  translated: boolean;
  /** The request body to send the provider, naming its `model` (without the caller's provider prefix). */
  requestBody(body: Json, model: string, stream: boolean): string;
  /** The provider's whole JSON answer in the caller's API (null: send it as it came). */
  response(bytes: Buffer): Buffer | null;
  /** The provider's stream in the caller's API (null: relay its bytes untouched). */
  stream(options: { includeUsage: boolean }): StreamTranslator | null;
  /** The provider's error answer in the caller's API. */
  error(status: number, text: string): EncodedError;
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
  return {
    translated: false,
    // Gemini names the model in the URL, not the body.
    requestBody: (body, model) => JSON.stringify(api === 'gemini' ? body : { ...body, model }),
    response: () => null,
    stream: () => null,
    error: (status, text) => (isJsonObject(text) ? { status, body: JSON.parse(text) as Json } : WIRE_APIS[api].encodeError(WIRE_APIS[api].decodeError(status, text))),
  };
}

function crossApi(caller: WireApiName, provider: WireApiName): CallTranslation {
  const from = WIRE_APIS[caller];
  const to = WIRE_APIS[provider];
  return {
    translated: true,
    requestBody(body, model, stream) {
      const request = from.decodeRequest(body, { model, stream });
      return JSON.stringify(to.encodeRequest({ ...request, model, stream }));
    },
    response: (bytes) => Buffer.from(JSON.stringify(from.encodeResponse(to.decodeResponse(JSON.parse(bytes.toString('utf8')))))),
    stream({ includeUsage }) {
      const decoder = to.streamDecoder();
      const encoder = from.streamEncoder({ includeUsage });
      return {
        push: (chunk) => decoder.push(chunk).map((e) => encoder.push(e)).join(''),
        end: () => decoder.end().map((e) => encoder.push(e)).join('') + encoder.end(),
      };
    },
    error: (status, text) => from.encodeError(to.decodeError(status, text)),
  };
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
