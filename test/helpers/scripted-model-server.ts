/**
 * The scripted model server: a real OpenAI-compatible HTTP server on 127.0.0.1 that answers
 * `POST /v1/chat/completions` from a script instead of a model, and `GET /v1/models`; it
 * also speaks Anthropic's Messages API (`POST /v1/messages`, see scripted-model-anthropic.ts),
 * OpenAI Responses (`POST /v1/responses`) and Gemini (`POST /v1beta/models/{model}:generateContent`
 * and `:streamGenerateContent?alt=sse`, see scripted-model-wire.ts) from the same scripts, OpenAI's
 * Images API and Gemini image output (scripted-model-images.ts) and Replicate's predictions
 * (scripted-model-replicate.ts); embeddings, legacy completions, token counts and model
 * lists and lookups like the real APIs (scripted-model-extras.ts).
 * It validates requests like the real API (400 in OpenAI's error shape), answers
 * non-streaming and streaming (SSE, OpenAI's chunking), and can inject failures: an HTTP
 * error (429 with retry-after, 500…), a hang, or a connection reset mid-stream.
 * It honours `Idempotency-Key` as a provider with idempotency does: a request whose key was
 * answered before gets that same answer again instead of a new generation (a 5xx, a 429, a
 * hang or a reset is not kept, so a retry with the key generates); `generations` counts answers
 * made, `requests` every request.
 * It is the only stand-in for a model provider that tests may use.
 *
 * Standalone: node --import tsx test/helpers/scripted-model-server.ts --port N --script <name|file.json|module>
 * prints `scripted-model-server listening on <base URL>` once it accepts requests.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { anthropicError, chatRequestFromMessages, messageBody, messageEvents, validateMessagesRequest } from './scripted-model-anthropic';
import { apiError, validateChatRequest, type ApiErrorBody } from './scripted-model-request-validation';
import { completionBody, resolveReply, streamChunks, splitIntoPieces, type ReplyStep } from './scripted-model-responses';
import { chatRequestFrom, geminiError, partialWireStream, validateWireRequest, writeWireReply, type WireFormat } from './scripted-model-wire';
import { chatRequestFromImages, geminiImageBody, imagesBody, SCRIPTED_PNG, validateImagesRequest, wantsGeminiImage } from './scripted-model-images';
import { replicateApi, type PredictionFailedStep, type ReplicateOptions, type ScriptedPrediction } from './scripted-model-replicate';
import { parseGeminiPath } from '../../electron/engine/wire/gemini';
import type { LocalServerKind } from '../../electron/engine/proxy/catalog';
import { answerEmbeddings, answerGeminiExtra, answerLocalServer, answerModel, type LocalServerModel } from './scripted-model-extras';
import { WIRE_APIS } from '../../electron/engine/wire';
import type { CallContext } from '../../electron/engine/wire/internal';

export type { ReplyStep, ScriptedToolCall, ScriptedUsage } from './scripted-model-responses';
export { predictionFailed, type ScriptedPrediction } from './scripted-model-replicate';
export type ChatRequest = ChatCompletionCreateParams;

export interface ErrorStep {
  type: 'error';
  status: number;
  message?: string;
  /** OpenAI's error `type`; defaults by status (server_error, requests, …). */
  errorType?: string;
  code?: string | null;
  /** Sent as the `retry-after` header. */
  retryAfterSeconds?: number;
}
/** Never answers (until the client gives up or the server closes). */
export interface HangStep {
  type: 'hang';
}
/** Drops the connection: before any byte when not streaming, after `partialContent` when streaming. */
export interface ResetStep {
  type: 'reset';
  partialContent?: string;
}
/**
 * A provider gone wrong: answers `status` with a JSON-looking body of `bytes` bytes, made as
 * it is sent (never held), 64 KiB a write. `sent` counts what the client actually took.
 */
export interface FloodStep {
  type: 'flood';
  status: number;
  bytes: number;
  sent?: { bytes: number };
}
export type ScriptStep = ReplyStep | ErrorStep | HangStep | ResetStep | PredictionFailedStep | FloodStep;
/** Decides a step from the request; `turnIndex` counts valid chat requests from 0. */
export type ScriptFunction = (request: ChatRequest, turnIndex: number) => ScriptStep | Promise<ScriptStep>;
/** A function for every request, or a list consumed one entry per request. */
export type Script = ScriptFunction | Array<ScriptStep | ScriptFunction>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body as sent (not validated); undefined for GET. */
  body: ChatRequest | undefined;
  /** When the request arrived (ms since the epoch). */
  receivedAt: number;
}

export interface ScriptedModelServerOptions {
  port?: number;
  /** The address to listen on; default 127.0.0.1 (`0.0.0.0` lets sandbox containers reach it). */
  host?: string;
  /**
   * When set, requests must send it (401 otherwise): `Authorization: Bearer <apiKey>` for
   * chat completions and Responses, `x-api-key` for the Messages API, `x-goog-api-key` (or
   * `?key=`) for Gemini.
   */
  apiKey?: string;
  /** Listed by /v1/models; when set explicitly, other models get 404 model_not_found. */
  models?: string[];
  /** How Replicate predictions progress (see scripted-model-replicate.ts). */
  replicate?: ReplicateOptions;
  /** Plays a local model server: answers its detection API too (Ollama's, LM Studio's, llama.cpp's or vLLM's), and lists these models. */
  localServer?: { kind: LocalServerKind; models: LocalServerModel[] };
}

export interface ScriptedModelServer {
  /** Base URL ending in /v1, e.g. http://127.0.0.1:43123/v1. */
  url: string;
  requests: RecordedRequest[];
  /** The requests (in the chat completions shape) that made a new answer: a replayed Idempotency-Key is not one. */
  generations: ChatRequest[];
  /** Every Replicate prediction created (a replayed Idempotency-Key creates none). */
  predictions: ScriptedPrediction[];
  close(): Promise<void>;
}

// Step builders, so scripts read as a conversation.
export const reply = (content: string, extra: Omit<ReplyStep, 'type' | 'content'> = {}): ReplyStep => ({ type: 'reply', content, ...extra });
export const callTools = (...toolCalls: NonNullable<ReplyStep['toolCalls']>): ReplyStep => ({ type: 'reply', toolCalls });
export const fail = (status: number, extra: Omit<ErrorStep, 'type' | 'status'> = {}): ErrorStep => ({ type: 'error', status, ...extra });

/** The content of the last `tool` message of a request (what the agent just reported). */
export function lastToolResult(request: ChatRequest): string | undefined {
  const tool = request.messages.findLast((m) => m.role === 'tool');
  return typeof tool?.content === 'string' ? tool.content : undefined;
}

/** The Messages API's error types by status. */
const ANTHROPIC_ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 429: 'rate_limit_error', 529: 'overloaded_error' };

const DEFAULT_ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  429: { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Date.now()}`, ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where DALL·E's `url` answers point (the server serves the scripted PNG there). */
const IMAGE_FILES = '/scripted-images/';

const idempotencyKeyOf = (req: http.IncomingMessage): string | undefined => {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
};

/** What a provider keeps under an idempotency key: a finished answer, not a request it did not take (5xx, 429), a hang or a reset. */
const keptUnderKey = (step: ScriptStep) => step.type === 'reply' || (step.type === 'error' && step.status < 500 && step.status !== 429);

export async function startScriptedModelServer(script: Script, options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const requests: RecordedRequest[] = [];
  const generations: ChatRequest[] = [];
  const models = options.models ?? options.localServer?.models.map((m) => m.name) ?? ['scripted-model'];
  let turn = 0;
  /** Answers by idempotency key; a second request with a key in flight waits for the first one's answer. */
  const byKey = new Map<string, Promise<ScriptStep>>();

  async function generate(request: ChatRequest): Promise<ScriptStep> {
    const index = turn++;
    generations.push(request);
    if (typeof script === 'function') return script(request, index);
    const entry = script[index];
    if (entry === undefined) return fail(500, { message: `scripted model server: script exhausted (it has ${script.length} steps, this is request ${index + 1})` });
    return typeof entry === 'function' ? entry(request, index) : entry;
  }

  /** The answer to a request: the one kept under its idempotency key, or a new generation. */
  async function nextStep(request: ChatRequest, key: string | undefined): Promise<ScriptStep> {
    if (key === undefined) return generate(request);
    const kept = byKey.get(key);
    if (kept) {
      const step = await kept;
      if (keptUnderKey(step)) return step;
    }
    const made = generate(request);
    byKey.set(key, made);
    // Forgotten unless kept, and only if a later request has not put its own generation there.
    const forget = () => byKey.get(key) === made && byKey.delete(key);
    const step = await made.catch((error: unknown) => {
      forget();
      throw error;
    });
    if (!keptUnderKey(step)) forget();
    return step;
  }

  /** Answers a request (read into the chat completions shape) in its wire format. */
  async function answer(step: ScriptStep, body: ChatRequest, res: http.ServerResponse, format: 'openai' | 'anthropic' | WireFormat, context?: CallContext) {
    if (step.type === 'hang') return;
    if (step.type === 'flood') return flood(res, step);
    if (step.type === 'prediction_failed') return sendJson(res, 500, apiError('scripted model server: a prediction_failed step answers only a Replicate create', 'server_error'));
    if (step.type === 'error') {
      const defaults = DEFAULT_ERRORS[step.status] ?? { message: `HTTP ${step.status}`, type: 'server_error', code: null };
      const message = step.message ?? defaults.message;
      const error =
        format === 'anthropic'
          ? anthropicError(step.errorType ?? ANTHROPIC_ERROR_TYPES[step.status] ?? 'api_error', message)
          : format === 'gemini'
            ? geminiError(step.status, message)
            : apiError(message, step.errorType ?? defaults.type, step.code ?? defaults.code);
      const headers: Record<string, string> = step.retryAfterSeconds !== undefined ? { 'retry-after': String(step.retryAfterSeconds) } : {};
      return sendJson(res, step.status, error, headers);
    }
    const streaming = body.stream === true;
    if (step.type === 'reset') {
      if (streaming && format === 'openai') {
        const partial = resolveReply({ type: 'reply', content: step.partialContent ?? '' }, body.model, 0);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of streamChunks(partial, false).slice(0, 1 + splitIntoPieces(partial.content ?? '').length)) {
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        await sleep(20);
      } else if (streaming && (format === 'responses' || format === 'gemini' || format === 'completions')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(partialWireStream(format, resolveReply({ type: 'reply', content: step.partialContent ?? '' }, body.model, 0)));
        await sleep(20);
      }
      res.socket?.destroy();
      return;
    }
    if (step.delayMs) await sleep(step.delayMs);
    const resolved = resolveReply(step, body.model, JSON.stringify(body.messages).length);
    if (format === 'anthropic') {
      if (!streaming) return sendJson(res, 200, messageBody(resolved));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const frame of messageEvents(resolved)) res.write(frame);
      return res.end();
    }
    if (format !== 'openai') return writeWireReply(res, format, resolved, streaming, { includeUsage: body.stream_options?.include_usage === true, context });
    if (!streaming) return sendJson(res, 200, completionBody(resolved));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const includeUsage = body.stream_options?.include_usage === true;
    const chunks = streamChunks(resolved, includeUsage);
    let sent = 0;
    if (step.holdStreamUntil) {
      sent = chunks.findIndex((c) => c.choices[0]?.finish_reason);
      res.write(chunks.slice(0, sent).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join(''));
      await step.holdStreamUntil;
    }
    for (const chunk of chunks.slice(sent)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  async function flood(res: http.ServerResponse, step: FloodStep) {
    res.writeHead(step.status, { 'content-type': 'application/json', 'content-length': step.bytes });
    const piece = Buffer.alloc(64 * 1024, 'x');
    const head = Buffer.from('{"error":{"message":"');
    let left = step.bytes;
    const counter = step.sent ?? { bytes: 0 };
    res.write(head);
    left -= head.length;
    counter.bytes += head.length;
    while (left > 0 && !res.destroyed) {
      const part = left >= piece.length ? piece : piece.subarray(0, left);
      left -= part.length;
      counter.bytes += part.length;
      if (!res.write(part)) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
    }
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const receivedAt = Date.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown;
    let parseError = false;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      parseError = true;
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body: body as ChatRequest | undefined, receivedAt });

    if (options.localServer && answerLocalServer(options.localServer.kind, options.localServer.models, req, res, path, body, sendJson)) return;
    if (await replicate.handle(req, res, path, body, parseError)) return;
    if (req.method === 'GET' && path.startsWith(IMAGE_FILES)) {
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.end(SCRIPTED_PNG);
    }
    if (req.method === 'POST' && path.startsWith('/v1/messages')) return handleMessages(req, res, path, body, parseError);
    const gemini = req.method === 'POST' ? parseGeminiPath(path) : null;
    if (gemini) return handleGemini(req, res, gemini, body, parseError);
    if (path.startsWith('/v1beta/') || path.startsWith('/v1alpha/')) {
      const key = req.headers['x-goog-api-key'] ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('key');
      if (options.apiKey !== undefined && key !== options.apiKey) return sendJson(res, 401, geminiError(401, 'API key not valid. Please pass a valid API key.'));
      if (answerGeminiExtra(req, res, path, body, models, sendJson)) return;
    }
    // The model list answers each API's key header (Anthropic's clients send x-api-key).
    const keyGiven = req.headers.authorization === `Bearer ${options.apiKey}` || (path.startsWith('/v1/models') && req.headers['x-api-key'] === options.apiKey);
    if (options.apiKey !== undefined && !keyGiven) {
      return sendJson(res, 401, apiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'scripted' })) });
    }
    if (req.method === 'GET' && path.startsWith('/v1/models/')) return answerModel(res, decodeURIComponent(path.slice('/v1/models/'.length)), models, sendJson);
    if (req.method === 'POST' && path === '/v1/embeddings') return answerEmbeddings(res, body, options.models ? models : null, sendJson);
    if (req.method === 'POST' && path === '/v1/completions') return handleWire(req, res, 'completions', body, parseError);
    if (req.method === 'POST' && path === '/v1/responses') return handleResponses(req, res, body, parseError);
    if (req.method === 'POST' && path === '/v1/images/generations') return handleImages(req, res, body, parseError);
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendJson(res, 404, apiError(`Invalid URL (${req.method} ${path})`, 'invalid_request_error'));
    }
    if (parseError) {
      return sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error'));
    }
    const failure = validateChatRequest(body, options.models ? models : null);
    if (failure) return sendJson(res, failure.status, failure.body);
    const request = body as ChatRequest;
    await answer(await nextStep(request, idempotencyKeyOf(req)), request, res, 'openai');
  }

  /** Anthropic's Messages API: `/v1/messages` (scripted) and `/v1/messages/count_tokens`. */
  async function handleMessages(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, parseError: boolean) {
    if (options.apiKey !== undefined && req.headers['x-api-key'] !== options.apiKey) {
      return sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key'));
    }
    if (parseError) return sendJson(res, 400, anthropicError('invalid_request_error', 'The request body is not valid JSON.'));
    if (path === '/v1/messages/count_tokens') return sendJson(res, 200, { input_tokens: Math.ceil(JSON.stringify(body).length / 4) });
    if (path !== '/v1/messages') return sendJson(res, 404, anthropicError('not_found_error', `Not found: POST ${path}`));
    const invalid = validateMessagesRequest(body);
    if (invalid) return sendJson(res, 400, anthropicError('invalid_request_error', invalid));
    const request = chatRequestFromMessages(body as Record<string, unknown>);
    await answer(await nextStep(request, idempotencyKeyOf(req)), request, res, 'anthropic');
  }

  /** OpenAI Responses and legacy completions: errors in OpenAI's shape, as chat completions (the key was checked already). */
  async function handleWire(req: http.IncomingMessage, res: http.ServerResponse, format: 'responses' | 'completions', body: unknown, parseError: boolean) {
    if (parseError) return sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error'));
    const invalid = validateWireRequest(format, body);
    if (invalid) return sendJson(res, 400, apiError(invalid, 'invalid_request_error'));
    const request = chatRequestFrom(format, body, undefined);
    // A legacy completions stream sends usage only when asked, as chat completions does.
    const asked = (body as { stream_options?: ChatRequest['stream_options'] }).stream_options;
    // A call of a namespaced function (codex's MCP tools, named <namespace>__<name> to scripts) goes back naming its namespace.
    await answer(await nextStep(request, idempotencyKeyOf(req)), { ...request, stream_options: asked } as ChatRequest, res, format, WIRE_APIS[format].callContext?.(body));
  }
  const handleResponses = (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, parseError: boolean) => handleWire(req, res, 'responses', body, parseError);

  /** Gemini's generateContent and streamGenerateContent; the model and streaming are in the path. */
  async function handleGemini(req: http.IncomingMessage, res: http.ServerResponse, call: { model: string; stream: boolean }, body: unknown, parseError: boolean) {
    const key = req.headers['x-goog-api-key'] ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('key');
    if (options.apiKey !== undefined && key !== options.apiKey) return sendJson(res, 401, geminiError(401, 'API key not valid. Please pass a valid API key.'));
    if (parseError) return sendJson(res, 400, geminiError(400, 'Invalid JSON payload received.'));
    const invalid = validateWireRequest('gemini', body);
    if (invalid) return sendJson(res, 400, geminiError(400, invalid));
    const request = chatRequestFrom('gemini', body, call);
    const step = await nextStep(request, idempotencyKeyOf(req));
    if (step.type === 'reply' && wantsGeminiImage(body)) return sendJson(res, 200, geminiImageBody(resolveReply(step, call.model, JSON.stringify(body).length)));
    await answer(step, request, res, 'gemini');
  }

  /** OpenAI's Images API: scripted replies become images (the reply's text DALL·E 3's revised prompt). */
  async function handleImages(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, parseError: boolean) {
    if (parseError) return sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error'));
    const failure = validateImagesRequest(body);
    if (failure) return sendJson(res, failure.status, failure.body);
    const json = body as Record<string, unknown>;
    const request = chatRequestFromImages(json);
    const step = await nextStep(request, idempotencyKeyOf(req));
    if (step.type !== 'reply') return answer(step, request, res, 'openai');
    if (step.delayMs) await sleep(step.delayMs);
    sendJson(res, 200, imagesBody(json, resolveReply(step, request.model, String(json.prompt).length), (i) => `${origin()}${IMAGE_FILES}${Date.now()}-${i}.png`));
  }

  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Creates are script steps of their own; Replicate keeps its own idempotency (key → prediction).
  const replicate = replicateApi({ ...options.replicate, nextStep: (request) => nextStep(request, undefined), answerOther: async (step, request, res) => void (await answer(step, request, res, 'openai')), send: sendJson, origin, apiKey: options.apiKey });

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const body: ApiErrorBody = apiError(`scripted model server: ${err instanceof Error ? err.message : String(err)}`, 'server_error');
      if (!res.headersSent) sendJson(res, 500, body);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    generations,
    predictions: replicate.created,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(argv: string[]) {
  const { loadScript } = await import('./scripted-model-scripts');
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scriptArg = arg('script');
  if (!scriptArg) throw new Error('usage: scripted-model-server.ts --script <hello-report|echo|file.json|module> [--port N] [--api-key KEY]');
  const port = Number(arg('port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0–65535, got ${arg('port')}`);
  const server = await startScriptedModelServer(await loadScript(scriptArg), { port, apiKey: arg('api-key') });
  console.log(`scripted-model-server listening on ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
}
