/**
 * What the model saw and said in one captured call, in the internal shape whatever wire
 * API the agent spoke: the prompt's entries (declared tools, system prompt, messages) and
 * the completion (a stream's assembled from its chunks).
 */
import type { ChatEntry, ConversationEntry } from '../../../shared/conversation';
import { isWireApi, type CallOutcome, type CapturedCall } from '../proxy/call-summary';
import { WIRE_APIS, type InternalRequest, type Json, type WireApiName } from '../wire';
import { isObject } from '../wire/internal';

export interface CallConversation {
  prompt: ConversationEntry[];
  /** Null when the call answered no completion (an error, a cancelled stream). */
  completion: ChatEntry | null;
}

function promptOf(request: InternalRequest): ConversationEntry[] {
  const head: ConversationEntry[] = [];
  if (request.tools?.length) head.push({ role: 'tools', tools: request.tools });
  if (request.system !== undefined) head.push({ role: 'system', text: request.system });
  return [...head, ...request.messages];
}

/** A parsed request body's prompt entries (declared tools, system prompt, messages), or null when it cannot be read. */
export function promptOfBody(api: WireApiName, body: Json): ConversationEntry[] | null {
  try {
    return promptOf(WIRE_APIS[api].decodeRequest(body));
  } catch {
    return null;
  }
}

/** The prompt of a request as captured (bytes), or null when they are no JSON object. */
function promptOfBytes(api: WireApiName, bytes: Uint8Array): ConversationEntry[] | null {
  try {
    const body: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return isObject(body) ? promptOfBody(api, body) : null;
  } catch {
    return null;
  }
}

/**
 * The call's conversation, or null for a call in a REST API the gateway does not read, or a
 * body it cannot. `prompt`: the request's prompt when it was read already (`promptOfBody`).
 */
export function callConversation(call: CapturedCall, outcome: CallOutcome | null, prompt?: ConversationEntry[] | null): CallConversation | null {
  if (!isWireApi(call.api)) return null;
  const wire = WIRE_APIS[call.api];
  const entries = prompt === undefined ? promptOfBytes(call.api, call.request) : prompt;
  if (!entries) return null;
  const answered = outcome !== null && outcome.error === null && call.status < 400;
  const response = answered ? wire.decodeResponse(outcome.response) : null;
  const completion: ChatEntry | null = response
    ? { role: 'assistant', text: response.text, toolCalls: response.toolCalls, ...(response.reasoning ? { reasoning: response.reasoning } : {}) }
    : null;
  return { prompt: entries, completion };
}
