/**
 * The gateway's model routes on the local Jetty API (behind its API token), every standard
 * endpoint in every wire API the gateway speaks: OpenAI Responses, legacy completions,
 * embeddings, images and the model list (`/v1/models`, `/v1/models/{id}`); Anthropic
 * Messages and `count_tokens`; Gemini generateContent / streamGenerateContent, embedContent /
 * batchEmbedContents, countTokens and its model list (`/v1beta/models`). Each call goes
 * through the passthrough (routing, translation, journal); a request refused before it
 * names a provider is answered in the caller's API and recorded as such.
 */
import type { Passthrough, RestCall } from '../proxy/passthrough';
import { httpSink } from '../proxy/response-sink';
import type { Route, RouteContext } from './router';
import { sendJson } from '../http/respond';
import { geminiMethodOf, parseGatewayCall, parseJsonBody } from '../proxy/call-request';
import { GATEWAY_ENDPOINTS, MODELS_PATH } from '../proxy/endpoints';
import { gatewayError } from '../wire/translation';
import type { AuxKind } from '../proxy/aux-calls';
import type { Json, WireApiName } from '../wire';

const GEMINI_GENERATE = new Set(['generateContent', 'streamGenerateContent']);
const GEMINI_AUX: Record<string, AuxKind> = { embedContent: 'embeddings', batchEmbedContents: 'embeddings', countTokens: 'count-tokens' };

/** Anthropic's clients name their API version on every call: their model answers and errors take its shape. */
const isAnthropicClient = (ctx: RouteContext): boolean => typeof ctx.req.headers['anthropic-version'] === 'string';

/** A model in Gemini's list shape. */
const geminiModel = (entry: Json): Json => ({
  name: `models/${String(entry.id)}`,
  baseModelId: String(entry.id),
  version: '001',
  displayName: String(entry.id),
  supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents'],
});

export function gatewayRoutes(passthrough: Passthrough): Route[] {
  /** A model call in one of the generation APIs. */
  const generate = async (ctx: RouteContext, api: WireApiName) => {
    const raw = await ctx.body();
    const parsed = parseGatewayCall(api, raw, ctx.url, ctx.req.headers);
    if (parsed.error) {
      if (parsed.refusal.status === 404) return sendJson(ctx.res, parsed.error.status, parsed.error.body);
      return passthrough.refuseRequest(httpSink(ctx.res), { api, errorApi: api, raw }, parsed.refusal);
    }
    await passthrough.handleCall(httpSink(ctx.res), parsed.call);
  };

  /** An embeddings or count call; `urlModel` for Gemini's (model and method in the path). */
  const aux = async (ctx: RouteContext, kind: AuxKind, api: WireApiName, urlModel?: { model: string; method: string }) => {
    const raw = await ctx.body();
    const parsed = parseJsonBody(raw);
    if (parsed.error !== undefined) return passthrough.refuseRequest(httpSink(ctx.res), { api: kind, errorApi: api, raw }, { kind: 'invalid_request', status: 400, message: parsed.error });
    await passthrough.handleAux(httpSink(ctx.res), { kind, api, body: parsed.body, raw, headers: ctx.req.headers, urlModel });
  };

  const notFound = (ctx: RouteContext, api: WireApiName, message: string) => {
    const encoded = gatewayError(api, { kind: 'not_found', status: 404, message });
    sendJson(ctx.res, encoded.status, encoded.body);
  };

  const calls: Route[] = GATEWAY_ENDPOINTS.map(({ path, api }) => ({ method: 'POST', path, handle: (ctx) => generate(ctx, api) }));
  return [
    ...calls.filter((c) => !c.path.startsWith('/v1beta/')),
    { method: 'POST', path: '/v1/embeddings', handle: (ctx) => aux(ctx, 'embeddings', 'chat-completions') },
    { method: 'POST', path: '/v1/messages/count_tokens', handle: (ctx) => aux(ctx, 'count-tokens', 'anthropic-messages') },
    {
      method: 'POST',
      path: '/v1/images/generations',
      async handle(ctx) {
        const raw = await ctx.body();
        const parsed = parseJsonBody(raw);
        if (parsed.error !== undefined) return passthrough.refuseRequest(httpSink(ctx.res), { api: 'openai-images', errorApi: 'chat-completions', raw }, { kind: 'invalid_request', status: 400, message: parsed.error });
        const call: RestCall = { api: 'openai-images', model: typeof parsed.body.model === 'string' ? parsed.body.model : '', method: 'POST', path: '/images/generations', body: parsed.body, headers: ctx.req.headers };
        await passthrough.handleRest(httpSink(ctx.res), call);
      },
    },
    {
      method: 'POST',
      path: '/v1beta/models/*call',
      async handle(ctx) {
        const method = geminiMethodOf(ctx.url.pathname);
        if (method && GEMINI_GENERATE.has(method.method)) return generate(ctx, 'gemini');
        if (method && GEMINI_AUX[method.method]) return aux(ctx, GEMINI_AUX[method.method], 'gemini', method);
        return notFound(ctx, 'gemini', `no such endpoint: ${ctx.url.pathname} (use /v1beta/models/{model}:generateContent, :streamGenerateContent, :embedContent, :batchEmbedContents or :countTokens)`);
      },
    },
    { method: 'GET', path: MODELS_PATH, handle: async (ctx) => sendJson(ctx.res, 200, await passthrough.models()) },
    {
      method: 'GET',
      path: `${MODELS_PATH}/*id`,
      async handle(ctx) {
        const model = await passthrough.model(ctx.params.id);
        if (model) return sendJson(ctx.res, 200, model);
        notFound(ctx, isAnthropicClient(ctx) ? 'anthropic-messages' : 'chat-completions', `no model ${ctx.params.id}: GET /v1/models lists the models of every configured provider`);
      },
    },
    {
      method: 'GET',
      path: '/v1beta/models',
      handle: async (ctx) => sendJson(ctx.res, 200, { models: ((await passthrough.models()).data as Json[]).map(geminiModel) }),
    },
    {
      method: 'GET',
      path: '/v1beta/models/*id',
      async handle(ctx) {
        const model = await passthrough.model(ctx.params.id.replace(/^models\//, ''));
        if (model) return sendJson(ctx.res, 200, geminiModel(model));
        notFound(ctx, 'gemini', `no model ${ctx.params.id}: GET /v1beta/models lists the models of every configured provider`);
      },
    },
  ];
}
