import { toAnthropicRequest } from './anthropic-request';
import type { ResolvedModel } from './providers';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP request that carries an OpenAI-shaped body to the chosen provider. */
export function buildUpstreamRequest({ provider, model }: ResolvedModel, body: Record<string, unknown>): UpstreamRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-encoding': 'identity' };
  if (provider.wire === 'anthropic') {
    if (provider.apiKey) headers['x-api-key'] = provider.apiKey;
    headers['anthropic-version'] = ANTHROPIC_VERSION;
    return { url: `${provider.baseUrl}/messages`, headers, body: JSON.stringify(toAnthropicRequest(body, model)) };
  }
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return { url: `${provider.baseUrl}/chat/completions`, headers, body: JSON.stringify({ ...body, model }) };
}
