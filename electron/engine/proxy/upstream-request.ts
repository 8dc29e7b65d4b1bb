import type { IncomingHttpHeaders } from 'node:http';
import { toAnthropicRequest } from './anthropic-request';
import type { ResolvedModel } from './providers';

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

/** The HTTP request that carries an OpenAI-shaped body to the chosen provider, with the client's forwarded headers. */
export function buildUpstreamRequest({ provider, model }: ResolvedModel, body: Record<string, unknown>, clientHeaders: IncomingHttpHeaders = {}): UpstreamRequest {
  const { origin, path } = splitBaseUrl(provider.baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-encoding': 'identity' };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = clientHeaders[name];
    if (typeof value === 'string') headers[name] = value;
  }
  if (provider.wire === 'anthropic') {
    if (provider.apiKey) headers['x-api-key'] = provider.apiKey;
    headers['anthropic-version'] = ANTHROPIC_VERSION;
    return { origin, path: `${path}/messages`, headers, body: JSON.stringify(toAnthropicRequest(body, model)) };
  }
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return { origin, path: `${path}/chat/completions`, headers, body: JSON.stringify({ ...body, model }) };
}
