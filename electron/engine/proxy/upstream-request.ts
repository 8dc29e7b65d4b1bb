import type { IncomingHttpHeaders } from 'node:http';
import { geminiPath, type WireApiName } from '../wire';
import type { Provider, ResolvedModel } from './providers';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface UpstreamRequest {
  /** `http://host:port` */
  origin: string;
  /** The path on that origin, the base URL's own path included. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Base URLs split into origin and path once each (they come from a handful of providers). */
const splitBaseUrls = new Map<string, { origin: string; path: string }>();

function splitBaseUrl(baseUrl: string): { origin: string; path: string } {
  let split = splitBaseUrls.get(baseUrl);
  if (!split) {
    const url = new URL(baseUrl);
    split = { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
    splitBaseUrls.set(baseUrl, split);
  }
  return split;
}

/** Client request headers passed on to the provider: an idempotency key makes a retried call answer once. */
export const FORWARDED_REQUEST_HEADERS = ['idempotency-key'] as const;

/** The path of a call in `api` on the provider's API, after its base URL's path. */
function endpointPath(api: WireApiName, model: string, stream: boolean): string {
  switch (api) {
    case 'chat-completions':
      return '/chat/completions';
    case 'completions':
      return '/completions';
    case 'responses':
      return '/responses';
    case 'anthropic-messages':
      return '/messages';
    case 'gemini':
      return geminiPath(model, stream).replace(/^\/v1beta/, '');
  }
}

/** The provider's own headers and its credential header (its real key: callers' tokens never reach a provider). */
function authHeaders(provider: Provider, headers: Record<string, string>): void {
  const { apiKey, wire } = provider;
  if (provider.headers) Object.assign(headers, provider.headers);
  if (wire === 'anthropic-messages') headers['anthropic-version'] = ANTHROPIC_VERSION;
  if (!apiKey) return;
  if (wire === 'anthropic-messages') headers['x-api-key'] = apiKey;
  else if (wire === 'gemini') headers['x-goog-api-key'] = apiKey;
  else headers.authorization = `Bearer ${apiKey}`;
}

/** The HTTP request that carries `body` (already in `api`, an API the provider speaks) to the chosen provider, with the client's forwarded headers. */
export function buildUpstreamRequest(resolved: ResolvedModel, api: WireApiName, body: string, stream: boolean, clientHeaders: IncomingHttpHeaders = {}): UpstreamRequest {
  return providerRequest(resolved.provider, endpointPath(api, resolved.model, stream), body, clientHeaders);
}

/** A JSON POST to `path` (after the base URL's path) of the provider, with its headers and the client's forwarded ones. */
export function providerRequest(provider: Provider, path: string, body: string, clientHeaders: IncomingHttpHeaders = {}): UpstreamRequest {
  const base = splitBaseUrl(provider.baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-encoding': 'identity' };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = clientHeaders[name];
    if (typeof value === 'string') headers[name] = value;
  }
  authHeaders(provider, headers);
  return { origin: base.origin, path: `${base.path}${path}`, headers, body };
}

export type RestRequest = Omit<UpstreamRequest, 'body'> & { body: string | null };

/** Headers a provider's own REST API call passes on: the idempotency key, and Replicate's `Prefer: wait`. */
const FORWARDED_REST_HEADERS = [...FORWARDED_REQUEST_HEADERS, 'prefer'] as const;

/** A call in a provider's own REST API (`/images/generations`, `/predictions/{id}`): its body as given, or none for a GET. */
export function buildRestRequest(provider: Provider, path: string, body: string | null, clientHeaders: IncomingHttpHeaders = {}): RestRequest {
  const base = splitBaseUrl(provider.baseUrl);
  const headers: Record<string, string> = { 'accept-encoding': 'identity', ...(body === null ? {} : { 'content-type': 'application/json' }) };
  for (const name of FORWARDED_REST_HEADERS) {
    const value = clientHeaders[name];
    if (typeof value === 'string') headers[name] = value;
  }
  authHeaders(provider, headers);
  return { origin: base.origin, path: `${base.path}${path}`, headers, body };
}

/** The request that lists a provider's models (`GET <base>/models`, in every API the gateway speaks). */
export function modelsRequest(provider: Provider): Omit<UpstreamRequest, 'body'> {
  const { origin, path } = splitBaseUrl(provider.baseUrl);
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  authHeaders(provider, headers);
  return { origin, path: `${path}/models`, headers };
}
