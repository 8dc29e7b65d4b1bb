/** A model call read from an HTTP request in one of the gateway's wire APIs, or the error to answer instead (in that API). */
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayCall } from './passthrough';
import { parseJsonInput } from '../http/json-input';
import { gatewayError } from '../wire/translation';
import { type ApiError, type EncodedError, type Json, type WireApiName } from '../wire';

export type ParsedCall = { call: GatewayCall; error?: never } | { error: EncodedError; refusal: ApiError; call?: never };

const invalid = (api: WireApiName, status: number, message: string): ParsedCall => {
  const refusal: ApiError = { kind: status === 404 ? 'not_found' : 'invalid_request', status, message };
  return { error: gatewayError(api, refusal), refusal };
};

/**
 * A Gemini call's model and whether it streams, from its path. Unlike the API's own model
 * ids, the gateway's may carry a provider prefix (`models/anthropic/claude-…:generateContent`).
 */
export function geminiCallOf(pathname: string): { model: string; stream: boolean } | null {
  const match = /^\/v1(?:beta|alpha)?\/models\/(.+):(generateContent|streamGenerateContent)$/.exec(pathname);
  if (!match) return null;
  try {
    return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
  } catch {
    return null;
  }
}

/** A Gemini model path's model and method (`generateContent`, `embedContent`, `countTokens`…), or null. */
export function geminiMethodOf(pathname: string): { model: string; method: string } | null {
  const match = /^\/v1(?:beta|alpha)?\/models\/(.+):([A-Za-z]+)$/.exec(pathname);
  if (!match) return null;
  try {
    return { model: decodeURIComponent(match[1]), method: match[2] };
  } catch {
    return null;
  }
}

/** A JSON object request body, or why it is not one (answered 400 in the caller's API). */
export function parseJsonBody(raw: Buffer): { body: Json; error?: never } | { error: string; body?: never } {
  let body: unknown;
  try {
    body = parseJsonInput(raw.toString('utf8'));
  } catch (error) {
    return { error: `the request body is ${(error as Error).message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'the request body must be a JSON object' };
  return { body: body as Json };
}

export function parseGatewayCall(api: WireApiName, raw: Buffer, url: URL, headers: IncomingHttpHeaders): ParsedCall {
  const urlModel = api === 'gemini' ? geminiCallOf(url.pathname) : undefined;
  if (urlModel === null) return invalid(api, 404, `no such endpoint: ${url.pathname} (use /v1beta/models/{model}:generateContent or :streamGenerateContent)`);
  const parsed = parseJsonBody(raw);
  if (parsed.error !== undefined) return invalid(api, 400, parsed.error);
  return { call: { api, body: parsed.body, raw, headers, urlModel } };
}
