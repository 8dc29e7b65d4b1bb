import { describe, expect, it } from 'vitest';
import { outcomeOf, type CapturedCall } from '../proxy/call-summary';
import { callConversation } from './call-conversation';
import { WIRE_APIS, eventsOfResponse, type InternalRequest, type InternalResponse, type WireApiName } from '../wire';

const request: InternalRequest = {
  model: 'test-model',
  system: 'Follow the runbook.',
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Execute the runbook.' }] },
    { role: 'assistant', text: '', toolCalls: [{ id: 'call_1', name: 'bash', arguments: '{"command":"echo one"}' }] },
    { role: 'tool', toolCallId: 'call_1', name: 'bash', content: 'one\n' },
  ],
  tools: [{ name: 'bash', description: 'Runs a command', parameters: { type: 'object', properties: { command: { type: 'string' } } } }],
  stream: false,
};
const response: InternalResponse = {
  id: 'resp_1',
  model: 'test-model',
  text: 'Running the next step.',
  toolCalls: [{ id: 'call_2', name: 'bash', arguments: '{"command":"echo two"}' }],
  finishReason: 'tool_calls',
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
};

/** A call as the passthrough captures it: the request body the client sent and the bytes it got, in `api`. */
function captured(api: WireApiName, stream: boolean, status = 200): CapturedCall {
  const wire = WIRE_APIS[api];
  let chunks: Uint8Array[];
  if (status >= 400) chunks = [Buffer.from(JSON.stringify(wire.encodeError({ kind: 'server', status, message: 'upstream broke' }).body))];
  else if (stream) {
    const encoder = wire.streamEncoder({ includeUsage: true });
    // One chunk per event, as a provider streams them.
    chunks = [...eventsOfResponse(response).map((e) => Buffer.from(encoder.push(e))), Buffer.from(encoder.end())];
  } else chunks = [Buffer.from(JSON.stringify(wire.encodeResponse(response)))];
  const now = Date.now();
  return {
    id: 'abcd1234', api, runId: 'abcd1234', provider: 'openai', model: 'test-model', stream,
    request: Buffer.from(JSON.stringify(wire.encodeRequest({ ...request, stream }))),
    status, chunks, cancelled: false, startedAt: now, firstByteAt: now, endedAt: now,
  };
}

// Legacy completions carry one prompt (no system, tools or turns): their codec's own test covers them.
describe.each((Object.keys(WIRE_APIS) as WireApiName[]).filter((api) => api !== 'completions'))('the conversation of a %s call', (api) => {
  it.each([false, true])('streamed: %s — the prompt in order and the completion', (stream) => {
    const call = captured(api, stream);
    const conversation = callConversation(call, outcomeOf(call))!;
    expect(conversation.prompt.map((e) => e.role)).toEqual(['tools', 'system', 'user', 'assistant', 'tool']);
    expect(conversation.prompt[0]).toMatchObject({ tools: [{ name: 'bash' }] });
    expect(conversation.prompt[1]).toEqual({ role: 'system', text: 'Follow the runbook.' });
    expect(conversation.prompt[3]).toMatchObject({ toolCalls: [{ name: 'bash', arguments: '{"command":"echo one"}' }] });
    expect(conversation.prompt[4]).toMatchObject({ content: 'one\n' });
    expect(conversation.completion).toMatchObject({ role: 'assistant', text: 'Running the next step.', toolCalls: [{ name: 'bash', arguments: '{"command":"echo two"}' }] });
  });

  it('keeps the prompt of a failed call, with no completion', () => {
    const call = captured(api, false, 500);
    const conversation = callConversation(call, outcomeOf(call))!;
    expect(conversation.prompt).toHaveLength(5);
    expect(conversation.completion).toBeNull();
  });
});

it('reads no conversation from a body that is not JSON', () => {
  const call = { ...captured('chat-completions', false), request: Buffer.from('not json') };
  expect(callConversation(call, outcomeOf(call))).toBeNull();
});
