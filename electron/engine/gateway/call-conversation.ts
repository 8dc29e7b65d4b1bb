/**
 * What the model saw and said in one captured call, in the internal shape whatever wire
 * API the agent spoke: the prompt's entries (declared tools, system prompt, messages) and
 * the completion (a stream's assembled from its chunks).
 */
import type { ChatEntry, ConversationEntry } from '../../../shared/conversation';
import type { CallOutcome, CapturedCall } from '../proxy/call-summary';
import { isRestApi } from '../proxy/rest-apis';
import { WIRE_APIS, type InternalRequest } from './wire';

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

/** The call's conversation, or null for a call in a REST API the gateway does not read, or a body it cannot. */
export function callConversation(call: CapturedCall, outcome: CallOutcome | null): CallConversation | null {
  if (isRestApi(call.api)) return null;
  const wire = WIRE_APIS[call.api];
  let request: InternalRequest;
  try {
    request = wire.decodeRequest(JSON.parse(Buffer.from(call.request).toString('utf8')), { model: call.model, stream: call.stream });
  } catch {
    return null;
  }
  const answered = outcome !== null && outcome.error === null && call.status < 400;
  const response = answered ? wire.decodeResponse(outcome.response) : null;
  const completion: ChatEntry | null = response
    ? { role: 'assistant', text: response.text, toolCalls: response.toolCalls, ...(response.reasoning ? { reasoning: response.reasoning } : {}) }
    : null;
  return { prompt: promptOf(request), completion };
}
