/**
 * Checks a chat completions request the way the OpenAI API does, so a client bug (a
 * missing model, a tool result without its assistant tool call, stream_options without
 * stream…) fails against the scripted server exactly as it would against the real API.
 */

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ValidationFailure {
  status: number;
  body: ApiErrorBody;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function apiError(message: string, type: string, code: string | null = null, param: string | null = null): ApiErrorBody {
  return { error: { message, type, param, code } };
}

const invalid = (message: string, param: string | null = null, code: string | null = null): ValidationFailure => ({
  status: 400,
  body: apiError(message, 'invalid_request_error', code, param),
});

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns why the request would be rejected, or null when it is acceptable. */
export function validateChatRequest(body: unknown, knownModels: readonly string[] | null): ValidationFailure | null {
  if (!isObject(body)) return invalid('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter', 'model');
  if (knownModels && !knownModels.includes(body.model)) {
    return {
      status: 404,
      body: apiError(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
    };
  }
  if (body.messages === undefined) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(body.messages)) return invalid("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
  if (body.messages.length === 0) return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');
  if (body.stream_options !== undefined && body.stream !== true) {
    return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  return validateTools(body.tools) ?? validateMessages(body.messages);
}

function validateTools(tools: unknown): ValidationFailure | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  for (const [i, tool] of tools.entries()) {
    const fn = isObject(tool) && tool.type === 'function' && isObject(tool.function) ? tool.function : null;
    if (!fn || typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
      return invalid(`Invalid 'tools[${i}]': expected {type: 'function', function: {name}} with a name matching ^[a-zA-Z0-9_-]{1,64}$.`, `tools[${i}]`);
    }
  }
  return null;
}

function validateMessages(messages: unknown[]): ValidationFailure | null {
  let pendingToolCalls: Set<string> | null = null;
  for (const [i, message] of messages.entries()) {
    const where = `messages[${i}]`;
    if (!isObject(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return invalid(`Invalid '${where}.role': expected one of system, developer, user, assistant, tool.`, `${where}.role`);
    }
    if (message.role === 'tool') {
      if (typeof message.tool_call_id !== 'string') return invalid(`Missing required parameter: '${where}.tool_call_id'.`, `${where}.tool_call_id`);
      if (!pendingToolCalls?.delete(message.tool_call_id)) {
        return invalid(
          `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
          `${where}.role`,
        );
      }
      continue;
    }
    if (pendingToolCalls && pendingToolCalls.size > 0) {
      return invalid(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pendingToolCalls].join(', ')}`,
        `${where}.role`,
      );
    }
    pendingToolCalls = null;
    const hasContent = typeof message.content === 'string' || Array.isArray(message.content);
    if (message.role === 'assistant') {
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
      if (!hasContent && calls.length === 0) return invalid(`Invalid '${where}': an assistant message needs content or tool_calls.`, where);
      const ids = calls.map((c) => (isObject(c) ? c.id : undefined));
      if (ids.some((id) => typeof id !== 'string')) return invalid(`Invalid '${where}.tool_calls': every tool call needs an id.`, `${where}.tool_calls`);
      if (ids.length > 0) pendingToolCalls = new Set(ids as string[]);
    } else if (!hasContent) {
      return invalid(`Missing required parameter: '${where}.content'.`, `${where}.content`);
    }
  }
  if (pendingToolCalls && pendingToolCalls.size > 0) {
    return invalid(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pendingToolCalls].join(', ')}`,
      'messages',
    );
  }
  return null;
}
