/**
 * The calls beside generation every client expects: embeddings (OpenAI `/v1/embeddings`,
 * Gemini `:embedContent` / `:batchEmbedContents`) and token counts (Anthropic
 * `/v1/messages/count_tokens`, Gemini `:countTokens`). Each is read from the caller's API,
 * sent in the API the provider speaks (as it came when they are the same), and answered in
 * the caller's; a count for a provider without a count API is estimated here (a token per 4
 * bytes of the prompt) and says so. Each is recorded as its own small record, not a
 * conversation: an embedding's vectors are kept as their count and dimensions.
 */
import { WIRE_APIS, type Json, type WireApiName } from '../wire';
import { isObject, list } from '../wire/internal';
import type { Provider } from './providers';

export type AuxKind = 'embeddings' | 'count-tokens';

/** How one aux call crosses: the provider path and body, and its answer in the caller's API. */
export interface AuxPlan {
  /** Same API on both sides: the body goes with only the model renamed, the answer comes back untouched. */
  same: boolean;
  /** After the provider's base URL. */
  path: string;
  body: string;
  /** The provider's JSON answer in the caller's API (null: send it as it came). */
  answer(bytes: Buffer): Buffer | null;
}

/** A count answered here (the provider has no count API). */
export interface AuxEstimate {
  estimate: Json;
}

const BYTES_PER_TOKEN = 4;

/** The caller's texts to embed (null: token-id input, which only an OpenAI-shaped provider takes as it is). */
function embeddingInputs(api: WireApiName, body: Json): string[] | null {
  if (api === 'gemini') {
    const texts = (content: unknown) => list(isObject(content) ? content.parts : undefined).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
    return Array.isArray(body.requests) ? list(body.requests).map((r) => texts(r.content)) : [texts(body.content)];
  }
  if (typeof body.input === 'string') return [body.input];
  if (Array.isArray(body.input) && body.input.every((i) => typeof i === 'string')) return body.input as string[];
  return null;
}

/** Float32 little-endian base64, as OpenAI's `encoding_format: "base64"` sends a vector. */
const base64Vector = (values: number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');

function fromBase64Vector(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => bytes.readFloatLE(i * 4));
}

function embeddingDimensions(api: WireApiName, body: Json): number | undefined {
  const d = api === 'gemini' ? (Array.isArray(body.requests) ? list(body.requests)[0]?.outputDimensionality : body.outputDimensionality) : body.dimensions;
  return typeof d === 'number' && d > 0 ? d : undefined;
}

/** The vectors (and input tokens) of a provider's embeddings answer. */
function readVectors(providerOpenAi: boolean, json: unknown): { vectors: number[][]; tokens: number | null } {
  const body = isObject(json) ? json : {};
  if (providerOpenAi) {
    const rows = list(body.data).sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
    const vectors = rows.map((r) => (Array.isArray(r.embedding) ? (r.embedding as number[]) : typeof r.embedding === 'string' ? fromBase64Vector(r.embedding) : []));
    const usage = isObject(body.usage) ? body.usage : {};
    return { vectors, tokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : null };
  }
  const many = Array.isArray(body.embeddings) ? list(body.embeddings) : isObject(body.embedding) ? [body.embedding] : [];
  return { vectors: many.map((e) => (Array.isArray(e.values) ? (e.values as number[]) : [])), tokens: null };
}

const isOpenAiShaped = (wire: WireApiName): boolean => wire === 'chat-completions' || wire === 'completions' || wire === 'responses';

/** How an embeddings call goes to `provider`, or why it cannot. */
export function planEmbeddings(api: WireApiName, body: Json, provider: Provider, model: string, method: string | undefined): AuxPlan | string {
  const callerOpenAi = api !== 'gemini';
  const providerOpenAi = isOpenAiShaped(provider.wire);
  if (!providerOpenAi && provider.wire !== 'gemini') return `provider ${provider.name} has no embeddings API`;
  if (callerOpenAi === providerOpenAi) {
    const path = providerOpenAi ? '/embeddings' : `/models/${encodeURIComponent(model)}:${method ?? 'embedContent'}`;
    const sent = providerOpenAi ? { ...body, model } : Array.isArray(body.requests) ? { ...body, requests: list(body.requests).map((r) => ({ ...r, model: `models/${model}` })) } : body;
    return { same: true, path, body: JSON.stringify(sent), answer: () => null };
  }
  const inputs = embeddingInputs(api, body);
  if (inputs === null) return `token-id input cannot be sent to provider ${provider.name}: send the input as text`;
  const dimensions = embeddingDimensions(api, body);
  const request = providerOpenAi
    ? { path: '/embeddings', body: { model, input: inputs, ...(dimensions ? { dimensions } : {}) } }
    : { path: `/models/${encodeURIComponent(model)}:batchEmbedContents`, body: { requests: inputs.map((text) => ({ model: `models/${model}`, content: { parts: [{ text }] }, ...(dimensions ? { outputDimensionality: dimensions } : {}) })) } };
  const base64 = body.encoding_format === 'base64';
  const single = api === 'gemini' && !Array.isArray(body.requests);
  return {
    same: false,
    path: request.path,
    body: JSON.stringify(request.body),
    answer(bytes) {
      const { vectors, tokens } = readVectors(providerOpenAi, JSON.parse(bytes.toString('utf8')));
      const out = callerOpenAi
        ? {
            object: 'list',
            data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? base64Vector(v) : v })),
            model: String(body.model ?? model),
            usage: { prompt_tokens: tokens ?? 0, total_tokens: tokens ?? 0 },
          }
        : single
          ? { embedding: { values: vectors[0] ?? [] } }
          : { embeddings: vectors.map((values) => ({ values })) };
      return Buffer.from(JSON.stringify(out));
    },
  };
}

/** What a count request asks to count, from the caller's API (Gemini's may wrap a whole generateContent request). */
function countedRequest(api: WireApiName, body: Json, model: string) {
  const inner = api === 'gemini' && isObject(body.generateContentRequest) ? body.generateContentRequest : body;
  return WIRE_APIS[api].decodeRequest(api === 'anthropic-messages' ? { max_tokens: 1, ...inner } : inner, { model, stream: false });
}

const pick = (json: Json, keys: string[]): Json => Object.fromEntries(keys.filter((k) => json[k] !== undefined).map((k) => [k, json[k]]));

const countAnswer = (api: WireApiName, tokens: number, estimated: boolean): Json =>
  api === 'gemini' ? { totalTokens: tokens, ...(estimated ? { estimated: true } : {}) } : { input_tokens: tokens, ...(estimated ? { estimated: true } : {}) };

/** How a token count goes to `provider` (Anthropic's and Gemini's count APIs), or the estimate when it has none. */
export function planCount(api: WireApiName, body: Json, provider: Provider, model: string): AuxPlan | AuxEstimate {
  if (api === provider.wire) {
    const path = api === 'gemini' ? `/models/${encodeURIComponent(model)}:countTokens` : '/messages/count_tokens';
    return { same: true, path, body: JSON.stringify(api === 'gemini' ? body : { ...body, model }), answer: () => null };
  }
  const request = countedRequest(api, body, model);
  if (provider.wire === 'anthropic-messages') {
    const encoded = pick(WIRE_APIS['anthropic-messages'].encodeRequest(request), ['model', 'messages', 'system', 'tools', 'tool_choice']);
    return { same: false, path: '/messages/count_tokens', body: JSON.stringify(encoded), answer: (bytes) => Buffer.from(JSON.stringify(countAnswer(api, Number((JSON.parse(bytes.toString('utf8')) as Json).input_tokens ?? 0), false))) };
  }
  if (provider.wire === 'gemini') {
    const encoded = pick(WIRE_APIS.gemini.encodeRequest(request), ['contents', 'systemInstruction', 'tools']);
    const sent = { generateContentRequest: { model: `models/${model}`, ...encoded } };
    return { same: false, path: `/models/${encodeURIComponent(model)}:countTokens`, body: JSON.stringify(sent), answer: (bytes) => Buffer.from(JSON.stringify(countAnswer(api, Number((JSON.parse(bytes.toString('utf8')) as Json).totalTokens ?? 0), false))) };
  }
  const prompt = JSON.stringify(WIRE_APIS['chat-completions'].encodeRequest(request));
  return { estimate: countAnswer(api, Math.ceil(Buffer.byteLength(prompt) / BYTES_PER_TOKEN), true) };
}

/** What the recording keeps of an embeddings answer: each vector as its dimensions, not its numbers. */
export function recordedAuxResponse(kind: AuxKind, body: unknown): unknown {
  if (kind !== 'embeddings' || !isObject(body)) return body;
  const dims = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'string' ? Buffer.from(v, 'base64').length / 4 : 0);
  if (Array.isArray(body.data)) return { ...body, data: list(body.data).map(({ embedding, ...rest }) => ({ ...rest, dimensions: dims(embedding) })) };
  if (Array.isArray(body.embeddings)) return { embeddings: list(body.embeddings).map((e) => ({ dimensions: dims(e.values) })) };
  if (isObject(body.embedding)) return { embedding: { dimensions: dims(body.embedding.values) } };
  return body;
}

/** Input tokens an embeddings answer reports (OpenAI's usage), for the record. */
export function auxInputTokens(kind: AuxKind, body: unknown): number | null {
  if (kind !== 'embeddings' || !isObject(body) || !isObject(body.usage)) return null;
  return typeof body.usage.prompt_tokens === 'number' ? body.usage.prompt_tokens : null;
}
