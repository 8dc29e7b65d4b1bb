import { describe, expect, it } from 'vitest';
import { assembleEvents, eventsOfResponse, WIRE_APIS } from '.';

describe('legacy completions', () => {
  const api = WIRE_APIS.completions;

  it('reads a prompt as one user message and writes a conversation as one prompt', () => {
    const request = api.decodeRequest({ model: 'm', prompt: 'Say hi', max_tokens: 5, stop: '\n', stream: true });
    expect(request).toMatchObject({ model: 'm', maxTokens: 5, stop: ['\n'], stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }] });
    const chat = WIRE_APIS['chat-completions'].decodeRequest({ model: 'm', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
    expect(api.encodeRequest(chat)).toMatchObject({ model: 'm', prompt: 'Be brief.\n\nHi' });
  });

  it('answers text_completion choices, whole and streamed, and keeps an unfinished answer unfinished', () => {
    const response = { id: 'cmpl-1', model: 'm', text: 'Hello there', toolCalls: [], finishReason: 'stop' as const, usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } };
    const body = api.encodeResponse(response);
    expect(body).toMatchObject({ object: 'text_completion', choices: [{ text: 'Hello there', finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    expect(api.decodeResponse(body)).toEqual(response);
    const encoder = api.streamEncoder({ includeUsage: true });
    const sse = eventsOfResponse(response, (t) => (t ? [t.slice(0, 5), t.slice(5)] : [])).map((e) => encoder.push(e)).join('') + encoder.end();
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(assembleEvents(api.streamDecoder().push(sse)).response).toEqual(response);
    const cut = sse.slice(0, sse.indexOf('"finish_reason":"stop"') - 60);
    expect(assembleEvents(api.streamDecoder().push(cut)).response.finishReason).toBeNull();
  });
});
