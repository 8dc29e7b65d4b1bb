/**
 * OpenAI Responses (`POST /v1/responses`, the only API codex speaks) ↔ the internal shape:
 * requests (instructions + input items: messages, function_call, function_call_output)
 * and `response` objects (streams: responses-stream.ts; errors: openai-errors.ts).
 * Only function tools translate (a `namespace` tool's functions too, each named
 * `<namespace>__<name>`, as codex names an MCP server's tools: `mcp__<server>__<tool>`; a
 * call naming its namespace reads back the same way); built-in and custom tools, and
 * reasoning items sent back as input, have no counterpart in other APIs and are left out.
 */
import { decodeToolChoice } from './chat-completions';
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
  type CallContext,
  type InternalResponse,
  type Json,
  type Message,
  type ResponseFormat,
  type ToolCall,
  type Usage,
} from './internal';


function userContent(content: unknown): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return list(content).flatMap((part): ContentPart[] => {
    if (part.type === 'input_image') return typeof part.image_url === 'string' ? [imageFromUrl(part.image_url)] : [];
    return typeof part.text === 'string' ? [{ type: 'text', text: part.text }] : [];
  });
}

function decodeFormat(format: unknown): ResponseFormat | undefined {
  if (!isObject(format)) return undefined;
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type !== 'json_schema') return undefined;
  return defined({ type: 'json_schema' as const, name: str(format.name), schema: isObject(format.schema) ? format.schema : {}, strict: typeof format.strict === 'boolean' ? format.strict : undefined });
}

const encodeFormat = (format: ResponseFormat): Json =>
  format.type === 'json_schema' ? defined({ type: 'json_schema', name: format.name ?? 'response', schema: format.schema, strict: format.strict }) : { type: format.type };

function decodeMessages(input: Json[], system: string[]): Message[] {
  const messages: Message[] = [];
  const nameOf = toolNames(messages);
  for (const item of input) {
    const type = item.type ?? 'message';
    if (type === 'message') {
      if (item.role === 'system' || item.role === 'developer') system.push(textOf(item.content, '\n'));
      else if (item.role === 'assistant') messages.push({ role: 'assistant', text: textOf(item.content), toolCalls: [] });
      else messages.push({ role: 'user', content: userContent(item.content) });
    } else if (type === 'function_call') {
      const call: ToolCall = { id: String(item.call_id ?? ''), name: qualified(item.namespace, String(item.name ?? '')), arguments: String(item.arguments ?? '') };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.toolCalls.push(call);
      else messages.push({ role: 'assistant', text: '', toolCalls: [call] });
    } else if (type === 'function_call_output') {
      const id = String(item.call_id ?? '');
      messages.push({ role: 'tool', toolCallId: id, name: nameOf(id), content: typeof item.output === 'string' ? item.output : textOf(item.output) });
    }
  }
  return messages;
}

/** A namespaced function's one name: `<namespace>__<name>`. */
const qualified = (namespace: unknown, name: string) => (typeof namespace === 'string' && namespace !== '' ? `${namespace}__${name}` : name);

/** The function tools of a request's `tools`, each namespace tool's functions with their namespace. */
function functionTools(tools: unknown): { fn: Json; namespace: string | undefined }[] {
  return list(tools).flatMap((t): { fn: Json; namespace: string | undefined }[] => {
    if (t.type === 'function') return [{ fn: t, namespace: undefined }];
    if (t.type !== 'namespace' || typeof t.name !== 'string') return [];
    return list(t.tools).flatMap((fn) => (fn.type === 'function' ? [{ fn, namespace: t.name as string }] : []));
  });
}

/** Function tools, and the functions of namespace tools under their qualified names. */
const decodeTools = (tools: unknown): NonNullable<InternalRequest['tools']> =>
  functionTools(tools).map(({ fn, namespace }) =>
    defined({ name: qualified(namespace, String(fn.name ?? '')), description: str(fn.description), parameters: isObject(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } }),
  );

/** A request's namespaced functions by their qualified name, for the encoding of its answer. */
export function callContext(body: unknown): CallContext {
  const namespaced = functionTools(isObject(body) ? body.tools : undefined).filter((t) => t.namespace !== undefined);
  if (namespaced.length === 0) return {};
  return { namespaces: new Map(namespaced.map(({ fn, namespace }) => [qualified(namespace, String(fn.name ?? '')), { namespace: namespace!, name: String(fn.name ?? '') }])) };
}

export { qualified as qualifiedFunctionName };

export function decodeRequest(body: unknown): InternalRequest {
  const b = isObject(body) ? body : {};
  const system = typeof b.instructions === 'string' ? [b.instructions] : [];
  const input = typeof b.input === 'string' ? [{ role: 'user', content: b.input }] : list(b.input);
  const messages = decodeMessages(input, system);
  const tools = decodeTools(b.tools);
  const choice = b.tool_choice;
  const effort = isObject(b.reasoning) ? b.reasoning.effort : undefined;
  return defined({
    model: String(b.model ?? ''),
    system: joinSystem(system),
    messages,
    tools: tools.length ? tools : undefined,
    toolChoice: isObject(choice) && choice.type === 'function' ? { name: String(choice.name) } : decodeToolChoice(choice),
    parallelToolCalls: typeof b.parallel_tool_calls === 'boolean' ? b.parallel_tool_calls : undefined,
    maxTokens: num(b.max_output_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    responseFormat: decodeFormat(isObject(b.text) ? b.text.format : undefined),
    reasoningEffort: reasoningEffortOf(effort),
    user: str(b.user),
    stream: b.stream === true,
  });
}

export const outputText = (text: string): Json => ({ type: 'output_text', text, annotations: [], logprobs: [] });

function encodeItems(m: Message): Json[] {
  if (m.role === 'tool') return [{ type: 'function_call_output', call_id: m.toolCallId, output: m.content }];
  if (m.role === 'user') {
    const content = m.content.map((p) => (p.type === 'text' ? { type: 'input_text', text: p.text } : { type: 'input_image', image_url: imageUrl(p), detail: 'auto' }));
    return [{ type: 'message', role: 'user', content }];
  }
  const text = m.text ? [{ type: 'message', role: 'assistant', content: [outputText(m.text)] }] : [];
  return [...text, ...m.toolCalls.map((c) => ({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments }))];
}

export function encodeRequest(r: InternalRequest): Json {
  const effort = r.reasoningEffort;
  return defined({
    model: r.model,
    instructions: r.system,
    input: r.messages.flatMap(encodeItems),
    // strict: false, so any schema the caller wrote is taken as it is.
    tools: r.tools?.map((t) => defined({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: false })),
    tool_choice: r.toolChoice && (typeof r.toolChoice === 'string' ? r.toolChoice : { type: 'function', name: r.toolChoice.name }),
    parallel_tool_calls: r.parallelToolCalls,
    max_output_tokens: r.maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    text: r.responseFormat && { format: encodeFormat(r.responseFormat) },
    reasoning: effort && { effort },
    user: r.user,
    stream: r.stream || undefined,
  });
}

export function decodeUsage(usage: Json): Usage {
  const input = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    inputTokens: count(usage.input_tokens),
    outputTokens: count(usage.output_tokens),
    cachedInputTokens: count(input.cached_tokens),
    cacheWriteTokens: 0,
    reasoningTokens: count(output.reasoning_tokens),
  };
}

export const encodeUsage = (u: Usage): Json => ({
  input_tokens: u.inputTokens,
  input_tokens_details: { cached_tokens: u.cachedInputTokens },
  output_tokens: u.outputTokens,
  output_tokens_details: { reasoning_tokens: u.reasoningTokens },
  total_tokens: u.inputTokens + u.outputTokens,
});

/** A response's finish reason from its status (tool calls finish a completed one). */
export function decodeFinish(response: Json, hasToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = isObject(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

const reasoningText = (item: Json) => textOf(item.summary) || textOf(item.content);

export function decodeResponse(body: unknown): InternalResponse {
  const b = isObject(body) ? body : {};
  const output = list(b.output);
  const toolCalls = output
    .filter((item) => item.type === 'function_call')
    .map((item) => ({ id: String(item.call_id ?? ''), name: qualified(item.namespace, String(item.name ?? '')), arguments: String(item.arguments ?? '') }));
  const reasoning = output.filter((item) => item.type === 'reasoning').map(reasoningText).join('');
  return defined({
    id: String(b.id ?? ''),
    model: String(b.model ?? ''),
    text: output
      .filter((item) => item.type === 'message')
      .map((item) => textOf(list(item.content).filter((p) => p.type === 'output_text')))
      .join(''),
    reasoning: reasoning || undefined,
    toolCalls,
    finishReason: decodeFinish(b, toolCalls.length > 0),
    usage: isObject(b.usage) ? decodeUsage(b.usage) : undefined,
  });
}

// Output items, as whole responses and streams write them.
const itemBase = (responseId: string) => responseId.replace(/^resp_/, '');
export const reasoningItemId = (responseId: string, outputIndex: number) => `rs_${itemBase(responseId)}_${outputIndex}`;
export const messageItemId = (responseId: string, outputIndex: number) => `msg_${itemBase(responseId)}_${outputIndex}`;
export const functionCallItemId = (callId: string) => `fc_${callId.replace(/^(call|fc)_/, '')}`;

export const reasoningItem = (id: string, text: string): Json => ({ type: 'reasoning', id, summary: text ? [{ type: 'summary_text', text }] : [] });
export const messageItem = (id: string, text: string, status = 'completed'): Json => ({ type: 'message', id, status, role: 'assistant', content: text || status === 'completed' ? [outputText(text)] : [] });
/** A function call item; a namespaced function's (by `context`) names its namespace and its own name there. */
export const functionCallItem = (call: ToolCall, status = 'completed', context?: CallContext): Json => {
  const namespaced = context?.namespaces?.get(call.name);
  return {
    type: 'function_call',
    id: functionCallItemId(call.id),
    call_id: call.id,
    ...(namespaced ? { namespace: namespaced.namespace, name: namespaced.name } : { name: call.name }),
    arguments: call.arguments,
    status,
  };
};

/** A `response` object; `status` and `usage` as the response stands (in progress: no output, no usage). */
export function responseObject(fields: { id: string; model: string; createdAt: number; status: string; output: Json[]; usage?: Usage; finishReason?: FinishReason | null }): Json {
  const incomplete = fields.finishReason === 'length' ? 'max_output_tokens' : fields.finishReason === 'content_filter' ? 'content_filter' : null;
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: incomplete ? 'incomplete' : fields.status,
    error: null,
    incomplete_details: incomplete ? { reason: incomplete } : null,
    instructions: null,
    max_output_tokens: null,
    metadata: {},
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    usage: fields.usage ? encodeUsage(fields.usage) : null,
  };
}

export function encodeResponse(r: InternalResponse, context?: CallContext): Json {
  const output: Json[] = [];
  if (r.reasoning) output.push(reasoningItem(reasoningItemId(r.id, output.length), r.reasoning));
  if (r.text) output.push(messageItem(messageItemId(r.id, output.length), r.text));
  output.push(...r.toolCalls.map((c) => functionCallItem(c, 'completed', context)));
  return responseObject({ id: r.id, model: r.model, createdAt: nowSeconds(), status: r.finishReason === null ? 'incomplete' : 'completed', output, usage: r.usage, finishReason: r.finishReason });
}
