/** The model endpoints the gateway answers, each in its wire API (chat completions has its own route, with runbook mode). */
import type { WireApiName } from '../wire';

export interface GatewayEndpoint {
  path: string;
  api: WireApiName;
}

export const GATEWAY_ENDPOINTS: readonly GatewayEndpoint[] = [
  { path: '/v1/responses', api: 'responses' },
  { path: '/v1/completions', api: 'completions' },
  { path: '/v1/messages', api: 'anthropic-messages' },
  // `gemini-2.5-pro:generateContent`, or with a provider prefix `anthropic/claude-…:generateContent`.
  { path: '/v1beta/models/*call', api: 'gemini' },
];

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';
export const MODELS_PATH = '/v1/models';

/**
 * The wire API whose error shape a refusal on this path takes (before any route runs: a
 * missing token), or null for a path that is no model endpoint: Anthropic's for
 * `/v1/messages…`, Gemini's for `/v1beta/…`, OpenAI's for the rest of `/v1/…`.
 */
export function errorApiOfPath(pathname: string): WireApiName | null {
  if (pathname === '/v1/messages' || pathname.startsWith('/v1/messages/')) return 'anthropic-messages';
  if (pathname.startsWith('/v1beta/')) return 'gemini';
  if (pathname.startsWith('/v1/')) return 'chat-completions';
  return null;
}
