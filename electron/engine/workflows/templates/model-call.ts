import { num, optionalText } from './params';
import { PermanentStepError, type ParameterSpec, type StepContext, type StepResult } from './types';

type Json = Record<string, unknown>;

/** The parameters every chat-based step shares. */
export const CHAT_PARAMETERS: ParameterSpec[] = [
  { name: 'model', type: 'string', required: true, description: 'Provider-prefixed model (openai/gpt-4o, anthropic/…, gemini/…).' },
  { name: 'system_prompt', type: 'string', description: 'The system message.' },
  { name: 'temperature', type: 'number', description: 'Sampling temperature.' },
  { name: 'max_tokens', type: 'integer', description: 'Most tokens to generate.' },
];

/** `response_format` as the caller gave it: `{type: json_schema, json_schema: {...}}`, `{type: json_object}`, or a bare JSON schema. */
function responseFormat(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new PermanentStepError('response_format must be an object');
  const format = value as Json;
  if (typeof format.type === 'string' && ['json_schema', 'json_object', 'text'].includes(format.type)) return format;
  return { type: 'json_schema', json_schema: { name: 'output', schema: format, strict: true } };
}

/** One chat completion through the passthrough; outputs text (and `json` when a JSON format was asked for), model, usage, call id. */
export async function chat(ctx: StepContext, inputs: Json, userContent: unknown, extra: { model?: string; response_format?: Json } = {}): Promise<StepResult> {
  const model = extra.model ?? optionalText(inputs, 'model');
  if (!model) throw new PermanentStepError("parameter 'model' is required");
  const system = optionalText(inputs, 'system_prompt');
  const format = extra.response_format ?? responseFormat(inputs.response_format);
  const body: Json = {
    model,
    messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: userContent }],
    ...(inputs.temperature !== undefined ? { temperature: num(inputs, 'temperature', 1) } : {}),
    ...(inputs.max_tokens !== undefined ? { max_tokens: num(inputs, 'max_tokens', 1, { min: 1, integer: true }) } : {}),
    ...(format ? { response_format: format } : {}),
  };
  const reply = await ctx.models.chat(body, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
  const message = ((reply.completion.choices as Json[] | undefined)?.[0]?.message ?? {}) as Json;
  const text = typeof message.content === 'string' ? message.content : '';
  const outputs: Json = { text, model, usage: reply.usage, call_id: reply.callId };
  if (format && format.type !== 'text') {
    try {
      outputs.json = JSON.parse(text);
    } catch {
      throw new PermanentStepError(`the model was asked for JSON but answered: ${text.slice(0, 200)}`);
    }
  }
  return { outputs, usage: reply.usage };
}
