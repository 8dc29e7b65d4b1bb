/**
 * OpenAI chat-completions request → Anthropic Messages API request.
 *
 * We translate to the native Messages API rather than Anthropic's OpenAI-compatible
 * endpoint: Anthropic documents the latter as a testing aid that ignores several fields,
 * while the native API is the one every Anthropic-compatible server implements.
 */

type Json = Record<string, unknown>;

/** Anthropic requires `max_tokens`; this is used when the OpenAI request sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Json[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p) => isObject(p) && p.type === 'text')
    .map((p) => String((p as Json).text ?? ''))
    .join('\n');
}

function imageBlock(part: Json): Json {
  const image = part.image_url;
  const url = typeof image === 'string' ? image : isObject(image) ? String(image.url ?? '') : '';
  const data = url.match(/^data:([^;,]+);base64,(.*)$/s);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
  return { type: 'image', source: { type: 'url', url } };
}

function contentBlocks(content: unknown): Json[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.filter(isObject).map((part) => {
    if (part.type === 'image_url') return imageBlock(part);
    return { type: 'text', text: String(part.text ?? '') };
  });
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return { _raw: raw };
  }
}

function assistantBlocks(message: Json): Json[] {
  const blocks = contentBlocks(message.content);
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
  for (const call of calls) {
    const fn = isObject(call.function) ? call.function : {};
    blocks.push({ type: 'tool_use', id: call.id, name: fn.name, input: parseArguments(fn.arguments) });
  }
  return blocks;
}

function toolResultBlock(message: Json): Json {
  return { type: 'tool_result', tool_use_id: message.tool_call_id, content: textOf(message.content) };
}

/** Consecutive messages of one role are merged: tool results must share the next user turn. */
function append(messages: AnthropicMessage[], role: AnthropicMessage['role'], blocks: Json[]): void {
  const last = messages[messages.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

function toolChoice(choice: unknown): Json | undefined {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  if (isObject(choice) && isObject(choice.function)) return { type: 'tool', name: choice.function.name };
  return undefined;
}

function tools(list: unknown): Json[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.filter(isObject).map((tool) => {
    const fn = isObject(tool.function) ? tool.function : {};
    return {
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      input_schema: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    };
  });
}

/** Translates an OpenAI request body (model already stripped of its prefix). */
export function toAnthropicRequest(body: Json, model: string): Json {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const message of Array.isArray(body.messages) ? body.messages.filter(isObject) : []) {
    if (message.role === 'system' || message.role === 'developer') system.push(textOf(message.content));
    else if (message.role === 'assistant') append(messages, 'assistant', assistantBlocks(message));
    else if (message.role === 'tool') append(messages, 'user', [toolResultBlock(message)]);
    else append(messages, 'user', contentBlocks(message.content));
  }
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : undefined;
  const out: Json = {
    model,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system.length) out.system = system.join('\n\n');
  if (body.temperature !== undefined && body.temperature !== null) out.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) out.top_p = body.top_p;
  if (stop) out.stop_sequences = stop;
  if (body.stream === true) out.stream = true;
  const translatedTools = tools(body.tools);
  if (translatedTools?.length) out.tools = translatedTools;
  const choice = toolChoice(body.tool_choice);
  if (choice && translatedTools?.length) out.tool_choice = choice;
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  return out;
}
