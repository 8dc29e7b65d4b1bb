/**
 * The gateway's model routes on the local Jetty API (behind its API token): OpenAI
 * Responses, Anthropic Messages, Gemini generateContent / streamGenerateContent, and the
 * model list. Each call goes through the passthrough (routing, translation, journal).
 */
import type { Passthrough } from '../proxy/passthrough';
import { httpSink } from '../proxy/response-sink';
import type { Route } from './router';
import { sendJson } from '../http/respond';
import { parseGatewayCall } from '../proxy/call-request';
import { GATEWAY_ENDPOINTS, MODELS_PATH } from '../proxy/endpoints';

export function gatewayRoutes(passthrough: Passthrough): Route[] {
  const calls: Route[] = GATEWAY_ENDPOINTS.map(({ path, api }) => ({
    method: 'POST',
    path,
    async handle(ctx) {
      const parsed = parseGatewayCall(api, await ctx.body(), ctx.url, ctx.req.headers);
      if (parsed.error) return sendJson(ctx.res, parsed.error.status, parsed.error.body);
      await passthrough.handleCall(httpSink(ctx.res), parsed.call);
    },
  }));
  const models: Route = { method: 'GET', path: MODELS_PATH, handle: async (ctx) => sendJson(ctx.res, 200, await passthrough.models()) };
  return [...calls, models];
}
