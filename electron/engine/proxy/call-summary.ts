import type { Usage } from '../../../shared/trajectory';
import { assembleStream } from './stream-assembly';

type Json = Record<string, unknown>;

/** What the proxy saw of one call, captured on the hot path without parsing or copying anything. */
export interface CapturedCall {
  id: string;
  provider: string;
  /** The model as the client named it (`openai/gpt-4o`). */
  model: string;
  stream: boolean;
  /** The request body as the client sent it (parsed only when summarised). */
  request: Uint8Array;
  /** The HTTP status the client got. */
  status: number;
  /** The bytes the client got (OpenAI-shaped), or the error body. */
  chunks: Uint8Array[];
  cancelled: boolean;
  startedAt: number;
  firstByteAt: number | null;
  endedAt: number;
}

/** A passthrough call ready to be stored as a `passthrough` trajectory. */
export interface PassthroughRecord {
  id: string;
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

function usageOf(value: unknown): Usage | null {
  if (typeof value !== 'object' || value === null) return null;
  const u = value as Json;
  const prompt = Number(u.prompt_tokens ?? 0);
  const completion = Number(u.completion_tokens ?? 0);
  if (!Number.isFinite(prompt) || !Number.isFinite(completion)) return null;
  const total = Number(u.total_tokens ?? prompt + completion);
  return { prompt_tokens: Math.trunc(prompt), completion_tokens: Math.trunc(completion), total_tokens: Math.trunc(total) };
}

function parseBody(chunks: Uint8Array[]): unknown {
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(body: unknown): string | null {
  const error = typeof body === 'object' && body !== null ? (body as Json).error : null;
  if (typeof error === 'object' && error !== null && typeof (error as Json).message === 'string') return (error as Json).message as string;
  return null;
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
  const failed = call.cancelled || call.status >= 400;
  return {
    ...timesOf(call),
    id: call.id,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    status: call.cancelled ? 'cancelled' : failed ? 'failed' : 'completed',
    httpStatus: call.status,
    error: call.cancelled ? CANCELLED : failed ? `HTTP ${call.status}` : null,
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

/** Parses what was captured (off the hot path) into the record the store keeps. */
export function summariseCall(call: CapturedCall): PassthroughRecord {
  const ok = call.status < 400;
  const streamed = ok && call.stream;
  const response = streamed ? assembleStream(call.chunks) : parseBody(call.chunks);
  const streamError = streamed ? (response as ReturnType<typeof assembleStream>).error : null;
  const failed = !ok || streamError !== null;
  const error = call.cancelled
    ? CANCELLED
    : failed
      ? (errorMessage(streamed ? { error: streamError } : response) ?? `HTTP ${call.status}`)
      : null;
  return {
    id: call.id,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    status: call.cancelled ? 'cancelled' : failed ? 'failed' : 'completed',
    httpStatus: call.status,
    error,
    request: stripCredentials(parseBody([call.request]) as Json),
    response,
    usage: usageOf((response as Json | null)?.usage),
    ...timesOf(call),
  };
}
