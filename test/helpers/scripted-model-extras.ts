/**
 * The scripted model server's answers beside generation, as the real APIs give them:
 * OpenAI embeddings (`POST /v1/embeddings`, floats or `encoding_format: "base64"`), one
 * model of the list (`GET /v1/models/{id}`, 404 `model_not_found` otherwise), Gemini's model
 * list (`GET /v1beta/models`, `GET /v1beta/models/{id}`), `:embedContent`,
 * `:batchEmbedContents` and `:countTokens`. Vectors are made from the text (the same text
 * gives the same vector), 8 dimensions unless asked for fewer or more; token counts are a
 * token per 4 characters.
 */
import type http from 'node:http';
import type { LocalServerKind } from '../../electron/engine/proxy/catalog';
import { apiError } from './scripted-model-request-validation';

type Json = Record<string, unknown>;
type Send = (res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;

export const DEFAULT_DIMENSIONS = 8;

/** A vector of `dimensions` numbers made from `text` (deterministic, unit length). */
export function scriptedVector(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const values = Array.from({ length: dimensions }, (_, i) => {
    let h = 2166136261 ^ i;
    for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    return ((h >>> 0) % 2000) / 1000 - 1;
  });
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => Math.fround(v / norm));
}

const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** OpenAI's `POST /v1/embeddings`. */
export function answerEmbeddings(res: http.ServerResponse, body: unknown, models: string[] | null, send: Send): void {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Json;
  if (typeof b.model !== 'string' || b.model === '') return send(res, 400, apiError("you must provide a model parameter", 'invalid_request_error'));
  if (models && !models.includes(b.model)) return send(res, 404, apiError(`The model \`${b.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'));
  const inputs = typeof b.input === 'string' ? [b.input] : Array.isArray(b.input) && b.input.every((i) => typeof i === 'string') ? (b.input as string[]) : null;
  if (!inputs || inputs.length === 0) return send(res, 400, apiError("'input' must be a string or a list of strings", 'invalid_request_error'));
  const dimensions = typeof b.dimensions === 'number' ? b.dimensions : DEFAULT_DIMENSIONS;
  const base64 = b.encoding_format === 'base64';
  const tokens = inputs.reduce((n, t) => n + tokensOf(t), 0);
  send(res, 200, {
    object: 'list',
    data: inputs.map((text, index) => {
      const vector = scriptedVector(text, dimensions);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
    }),
    model: b.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** OpenAI's `GET /v1/models/{id}`. */
export function answerModel(res: http.ServerResponse, id: string, models: string[], send: Send): void {
  if (!models.includes(id)) return send(res, 404, apiError(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found'));
  send(res, 200, { id, object: 'model', created: 0, owned_by: 'scripted' });
}

const geminiModel = (id: string) => ({ name: `models/${id}`, version: '001', displayName: id, inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent', 'countTokens', 'embedContent'] });

const partsText = (content: unknown): string => {
  const parts = (content as { parts?: { text?: unknown }[] } | undefined)?.parts;
  return Array.isArray(parts) ? parts.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('') : '';
};

/** Gemini's model list and lookups, embeddings and counts; false when `path` is none of them. */
export function answerGeminiExtra(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, models: string[], send: Send): boolean {
  const error = (status: number, message: string) => send(res, status, { error: { code: status, message, status: status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT' } });
  if (req.method === 'GET' && /^\/v1(beta|alpha)?\/models$/.test(path)) {
    send(res, 200, { models: models.map(geminiModel) });
    return true;
  }
  const get = /^\/v1(?:beta|alpha)?\/models\/([^/:]+)$/.exec(path);
  if (req.method === 'GET' && get) {
    const id = decodeURIComponent(get[1]);
    if (models.includes(id)) send(res, 200, geminiModel(id));
    else error(404, `models/${id} is not found for API version v1beta`);
    return true;
  }
  const call = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(embedContent|batchEmbedContents|countTokens)$/.exec(path);
  if (req.method !== 'POST' || !call) return false;
  const b = (typeof body === 'object' && body !== null ? body : {}) as Json;
  if (call[2] === 'countTokens') {
    const request = (b.generateContentRequest ?? b) as Json;
    const contents = Array.isArray(request.contents) ? request.contents : [];
    if (contents.length === 0) error(400, '* CountTokensRequest.contents: contents is not specified');
    else send(res, 200, { totalTokens: contents.reduce((n: number, c: unknown) => n + tokensOf(partsText(c)), 0) });
    return true;
  }
  if (call[2] === 'embedContent') {
    const text = partsText(b.content);
    if (!text) error(400, '* EmbedContentRequest.content: contents is not specified');
    else send(res, 200, { embedding: { values: scriptedVector(text, typeof b.outputDimensionality === 'number' ? b.outputDimensionality : DEFAULT_DIMENSIONS) } });
    return true;
  }
  const requests = Array.isArray(b.requests) ? (b.requests as Json[]) : [];
  if (requests.length === 0) error(400, '* BatchEmbedContentsRequest.requests: requests is not specified');
  else send(res, 200, { embeddings: requests.map((r) => ({ values: scriptedVector(partsText(r.content), typeof r.outputDimensionality === 'number' ? r.outputDimensionality : DEFAULT_DIMENSIONS) })) });
  return true;
}

/** A model of a local server the scripted server plays: whether it takes tools and its context window. */
export interface LocalServerModel {
  name: string;
  tools: boolean;
  context: number;
}

/**
 * The scripted server as a local model server answers its detection API: Ollama's
 * `GET /api/tags` and `POST /api/show` (`capabilities`, `model_info["<arch>.context_length"]`,
 * `num_ctx` in `parameters`), LM Studio's `GET /api/v1/models` (`capabilities`,
 * `max_context_length`), llama.cpp's `GET /health` and `GET /props`
 * (`chat_template_caps.supports_tools`, `default_generation_settings.n_ctx`: one model, the
 * first), or vLLM's `GET /v1/models` (`owned_by: "vllm"`, `max_model_len`). False when
 * `path` is not part of it.
 */
export function answerLocalServer(kind: LocalServerKind, models: LocalServerModel[], req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, send: Send): boolean {
  if (kind === 'ollama' && req.method === 'GET' && path === '/api/tags') {
    send(res, 200, { models: models.map((m) => ({ name: m.name, model: m.name, modified_at: '2026-01-01T00:00:00Z', size: 2_500_000_000, digest: 'sha256:0', details: { format: 'gguf', family: 'qwen3', parameter_size: '4B' } })) });
    return true;
  }
  if (kind === 'ollama' && req.method === 'POST' && path === '/api/show') {
    const name = (body as { model?: unknown } | undefined)?.model;
    const model = models.find((m) => m.name === name);
    if (!model) send(res, 404, { error: `model '${String(name)}' not found` });
    else {
      send(res, 200, {
        modelfile: `FROM ${model.name}`,
        parameters: `num_ctx                        ${model.context}\nstop                           "<|im_end|>"`,
        template: '{{ .Prompt }}',
        details: { format: 'gguf', family: 'qwen3' },
        model_info: { 'general.architecture': 'qwen3', 'qwen3.context_length': 40960 },
        capabilities: model.tools ? ['completion', 'tools'] : ['completion'],
      });
    }
    return true;
  }
  if (kind === 'lmstudio' && req.method === 'GET' && path === '/api/v1/models') {
    send(res, 200, {
      models: models.map((m) => ({ type: 'llm', publisher: 'scripted', key: m.name, display_name: m.name, architecture: 'qwen3', format: 'gguf', loaded_instances: [], max_context_length: m.context, capabilities: { vision: false, trained_for_tool_use: m.tools } })),
    });
    return true;
  }
  if (kind === 'llamacpp' && req.method === 'GET' && path === '/health') {
    send(res, 200, { status: 'ok' });
    return true;
  }
  if (kind === 'llamacpp' && req.method === 'GET' && path === '/props') {
    const [model] = models;
    send(res, 200, { default_generation_settings: { n_ctx: model.context, temperature: 0.8 }, total_slots: 1, model_path: `/models/${model.name}.gguf`, chat_template_caps: { supports_tools: model.tools, supports_tool_calls: model.tools } });
    return true;
  }
  if (kind === 'vllm' && req.method === 'GET' && path === '/v1/models') {
    send(res, 200, { object: 'list', data: models.map((m) => ({ id: m.name, object: 'model', created: 0, owned_by: 'vllm', root: m.name, parent: null, max_model_len: m.context })) });
    return true;
  }
  return false;
}
