/** The model endpoints the gateway answers, each in its wire API (chat completions has its own route, with runbook mode). */
import type { WireApiName } from '../wire';

export interface GatewayEndpoint {
  path: string;
  api: WireApiName;
}

export const GATEWAY_ENDPOINTS: readonly GatewayEndpoint[] = [
  { path: '/v1/responses', api: 'responses' },
  { path: '/v1/messages', api: 'anthropic-messages' },
  // `gemini-2.5-pro:generateContent`, or with a provider prefix `anthropic/claude-…:generateContent`.
  { path: '/v1beta/models/*call', api: 'gemini' },
];

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';
export const MODELS_PATH = '/v1/models';
