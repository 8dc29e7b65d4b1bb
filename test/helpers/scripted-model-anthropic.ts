/**
 * The Anthropic Messages wire format of the scripted model server (`POST /v1/messages`):
 * a request is read into the OpenAI shape the scripts already understand (system prompt,
 * text, `tool_use` → assistant tool calls, `tool_result` → tool messages, tools), and a
 * scripted reply is written back as a Messages API `message` or its named SSE events
 * (message_start, content blocks with text and input-JSON deltas, message_delta with the
 * stop reason and usage, message_stop). Agents that speak this API (claude-code) run
 * against the same scripts as the built-in agent.
 */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatRequest } from './scripted-model-server';
import { splitIntoPieces, type ResolvedReply } from './scripted-model-responses';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Messages API's error body. */
export const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

/** Why the Messages API would refuse this body (400), or null. */
export function validateMessagesRequest(body: unknown): string | null {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, message] of body.messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
  }
  return null;
}

/** Text of a string or of an array of content blocks (text blocks only). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((block): block is Json => isObject(block) && block.type === 'text')
    .map((block) => String(block.text))
    .join('\n');
}

/** A Messages API request in the Chat Completions shape (what scripts read). */
export function chatRequestFromMessages(body: Json): ChatRequest {
  const messages: ChatCompletionMessageParam[] = [];
  const system = textOf(body.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const message of body.messages as Json[]) {
    const blocks: Json[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Json[]);
    if (message.role === 'assistant') {
      const calls = blocks.filter((b) => b.type === 'tool_use');
      messages.push({
        role: 'assistant',
        content: textOf(blocks) || null,
        ...(calls.length > 0 && {
          tool_calls: calls.map((c) => ({ id: String(c.id), type: 'function' as const, function: { name: String(c.name), arguments: JSON.stringify(c.input) } })),
        }),
      });
      continue;
    }
    for (const result of blocks.filter((b) => b.type === 'tool_result')) {
      messages.push({ role: 'tool', tool_call_id: String(result.tool_use_id), content: textOf(result.content) });
    }
    const text = textOf(blocks);
    if (text) messages.push({ role: 'user', content: text });
  }
  const tools: ChatCompletionTool[] = (Array.isArray(body.tools) ? (body.tools as Json[]) : []).map((t) => ({
    type: 'function',
    function: { name: String(t.name), description: typeof t.description === 'string' ? t.description : undefined, parameters: t.input_schema as Json },
  }));
  return { model: String(body.model), messages, stream: body.stream === true, ...(tools.length > 0 && { tools }) };
}

const STOP_REASON = { stop: 'end_turn', tool_calls: 'tool_use' } as const;
const toolUseId = (id: string) => id.replace(/^call_/, 'toolu_');

function contentBlocks(reply: ResolvedReply): Json[] {
  return [
    ...(reply.content ? [{ type: 'text', text: reply.content }] : []),
    ...reply.toolCalls.map((c) => ({ type: 'tool_use', id: toolUseId(c.id), name: c.name, input: JSON.parse(c.arguments) as unknown })),
  ];
}

const usageOf = (reply: ResolvedReply) => ({ input_tokens: reply.usage.prompt_tokens, output_tokens: reply.usage.completion_tokens });

/** A non-streamed Messages API answer. */
export function messageBody(reply: ResolvedReply): Json {
  return {
    id: reply.id.replace(/^chatcmpl-/, 'msg_'),
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: contentBlocks(reply),
    stop_reason: STOP_REASON[reply.finishReason],
    stop_sequence: null,
    usage: usageOf(reply),
  };
}

/** The SSE frames of a streamed Messages API answer, in order. */
export function messageEvents(reply: ResolvedReply): string[] {
  const event = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const { content: _content, stop_reason: _stop, usage, ...message } = messageBody(reply);
  const frames = [
    event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...(usage as Json), output_tokens: 1 } } }),
    event('ping', {}),
  ];
  contentBlocks(reply).forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const text of splitIntoPieces(String(block.text))) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    } else {
      frames.push(event('content_block_start', { index, content_block: { ...block, input: {} } }));
      for (const partial_json of splitIntoPieces(JSON.stringify(block.input), 6)) {
        frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    frames.push(event('content_block_stop', { index }));
  });
  frames.push(event('message_delta', { delta: { stop_reason: STOP_REASON[reply.finishReason], stop_sequence: null }, usage: { output_tokens: reply.usage.completion_tokens } }));
  frames.push(event('message_stop', {}));
  return frames;
}
