import type { ServerResponse } from 'node:http';
import { openAiError } from '../proxy/openai-error';
import type { Passthrough } from '../proxy/passthrough';
import { httpSink } from '../proxy/response-sink';
import { parseJsonBody } from '../proxy/call-request';
import { sendJson } from '../http/respond';
import { type Route } from './router';

type Json = Record<string, unknown>;

/** Runbook mode: a request that carries a `jetty` block. */
export type RunbookModeHandler = (res: ServerResponse, body: Json) => Promise<void>;

/**
 * `POST /v1/chat/completions`: one endpoint, two modes. Without a `jetty` block the call
 * goes through the passthrough proxy; with one it starts a local runbook run.
 * Errors use OpenAI's error shape, which every OpenAI client reads.
 */
export function chatCompletionsRoute(deps: { passthrough: Passthrough; runbookMode?: RunbookModeHandler }): Route {
  return {
    method: 'POST',
    path: '/v1/chat/completions',
    async handle(ctx) {
      const raw = await ctx.body();
      const parsed = parseJsonBody(raw);
      // Refused before it names a provider: answered in OpenAI's shape and recorded as a failed call.
      if (parsed.error !== undefined) return deps.passthrough.refuseRequest(httpSink(ctx.res), { api: 'chat-completions', errorApi: 'chat-completions', raw }, { kind: 'invalid_request', status: 400, message: parsed.error });
      const request = parsed.body;
      if (request.jetty !== undefined && request.jetty !== null) {
        if (deps.runbookMode) return deps.runbookMode(ctx.res, request);
        return sendJson(ctx.res, 501, openAiError('runbook mode is not available in this build', 'not_implemented'));
      }
      return deps.passthrough.handle(httpSink(ctx.res), request, raw, ctx.req.headers);
    },
  };
}
