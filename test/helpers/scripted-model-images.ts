/**
 * The scripted model server's image answers: OpenAI's Images API
 * (`POST /v1/images/generations`, answered in `b64_json`, or as URLs the server serves when
 * a DALL·E request asks for `url`) and Gemini's image output (`generateContent` with
 * `responseModalities` holding IMAGE: the text part, then an `inlineData` part). The images
 * are a small real PNG.
 */
import type { ImagesResponse } from 'openai/resources/images';
import { apiError, type ValidationFailure } from './scripted-model-request-validation';
import type { ResolvedReply } from './scripted-model-responses';
import type { ChatRequest } from './scripted-model-server';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A 1×1 PNG: the bytes every scripted image has. */
export const SCRIPTED_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const SIZES: Record<string, string[]> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'gpt-image-1': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
};

const invalid = (message: string, param: string | null = null): ValidationFailure => ({ status: 400, body: apiError(message, 'invalid_request_error', null, param) });

/** Why the Images API would refuse this body (400), or null. */
export function validateImagesRequest(body: unknown): ValidationFailure | null {
  if (!isObject(body)) return invalid('We could not parse the JSON body of your request.');
  const model = typeof body.model === 'string' ? body.model : 'dall-e-2';
  if (typeof body.prompt !== 'string' || body.prompt === '') return invalid("Missing required parameter: 'prompt'.", 'prompt');
  const sizes = SIZES[model];
  if (!sizes) return { status: 404, body: apiError(`The model '${model}' does not exist.`, 'invalid_request_error', 'model_not_found', 'model') };
  if (body.size !== undefined && !sizes.includes(String(body.size))) return invalid(`Invalid value: '${String(body.size)}'. Supported values are: ${sizes.map((s) => `'${s}'`).join(', ')}.`, 'size');
  if (model === 'dall-e-3' && body.n !== undefined && body.n !== 1) return invalid('You must provide n=1 for this model.', 'n');
  if (model === 'gpt-image-1' && body.response_format !== undefined) return invalid("Unknown parameter: 'response_format'.", 'response_format');
  return null;
}

/** An Images request as the chat request scripts read: the prompt as the user message. */
export const chatRequestFromImages = (body: Json): ChatRequest => ({ model: String(body.model ?? 'dall-e-2'), messages: [{ role: 'user', content: String(body.prompt) }] });

/** The Images API's answer: `n` images, base64 unless a DALL·E request asked for URLs (then `urlOf(i)`); the scripted reply's text is DALL·E 3's revised prompt. */
export function imagesBody(body: Json, reply: ResolvedReply, urlOf: (i: number) => string): ImagesResponse {
  const model = String(body.model ?? 'dall-e-2');
  const n = typeof body.n === 'number' ? body.n : 1;
  const asUrl = model.startsWith('dall-e') && body.response_format !== 'b64_json';
  const data = Array.from({ length: n }, (_, i) => ({
    ...(asUrl ? { url: urlOf(i) } : { b64_json: SCRIPTED_PNG.toString('base64') }),
    ...(model === 'dall-e-3' ? { revised_prompt: reply.content ?? String(body.prompt) } : {}),
  }));
  return {
    created: reply.created,
    data,
    ...(model === 'gpt-image-1'
      ? { usage: { input_tokens: reply.usage.prompt_tokens, output_tokens: 272, total_tokens: reply.usage.prompt_tokens + 272, input_tokens_details: { image_tokens: 0, text_tokens: reply.usage.prompt_tokens } } }
      : {}),
  };
}

/** Whether a generateContent request asks for images (`generationConfig.responseModalities` holds IMAGE). */
export function wantsGeminiImage(body: unknown): boolean {
  const config = isObject(body) ? (body.generationConfig ?? body.generation_config) : undefined;
  const modalities = isObject(config) ? (config.responseModalities ?? config.response_modalities) : undefined;
  return Array.isArray(modalities) && modalities.some((m) => String(m).toUpperCase() === 'IMAGE');
}

/** generateContent's answer with an image: the reply's text, then the PNG as `inlineData` (the REST API's camelCase). */
export function geminiImageBody(reply: ResolvedReply): Json {
  const parts = [...(reply.content ? [{ text: reply.content }] : []), { inlineData: { mimeType: 'image/png', data: SCRIPTED_PNG.toString('base64') } }];
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: reply.usage.prompt_tokens, candidatesTokenCount: 1290, totalTokenCount: reply.usage.prompt_tokens + 1290 },
    modelVersion: reply.model,
    responseId: reply.id.replace(/^chatcmpl-/, ''),
  };
}
