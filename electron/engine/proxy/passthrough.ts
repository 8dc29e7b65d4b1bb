import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { findModel, listModels } from './models';
import { planCount, planEmbeddings, type AuxKind } from './aux-calls';
import { createResponseHistory, UnknownResponseError, type RecordedResponse } from './response-history';
import { gatewayError, translationFor, type CallTranslation, type StreamTranslator } from '../wire/translation';
import type { ApiError, ErrorKind, Usage as WireUsage, WireApiName } from '../wire';
import { usageFilter, type UsageFilter } from './stream-usage';
import { outcomeOf, type CallApi, type CapturedCall } from './call-summary';
import { ProviderError, type Provider, type ProviderRegistry, type ResolvedModel } from './providers';
import type { Head, ResponseSink } from './response-sink';
import type { RestApiName } from './rest-apis';
import { buildRestRequest, buildUpstreamRequest, providerRequest, type RestRequest } from './upstream-request';

type Json = Record<string, unknown>;

export const TRAJECTORY_ID_HEADER = 'X-Jetty-Trajectory-Id';

export interface PassthroughOptions {
  providers: ProviderRegistry;
  recorder: CallJournal;
  /** A fresh trajectory id per call. */
  newId: () => string;
  /** Keep-alive connection pool to the providers; one is made when omitted. */
  dispatcher?: Dispatcher;
  /** Reads a recorded Responses call back by its response id (for `previous_response_id` after a restart). */
  recordedResponse?: RecordedResponse;
}

/** Where the proxy puts each finished call (`record-writer.ts`), synchronously, before its last byte is sent. */
export interface CallJournal {
  /** Makes the call durable; throws when it cannot (the call is then counted as unrecorded). */
  record(call: CapturedCall): void;
  /** Why new calls cannot be recorded now (a full disk), or null. */
  refusal?(): string | null;
}

/**
 * What a per-run gateway token grants (`gateway/run-tokens.ts`): the run's providers, its
 * budget, and its journal: each call of the run is recorded into the run's own trajectory
 * (redacted with the run's secrets), before its last byte like any other call.
 */
export interface RunScope extends CallJournal {
  runId: string;
  /** The run's providers, holding the real keys the token stands in for. */
  providers: ProviderRegistry;
  /**
   * Reserves the call's share of the run's budget before it goes: a release, called once the
   * call has been recorded, or why the call is refused (the run's budget is spent or
   * promised to calls in flight).
   */
  admit(call: GatewayCall): { release(): void } | string;
}

/** One model call as a client sent it, in one of the gateway's wire APIs. */
export interface GatewayCall {
  api: WireApiName;
  body: Json;
  /** The request body as it arrived (what the recording keeps). */
  raw: Uint8Array;
  /** The client's headers (see FORWARDED_REQUEST_HEADERS). */
  headers?: IncomingHttpHeaders;
  /** Gemini names the model and whether to stream in the URL. */
  urlModel?: { model: string; stream: boolean };
  /** The run whose token made the call. */
  run?: RunScope | null;
}

export interface Passthrough {
  /** Relays one chat-completions call (see `handleCall`). */
  handle(sink: ResponseSink, body: Json, raw: Uint8Array, headers?: IncomingHttpHeaders): Promise<void>;
  /** Relays one call in any wire API to the provider its model names, translating where that provider speaks another; the answer goes to `sink`. */
  handleCall(sink: ResponseSink, call: GatewayCall): Promise<void>;
  /** Relays one call in a provider's own REST API (see RestCall). */
  handleRest(sink: ResponseSink, call: RestCall): Promise<void>;
  /** Relays one embeddings or token-count call (see `AuxCall`). */
  handleAux(sink: ResponseSink, call: AuxCall): Promise<void>;
  /** Answers and records a call refused before it names a provider (e.g. a body that is not JSON). */
  refuseRequest(sink: ResponseSink, request: { api: CallApi; errorApi: WireApiName; raw: Uint8Array; run?: RunScope | null }, error: ApiError): void;
  /** The model list over the providers (a run's own, for a run's token), in OpenAI's and Anthropic's shape at once. */
  models(run?: RunScope | null): Promise<Json>;
  /** One model of the list by its id, or null. */
  model(id: string, run?: RunScope | null): Promise<Json | null>;
  close(): Promise<void>;
}

/**
 * A call in a provider's own REST API (OpenAI Images, Replicate predictions), relayed as
 * it is, without translation, and recorded like any call.
 */
export interface RestCall {
  api: RestApiName;
  /** The provider-prefixed model that picks the provider (`openai/dall-e-3`, `replicate/owner/name`). */
  model: string;
  method: 'GET' | 'POST';
  /** The path after the provider's base URL: `/images/generations`, `/predictions/{id}`. */
  path: string;
  /** The JSON body (a `model` in it is renamed to the provider's own name), or null for a GET. */
  body: Json | null;
  /** The client's headers (an idempotency key and Replicate's `Prefer` are passed on). */
  headers?: IncomingHttpHeaders;
}

/** How one call crosses to its provider: the API of answers the gateway gives itself, the translation, and the request. */
interface Route {
  api: WireApiName;
  translation: CallTranslation;
  method: 'GET' | 'POST';
  /** The request to send (throws when the body cannot be forwarded: answered 400). */
  upstream(): RestRequest;
  includeUsage: boolean;
  /** The passthrough asked the provider for usage the client did not ask for: take it out of the untranslated stream. */
  stripUsage?: boolean;
  /** Called with the whole answer's bytes (in the client's API) once a successful call is journaled. */
  onAnswered?(call: CapturedCall, body: Buffer | null): void;
}

const jsonHead = (bytes: Uint8Array, extra: Head): Head => ({ ...extra, 'content-type': 'application/json', 'content-length': bytes.length });

function writeJson(sink: ResponseSink, status: number, value: unknown, extra: Head): void {
  const bytes = Buffer.from(JSON.stringify(value));
  sink.head(status, jsonHead(bytes, extra));
  sink.end(bytes);
}

const joined = (chunks: Buffer[]): Buffer => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));

const CLIENT_GONE = 'the client disconnected';

/** A call outside any run reserves nothing. */
const NOTHING_RESERVED = { release: () => undefined };

const apiError = (kind: ErrorKind, status: number, message: string, code: string | null = null): ApiError => ({ kind, status, message, code });

/** An error the gateway answers itself, in the client's API. */
function writeError(sink: ResponseSink, api: WireApiName, error: ApiError, extra: Head): void {
  const encoded = gatewayError(api, error);
  writeJson(sink, encoded.status, encoded.body, extra);
}

/**
 * The most of a provider's whole (non-streamed) answer the relay holds: a JSON completion
 * or an image generation's base64 images, which are large but far below this. A provider
 * answering more is cut off and the call fails (502), instead of the engine buffering it.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** An error answer is a message: at most this much of it is kept, the rest is not read. */
export const MAX_ERROR_BYTES = 64 * 1024;

/**
 * One call to the provider, driven by undici's handler callbacks (no response stream
 * objects on the hot path). A successful stream is relayed chunk by chunk as it arrives
 * (untouched when the provider speaks the client's API, else translated), pausing the
 * upstream while the consumer is slow; anything else is answered whole (bounded by
 * MAX_ANSWER_BYTES, an error by MAX_ERROR_BYTES). When the consumer goes away the upstream
 * request is aborted. Never rejects: every failure is answered (or the answer dropped) in
 * the client's API and noted on `call`.
 */
function relay(dispatcher: Dispatcher, recorder: CallJournal, call: CapturedCall, provider: Provider, route: Route, sink: ResponseSink): Promise<void> {
  const { api, translation } = route;
  const idHeader = { [TRAJECTORY_ID_HEADER]: call.id };
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | null = null;
    let answered = false;
    let contentType: string | undefined;
    /** A refusal's `retry-after` (a 429's, a 503's), passed on so the client waits as the provider asked. */
    let retryAfter: Head = {};
    let translator: StreamTranslator | null = null;
    let filter: UsageFilter | null = null;
    let streaming = false;
    const received: Buffer[] = [];
    let receivedBytes = 0;
    /** An error answer cut at MAX_ERROR_BYTES: the upstream is aborted and the error answered with what was kept. */
    let errorCut = false;
    let journaled = false;
    let unrecordedReason = '';

    /** A stream's bytes to the consumer as they come (and into the recording); urgent ones leave at once. */
    const send = (bytes: Buffer, urgent = false) => {
      call.firstByteAt ??= Date.now();
      call.chunks.push(bytes);
      sink.write(bytes, urgent);
    };
    /** Journals the call (once); false if it could not be (the journal has counted why). */
    const journal = (): boolean => {
      if (journaled) return true;
      journaled = true;
      call.endedAt = Date.now();
      try {
        recorder.record(call);
        return true;
      } catch (error) {
        unrecordedReason = (error as Error).message;
        return false;
      }
    };
    /**
     * The last bytes of the answer, sent only once the call is in the journal: a client never
     * sees a call answered that a crash could lose. One that cannot be journaled is answered
     * 507 instead, or, mid-stream, its answer dropped.
     */
    const endWith = (status: number, bytes: Uint8Array | null, head: Head | null) => {
      if (bytes) call.chunks.push(bytes);
      if (!journal()) {
        if (sink.headersSent) return sink.abort();
        return writeError(sink, api, apiError('server', 507, `the call was not recorded: ${unrecordedReason}`, 'insufficient_storage'), idHeader);
      }
      if (head) sink.head(status, head);
      sink.end(bytes ?? undefined);
    };
    const endWithJson = (status: number, value: unknown, extra: Head = {}) => {
      const bytes = Buffer.from(JSON.stringify(value));
      endWith(status, bytes, jsonHead(bytes, { ...idHeader, ...extra }));
    };
    const unwatch = sink.watch({
      gone() {
        call.cancelled = true;
        controller?.abort(new Error(CLIENT_GONE));
      },
      drain: () => controller?.resume(),
    });
    const finish = () => {
      unwatch();
      journal();
      resolve();
    };
    const fail = (error: Error) => {
      if (call.cancelled) return finish();
      if (sink.headersSent) {
        // Recorded as failed with what arrived (the journal keeps the bytes the client got).
        call.error = `provider ${provider.name} broke off the stream mid-way: ${error.message}`;
        sink.abort();
        return finish();
      }
      call.status = 502;
      const coded = error as Error & { code?: string; cause?: { code?: string } };
      const reason = coded.cause?.code ?? coded.code ?? error.message;
      const failure = answered
        ? apiError('server', 502, `provider ${provider.name} failed mid-response: ${error.message}`, 'upstream_error')
        : apiError('server', 502, `cannot reach provider ${provider.name} at ${provider.baseUrl} (${reason})`, 'upstream_unreachable');
      endWithJson(502, gatewayError(api, failure).body);
      finish();
    };

    /** The whole answer, once the upstream is done: an error, a JSON body, or a stream's end. */
    const complete = () => {
      if (call.status >= 400) {
        const error = translation.error(call.status, joined(received).toString('utf8'));
        call.status = error.status;
        endWithJson(error.status, error.body, retryAfter);
      } else if (!streaming) {
        // A whole JSON body: one write (headers and body together) instead of one per chunk.
        const upstreamBytes = joined(received);
        const translated = translation.response(upstreamBytes);
        const bytes = translated ?? upstreamBytes;
        endWith(call.status, bytes, { ...idHeader, 'content-type': translated ? 'application/json' : (contentType ?? 'application/json'), 'content-length': bytes.length });
        if (call.status < 400) route.onAnswered?.(call, bytes);
      } else {
        filter?.end();
        const tail = translator ? Buffer.from(translator.end()) : null;
        if (translator && !translator.finished()) call.error = `provider ${provider.name} ended the stream before it finished its answer`;
        endWith(call.status, tail, null);
        route.onAnswered?.(call, null);
      }
    };

    let upstream: RestRequest;
    try {
      upstream = route.upstream();
    } catch (error) {
      // E.g. a body nested too deeply to serialise again: refused, and recorded as such.
      call.status = 400;
      endWithJson(400, gatewayError(api, apiError('invalid_request', 400, `the request cannot be forwarded: ${(error as Error).message}`)).body);
      return finish();
    }
    dispatcher.dispatch(
      { origin: upstream.origin, path: upstream.path, method: route.method, headers: upstream.headers, body: upstream.body },
      {
        onRequestStart(c) {
          controller = c;
          if (call.cancelled) c.abort(new Error(CLIENT_GONE));
        },
        onResponseStart(_c, status, headers) {
          answered = true;
          call.status = status;
          contentType = headers['content-type'] as string | undefined;
          if (typeof headers['retry-after'] === 'string') retryAfter = { 'retry-after': headers['retry-after'] };
          if (status >= 400 || !call.stream) return;
          streaming = true;
          const onUsage = (usage: WireUsage) => void (call.usage = usage);
          translator = translation.stream({ includeUsage: route.includeUsage, sink: (text, urgent) => send(Buffer.from(text), urgent), onUsage });
          if (!translator && route.stripUsage) filter = usageFilter((bytes) => send(bytes), onUsage);
          sink.head(status, { ...idHeader, 'content-type': translator ? 'text/event-stream' : (contentType ?? 'text/event-stream'), 'cache-control': 'no-cache' });
        },
        onResponseData(c, chunk) {
          if (!streaming) {
            const limit = call.status >= 400 ? MAX_ERROR_BYTES : MAX_ANSWER_BYTES;
            receivedBytes += chunk.length;
            if (receivedBytes <= limit) return void received.push(chunk);
            if (call.status < 400) return c.abort(new Error(`the provider's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`));
            received.push(chunk.subarray(0, chunk.length - (receivedBytes - limit)));
            errorCut = true;
            return c.abort(new Error('error answer cut'));
          }
          try {
            if (translator) translator.push(chunk);
            else if (filter) filter.push(chunk);
            else send(chunk);
          } catch (error) {
            return c.abort(error as Error);
          }
          if (sink.needsDrain) c.pause();
        },
        onResponseEnd() {
          try {
            complete();
          } catch (error) {
            return fail(error as Error);
          }
          finish();
        },
        onResponseError(_c, error) {
          if (!errorCut) return fail(error);
          complete();
          finish();
        },
      },
    );
  });
}

/** The API a call goes to its provider in: legacy completions as they are to a provider that speaks OpenAI's chat completions, else the provider's own. */
const providerApi = (api: WireApiName, provider: Provider): WireApiName => (api === 'completions' && provider.wire === 'chat-completions' ? 'completions' : provider.wire);

const hasTools = (body: Json): boolean => Array.isArray(body.tools) && body.tools.length > 0;

/** A request body with a provider's quirks applied (only for providers that have any). */
function withQuirks(provider: Provider, text: string): string {
  const quirks = provider.quirks;
  if (!quirks) return text;
  const body = JSON.parse(text) as Json;
  if (quirks.stringContent && Array.isArray(body.messages)) {
    body.messages = (body.messages as Json[]).map((m) => (Array.isArray(m.content) ? { ...m, content: (m.content as Json[]).map((p) => (typeof p.text === 'string' ? p.text : '')).join('') } : m));
  }
  if (quirks.plainToolSchemas && Array.isArray(body.tools)) {
    const plain = (schema: unknown): unknown =>
      Array.isArray(schema) ? schema.map(plain) : typeof schema === 'object' && schema !== null ? Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'additionalProperties' && k !== 'strict').map(([k, v]) => [k, plain(v)])) : schema;
    body.tools = (body.tools as Json[]).map((t) => (typeof t.function === 'object' && t.function !== null ? { ...t, function: plain(t.function) } : t));
  }
  return JSON.stringify(body);
}

/** The model prefix a call named, for the record of a call refused before any provider was chosen. */
const prefixOf = (named: unknown): string => (typeof named === 'string' && named.includes('/') ? named.slice(0, named.indexOf('/')) : 'unknown');

/** An embeddings or token-count call as a client sent it (see aux-calls.ts). */
export interface AuxCall {
  kind: AuxKind;
  /** The client's API (its answers and errors take this shape). */
  api: WireApiName;
  body: Json;
  raw: Uint8Array;
  headers?: IncomingHttpHeaders;
  /** Gemini names the model and the method in the URL. */
  urlModel?: { model: string; method: string };
  run?: RunScope | null;
}

/**
 * The gateway's passthrough: relays a call in any wire API to the provider its model names
 * (see `relay`), journaling what it saw before the response's last byte. While the
 * journal cannot take calls (a full disk) new calls are refused with 507; a run's call
 * once its budget is spent, with 403. Every other refusal before a provider is reached
 * (no such provider or key, a malformed request) is journaled as a failed call with its reason.
 */
export function createPassthrough(options: PassthroughOptions): Passthrough {
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const ownsDispatcher = !options.dispatcher;
  const history = createResponseHistory(options.recordedResponse ?? null);

  const capture = (api: CallApi, provider: string, named: unknown, stream: boolean, raw: Uint8Array, run: RunScope | null | undefined): CapturedCall => ({
    // A run's call is recorded in the run's trajectory, which the response header then names.
    id: run?.runId ?? options.newId(),
    api,
    runId: run?.runId ?? null,
    provider,
    model: typeof named === 'string' ? named : '',
    stream,
    request: raw,
    status: 0,
    chunks: [],
    cancelled: false,
    startedAt: Date.now(),
    firstByteAt: null,
    endedAt: 0,
  });

  /** Answers a refusal in the client's API and journals it as a failed call with its reason (a call the journal cannot take is answered all the same). */
  function refuse(sink: ResponseSink, call: CapturedCall, journal: CallJournal, errorApi: WireApiName, error: ApiError): void {
    const encoded = gatewayError(errorApi, error);
    const bytes = Buffer.from(JSON.stringify(encoded.body));
    Object.assign(call, { status: encoded.status, chunks: [bytes], error: error.message, endedAt: Date.now() });
    try {
      journal.record(call);
    } catch {
      // the journal counts why it could not take the call
    }
    sink.head(encoded.status, jsonHead(bytes, { [TRAJECTORY_ID_HEADER]: call.id }));
    sink.end(bytes);
  }

  /** A call refused by the provider registry, as the answer's error. */
  const providerRefusal = (error: ProviderError): ApiError =>
    apiError(error.status === 401 ? 'authentication' : error.status === 403 ? 'permission' : 'invalid_request', error.status, error.message, error.code);

  /**
   * The provider `named` picks and the call's budget reservation (to release once it is
   * recorded), or null once the refusal is answered and journaled (no such provider or key,
   * over the run's budget; a full journal is answered 507 without a record).
   */
  function admit(sink: ResponseSink, api: CallApi, errorApi: WireApiName, named: unknown, stream: boolean, raw: Uint8Array, run: RunScope | null | undefined, call?: GatewayCall): { resolved: ResolvedModel; release(): void } | null {
    const refusal = options.recorder.refusal?.() ?? null;
    if (refusal) return void writeError(sink, errorApi, apiError('server', 507, refusal, 'insufficient_storage'), {}), null;
    const journal = run ?? options.recorder;
    let resolved: ResolvedModel;
    try {
      resolved = (run?.providers ?? options.providers).resolve(named);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      refuse(sink, capture(api, prefixOf(named), named, stream, raw, run), journal, errorApi, providerRefusal(error));
      return null;
    }
    const reserved = run && call ? run.admit(call) : NOTHING_RESERVED;
    if (typeof reserved === 'string') {
      refuse(sink, capture(api, resolved.provider.name, named, stream, raw, run), journal, errorApi, apiError('permission', 403, reserved, 'budget_exceeded'));
      return null;
    }
    return { resolved, release: reserved.release };
  }

  async function handleCall(sink: ResponseSink, request: GatewayCall): Promise<void> {
    const { api, body, run } = request;
    const named = request.urlModel?.model ?? body.model;
    const stream = request.urlModel?.stream ?? body.stream === true;
    const admitted = admit(sink, api, api, named, stream, request.raw, run, request);
    if (!admitted) return;
    try {
      await relayCall(sink, request, named, stream, admitted.resolved);
    } finally {
      admitted.release();
    }
  }

  async function relayCall(sink: ResponseSink, request: GatewayCall, named: unknown, stream: boolean, resolved: ResolvedModel): Promise<void> {
    const { api, run } = request;
    const { provider, model } = resolved;
    const journal = run ?? options.recorder;
    const call = capture(api, provider.name, named, stream, request.raw, run);
    const refused = (kind: ErrorKind, message: string, code: string) => refuse(sink, call, journal, api, apiError(kind, 400, message, code));
    if (provider.restOnly) return refused('invalid_request', `provider ${provider.name} speaks only its own API (the ${provider.name}_* workflow steps), not ${api}`, 'unsupported_api');
    if (provider.noTools && hasTools(request.body)) return refused('invalid_request', `provider ${provider.name} does not take tools: send the call without tools, or use another provider`, 'tools_not_supported');
    const target = providerApi(api, provider);
    let body = request.body;
    // The provider keeps no conversation of ours: a previous response is expanded from what the relay kept.
    const expands = api === 'responses' && target !== 'responses';
    if (expands) {
      try {
        body = history.expand(body);
      } catch (error) {
        if (!(error instanceof UnknownResponseError)) throw error;
        return refused('not_found', error.message, 'previous_response_not_found');
      }
    }
    // Bound to this call's body: a Responses client's namespaced functions go back naming their namespace.
    const translation = translationFor(api, target).forRequest(body);
    const includeUsage = (body.stream_options as Json | undefined)?.include_usage === true;
    // An untranslated OpenAI-style stream is asked for usage the client did not ask for (taken out again before it sees it).
    const stripUsage = stream && !includeUsage && !translation.translated && (target === 'chat-completions' || target === 'completions');
    const sent = stripUsage ? { ...body, stream_options: { ...(body.stream_options as Json | undefined), include_usage: true } } : body;
    const route: Route = {
      api,
      translation,
      method: 'POST',
      upstream: () => buildUpstreamRequest(resolved, target, withQuirks(provider, translation.requestBody(sent, model, stream)), stream, request.headers),
      includeUsage,
      stripUsage,
      onAnswered: expands ? (answered, bytes) => rememberTurn(answered, body, bytes) : undefined,
    };
    await relay(dispatcher, journal, call, provider, route, sink);
  }

  /** Keeps a translated Responses call's turn for a later `previous_response_id` (its body already expanded). */
  function rememberTurn(call: CapturedCall, body: Json, bytes: Buffer | null): void {
    try {
      const response = (bytes ? JSON.parse(bytes.toString('utf8')) : outcomeOf(call).response) as Json;
      if (typeof response.id === 'string' && Array.isArray(response.output)) history.remember(response.id, body, response.output as Json[]);
    } catch {
      // an answer that cannot be read back is not kept: a later call naming it is refused
    }
  }

  /** An embeddings or count call: sent in the provider's API (or a count estimated here), answered in the client's, recorded on its own. */
  async function handleAux(sink: ResponseSink, request: AuxCall): Promise<void> {
    const { kind, api, body, run } = request;
    const named = request.urlModel?.model ?? body.model;
    const admitted = admit(sink, kind, api, named, false, request.raw, run);
    if (!admitted) return;
    const { resolved } = admitted;
    const journal = run ?? options.recorder;
    const call = capture(kind, resolved.provider.name, named, false, request.raw, run);
    try {
      const plan = kind === 'embeddings' ? planEmbeddings(api, body, resolved.provider, resolved.model, request.urlModel?.method) : planCount(api, body, resolved.provider, resolved.model);
      if (typeof plan === 'string') return refuse(sink, call, journal, api, apiError('invalid_request', 400, plan, 'unsupported_api'));
      if ('estimate' in plan) {
        const bytes = Buffer.from(JSON.stringify(plan.estimate));
        Object.assign(call, { status: 200, chunks: [bytes], endedAt: Date.now() });
        try {
          journal.record(call);
        } catch (error) {
          return writeError(sink, api, apiError('server', 507, `the call was not recorded: ${(error as Error).message}`, 'insufficient_storage'), {});
        }
        sink.head(200, jsonHead(bytes, { [TRAJECTORY_ID_HEADER]: call.id, 'x-jetty-estimated': 'true' }));
        return sink.end(bytes);
      }
      const same = translationFor(api, api);
      const translation: CallTranslation = plan.same
        ? same
        : { ...translationFor(api, resolved.provider.wire === 'completions' ? 'chat-completions' : resolved.provider.wire), response: plan.answer };
      const route: Route = { api, translation, method: 'POST', upstream: () => providerRequest(resolved.provider, plan.path, plan.body, request.headers), includeUsage: false };
      await relay(dispatcher, journal, call, resolved.provider, route, sink);
    } finally {
      admitted.release();
    }
  }

  /** Answers the gateway gives a REST call itself are in OpenAI's error shape; the provider's own pass as they came. */
  async function handleRest(sink: ResponseSink, rest: RestCall): Promise<void> {
    const body = rest.body === null ? null : JSON.stringify(rest.body);
    // A GET has no body: its recording says what was asked.
    const raw = Buffer.from(body ?? JSON.stringify({ method: rest.method, path: rest.path }));
    const admitted = admit(sink, rest.api, 'chat-completions', rest.model, false, raw, null);
    if (!admitted) return;
    const { resolved } = admitted;
    const sent = rest.body === null ? null : JSON.stringify(typeof rest.body.model === 'string' ? { ...rest.body, model: resolved.model } : rest.body);
    const route: Route = {
      api: 'chat-completions',
      translation: translationFor('chat-completions', 'chat-completions'),
      method: rest.method,
      upstream: () => buildRestRequest(resolved.provider, rest.path, sent, rest.headers),
      includeUsage: false,
    };
    await relay(dispatcher, options.recorder, capture(rest.api, resolved.provider.name, rest.model, false, raw, null), resolved.provider, route, sink);
  }

  /** Records and answers a call refused before it names a provider (an unreadable body), in the client's API. */
  function refuseRequest(sink: ResponseSink, request: { api: CallApi; errorApi: WireApiName; raw: Uint8Array; run?: RunScope | null }, error: ApiError): void {
    const refusal = options.recorder.refusal?.() ?? null;
    if (refusal) return writeError(sink, request.errorApi, apiError('server', 507, refusal, 'insufficient_storage'), {});
    refuse(sink, capture(request.api, 'unknown', '', false, request.raw, request.run), request.run ?? options.recorder, request.errorApi, error);
  }

  return {
    handle: (sink, body, raw, headers) => handleCall(sink, { api: 'chat-completions', body, raw, headers }),
    handleCall,
    handleAux,
    handleRest,
    refuseRequest,
    models: (run) => listModels(run?.providers ?? options.providers, dispatcher),
    model: (id, run) => findModel(run?.providers ?? options.providers, dispatcher, id),
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
