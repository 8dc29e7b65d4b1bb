/**
 * OpenAI chat completions (`POST /v1/chat/completions`) ↔ the internal shape: requests and
 * responses (streams: chat-completions-stream.ts; errors: openai-errors.ts). Reasoning
 * travels as `reasoning_content`, as DeepSeek, vLLM and OpenRouter send it.
 */
import {
  count,
  defined,
  imageFromUrl,
  imageUrl,
  isObject,
  list,
  num,
  str,
  joinSystem,
  nowSeconds,
  reasoningEffortOf,
  textOf,
  toolNames,
  type ContentPart,
  type FinishReason,
  type InternalRequest,
  type InternalResponse,
  type Json,
  type Message,
  type ResponseFormat,
  type ToolCall,
  type ToolChoice,
  type Usage,
} from './internal';


function userContent(content: unknown): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return list(content).map((part): ContentPart => {
    if (part.type !== 'image_url') return { type: 'text', text: String(part.text ?? '') };
    const image = part.image_url;
    return imageFromUrl(typeof image === 'string' ? image : String((isObject(image) && image.url) || ''));
  });
}

function encodeUserContent(content: ContentPart[]): string | Json[] {
  if (content.length === 1 && content[0].type === 'text') return content[0].text;
  return content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: { url: imageUrl(p) } }));
}

export function decodeToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') return { name: choice.function.name };
  return undefined;
}

const encodeToolChoice = (choice: ToolChoice) => (typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } });

function decodeResponseFormat(format: unknown): ResponseFormat | undefined {
  if (!isObject(format)) return undefined;
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type !== 'json_schema' || !isObject(format.json_schema)) return undefined;
  const { name, schema, strict } = format.json_schema;
  return defined({ type: 'json_schema' as const, name: str(name), schema: isObject(schema) ? schema : {}, strict: typeof strict === 'boolean' ? strict : undefined });
}

function encodeResponseFormat(format: ResponseFormat): Json {
  if (format.type !== 'json_schema') return { type: format.type };
  return { type: 'json_schema', json_schema: defined({ name: format.name ?? 'response', schema: format.schema, strict: format.strict }) };
}

function decodeToolCalls(calls: unknown): ToolCall[] {
  return list(calls).map((c) => {
    const fn = isObject(c.function) ? c.function : {};
    return { id: String(c.id ?? ''), name: String(fn.name ?? ''), arguments: String(fn.arguments ?? '') };
  });
}

export function decodeRequest(body: unknown): InternalRequest {
  const b = isObject(body) ? body : {};
  const system: string[] = [];
  const messages: Message[] = [];
  const nameOf = toolNames(messages);
  for (const m of list(b.messages)) {
    if (m.role === 'system' || m.role === 'developer') system.push(textOf(m.content, '\n'));
    else if (m.role === 'assistant') messages.push({ role: 'assistant', text: textOf(m.content), toolCalls: decodeToolCalls(m.tool_calls) });
    else if (m.role === 'tool') {
      const id = String(m.tool_call_id ?? '');
      messages.push({ role: 'tool', toolCallId: id, name: nameOf(id), content: textOf(m.content) });
    } else messages.push({ role: 'user', content: userContent(m.content) });
  }
  const tools = list(b.tools)
    .filter((t) => t.type === 'function' && isObject(t.function))
    .map((t) => {
      const fn = t.function as Json;
      return defined({ name: String(fn.name ?? ''), description: str(fn.description), parameters: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } });
    });
  const stop = typeof b.stop === 'string' ? [b.stop] : Array.isArray(b.stop) ? b.stop.map(String) : undefined;
  return defined({
    model: String(b.model ?? ''),
    system: joinSystem(system),
    messages,
    tools: tools.length ? tools : undefined,
    toolChoice: decodeToolChoice(b.tool_choice),
    parallelToolCalls: typeof b.parallel_tool_calls === 'boolean' ? b.parallel_tool_calls : undefined,
    maxTokens: num(b.max_completion_tokens) ?? num(b.max_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    stop,
    responseFormat: decodeResponseFormat(b.response_format),
    reasoningEffort: reasoningEffortOf(b.reasoning_effort),
    user: str(b.user),
    stream: b.stream === true,
  });
}

function encodeMessage(m: Message): Json {
  if (m.role === 'user') return { role: 'user', content: encodeUserContent(m.content) };
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.toolCalls.length === 0) return { role: 'assistant', content: m.text };
  const tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return { role: 'assistant', content: m.text || null, tool_calls };
}

export function encodeRequest(r: InternalRequest): Json {
  return defined({
    model: r.model,
    messages: [...(r.system !== undefined ? [{ role: 'system', content: r.system }] : []), ...r.messages.map(encodeMessage)],
    tools: r.tools?.map((t) => ({ type: 'function', function: defined({ name: t.name, description: t.description, parameters: t.parameters }) })),
    tool_choice: r.toolChoice && encodeToolChoice(r.toolChoice),
    parallel_tool_calls: r.parallelToolCalls,
    max_completion_tokens: r.maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    stop: r.stop,
    response_format: r.responseFormat && encodeResponseFormat(r.responseFormat),
    reasoning_effort: r.reasoningEffort,
    user: r.user,
    stream: r.stream || undefined,
    // Usage is what a recorded call is billed by: always ask for it.
    stream_options: r.stream ? { include_usage: true } : undefined,
  });
}

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', function_call: 'tool_calls', content_filter: 'content_filter' };
export const decodeFinishReason = (reason: unknown): FinishReason => FINISH[String(reason)] ?? 'stop';

export function decodeUsage(usage: Json): Usage {
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    inputTokens: count(usage.prompt_tokens),
    outputTokens: count(usage.completion_tokens),
    cachedInputTokens: count(prompt.cached_tokens),
    cacheWriteTokens: 0,
    reasoningTokens: count(completion.reasoning_tokens),
  };
}

export const encodeUsage = (u: Usage): Json => ({
  prompt_tokens: u.inputTokens,
  completion_tokens: u.outputTokens,
  total_tokens: u.inputTokens + u.outputTokens,
  prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
  completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
});

export function decodeResponse(body: unknown): InternalResponse {
  const b = isObject(body) ? body : {};
  const choice = list(b.choices).find((c) => (c.index ?? 0) === 0) ?? {};
  const message = isObject(choice.message) ? choice.message : {};
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  return defined({
    id: String(b.id ?? ''),
    model: String(b.model ?? ''),
    text: textOf(message.content),
    reasoning: reasoning || undefined,
    toolCalls: decodeToolCalls(message.tool_calls),
    finishReason: decodeFinishReason(choice.finish_reason),
    usage: isObject(b.usage) ? decodeUsage(b.usage) : undefined,
  });
}

export function encodeResponse(r: InternalResponse): Json {
  const { content, tool_calls } = encodeMessage({ role: 'assistant', text: r.text, toolCalls: r.toolCalls });
  const message = defined({ role: 'assistant', content, refusal: null, reasoning_content: r.reasoning, tool_calls });
  return defined({
    id: r.id,
    object: 'chat.completion',
    created: nowSeconds(),
    model: r.model,
    choices: [{ index: 0, message, finish_reason: r.finishReason, logprobs: null }],
    usage: r.usage && encodeUsage(r.usage),
  });
}
