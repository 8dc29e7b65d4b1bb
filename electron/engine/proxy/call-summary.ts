import type { Usage } from '../../../shared/trajectory';
import { assembleEvents, WIRE_APIS, type Usage as WireUsage, type WireApiName } from '../wire';
import { isRestApi, recordedRestResponse, restErrorMessage, type RestApiName } from './rest-apis';
import { auxInputTokens, recordedAuxResponse, type AuxKind } from './aux-calls';
import { trajectoryUsage } from '../wire/trajectory-usage';

/** The API a call was made in: one the gateway speaks and translates, a provider's own REST API, or an embeddings or count call. */
export type CallApi = WireApiName | RestApiName | AuxKind;

const isAux = (api: CallApi): api is AuxKind => api === 'embeddings' || api === 'count-tokens';

/** A call in one of the wire APIs of model calls (with a conversation), not a REST, embeddings or count call. */
export const isWireApi = (api: CallApi): api is WireApiName => !isAux(api) && !isRestApi(api);

type Json = Record<string, unknown>;

/** What the proxy saw of one call, captured on the hot path without parsing or copying anything. */
export interface CapturedCall {
  id: string;
  /** The wire API the client spoke (its request and the bytes it got are in it). */
  api: CallApi;
  /** The run whose per-run token made the call, if any. */
  runId: string | null;
  provider: string;
  /** The model as the client named it (`openai/gpt-4o`). */
  model: string;
  stream: boolean;
  /** The request body as the client sent it (parsed only when summarised). */
  request: Uint8Array;
  /** The HTTP status the client got. */
  status: number;
  /** The bytes the client got (in its API), or the error body. */
  chunks: Uint8Array[];
  cancelled: boolean;
  startedAt: number;
  firstByteAt: number | null;
  endedAt: number;
  /** Why the call failed although its status says otherwise (a stream cut short), or why it was refused before it went. */
  error?: string | null;
  /** The usage the provider reported where the client's bytes do not carry it (it did not ask for it). */
  usage?: WireUsage | null;
}

/** A passthrough call ready to be stored as a `passthrough` trajectory. */
export interface PassthroughRecord {
  id: string;
  api: CallApi;
  runId: string | null;
  provider: string;
  model: string;
  stream: boolean;
  status: 'completed' | 'failed' | 'cancelled';
  httpStatus: number;
  error: string | null;
  /** The request body with anything that looks like a credential removed (as text when stored raw). */
  request: Json | string;
  /** The response body, or for a stream the completion assembled from its chunks. */
  response: unknown;
  usage: Usage | null;
  startedAt: string;
  endedAt: string;
  latencyMs: number;
  /** Streams only: time from the request to the first byte sent to the client. */
  firstTokenMs: number | null;
}

const CREDENTIAL_KEY = /^(api[_-]?key|authorization|x-api-key|token|access[_-]?token|secret)$/i;

/** Drops top-level fields that carry credentials (some clients put `api_key` in the body). */
export function stripCredentials(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !CREDENTIAL_KEY.test(key)));
}


function parseBody(chunks: Uint8Array[]): unknown {
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a successful call answered, in the client's API: its body, or for a stream the whole response its events make up. */
export interface CallOutcome {
  response: unknown;
  usage: WireUsage | null;
  /** The error the call answered, or a stream carried. */
  error: string | null;
}

/**
 * What a call came to (off the hot path): the response, its usage and any error, read from
 * the bytes the client got by the client's API; the usage the provider reported apart (the
 * client did not ask for it) and the relay's own reason (a stream cut short, a refusal) where
 * the bytes do not say.
 */
export function outcomeOf(call: CapturedCall): CallOutcome {
  const decoded = decodedOutcome(call);
  return { response: decoded.response, usage: decoded.usage ?? call.usage ?? null, error: call.error ?? decoded.error };
}

/** Reads the bytes a client got: the response, its usage and any error, by the client's API. */
function decodedOutcome(call: CapturedCall): CallOutcome {
  if (isAux(call.api)) {
    const failed = call.status >= 400;
    const body = parseBody(call.chunks);
    const tokens = failed ? null : auxInputTokens(call.api, body);
    const usage = tokens === null ? null : { inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    return { response: recordedAuxResponse(call.api, body), usage, error: failed ? restErrorMessage(call.status, Buffer.concat(call.chunks).toString('utf8')) : null };
  }
  if (isRestApi(call.api)) {
    const failed = call.status >= 400;
    return { response: recordedRestResponse(call.api, parseBody(call.chunks)), usage: null, error: failed ? restErrorMessage(call.status, Buffer.concat(call.chunks).toString('utf8')) : null };
  }
  const wire = WIRE_APIS[call.api];
  if (call.status >= 400) return { response: parseBody(call.chunks), usage: null, error: wire.decodeError(call.status, Buffer.concat(call.chunks).toString('utf8')).message };
  if (call.stream) {
    const decoder = wire.streamDecoder();
    const { response, error } = assembleEvents([...call.chunks.flatMap((c) => decoder.push(c)), ...decoder.end()]);
    // A stream that never said it finished is a failure, with what arrived: nothing is invented.
    const unfinished = response.finishReason === null ? 'the stream ended before the provider finished its answer' : null;
    return { response: wire.encodeResponse(response), usage: response.usage ?? null, error: error?.message ?? unfinished };
  }
  const body = parseBody(call.chunks);
  const usage = body === null || typeof body !== 'object' ? null : (wire.decodeResponse(body).usage ?? null);
  return { response: body, usage, error: null };
}

const CANCELLED = 'the client disconnected before the response completed';

/** The value of every credential-named field in JSON text, anywhere in it, replaced. */
const CREDENTIAL_FIELD = /("(?:api[_-]?key|authorization|x-api-key|token|access[_-]?token|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** JSON text with the values of credential-named fields removed (for bodies kept unparsed). */
export const stripCredentialText = (text: string): string => text.replace(CREDENTIAL_FIELD, '$1"[REDACTED]"');

/**
 * The record of a call whose bodies cannot be stored parsed (e.g. nested too deeply to
 * serialise): request and response kept as text, the outcome from the status alone.
 */
export function summariseCallRaw(call: CapturedCall): PassthroughRecord {
  const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');
  const failed = call.cancelled || call.status >= 400 || Boolean(call.error);
  return {
    ...timesOf(call),
    id: call.id,
    api: call.api,
    runId: call.runId,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    status: call.cancelled ? 'cancelled' : failed ? 'failed' : 'completed',
    httpStatus: call.status,
    error: call.cancelled ? CANCELLED : failed ? (call.error ?? `HTTP ${call.status}`) : null,
    request: stripCredentialText(text([call.request])),
    response: stripCredentialText(text(call.chunks)),
    usage: null,
  };
}

function timesOf(call: CapturedCall): Pick<PassthroughRecord, 'startedAt' | 'endedAt' | 'latencyMs' | 'firstTokenMs'> {
  return {
    startedAt: new Date(call.startedAt).toISOString(),
    endedAt: new Date(call.endedAt).toISOString(),
    latencyMs: call.endedAt - call.startedAt,
    firstTokenMs: call.stream && call.firstByteAt !== null ? call.firstByteAt - call.startedAt : null,
  };
}

/** The request as recorded: its JSON without credential fields, or (a body that was refused as unreadable) its text. */
function requestOf(call: CapturedCall): Json | string {
  const body = parseBody([call.request]);
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? stripCredentials(body as Json) : stripCredentialText(Buffer.from(call.request).toString('utf8'));
}

/** Parses what was captured (off the hot path) into the record the store keeps. */
export function summariseCall(call: CapturedCall): PassthroughRecord {
  const outcome = outcomeOf(call);
  const { error, usage } = outcome;
  const failed = call.status >= 400 || error !== null;
  return {
    id: call.id,
    api: call.api,
    runId: call.runId,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    status: call.cancelled ? 'cancelled' : failed ? 'failed' : 'completed',
    httpStatus: call.status,
    error: call.cancelled ? CANCELLED : failed ? (error ?? `HTTP ${call.status}`) : null,
    request: requestOf(call),
    response: outcome.response,
    usage: usage && trajectoryUsage(usage),
    ...timesOf(call),
  };
}
