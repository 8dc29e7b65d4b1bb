/** Gemini as gemini-cli speaks it, translated for an Anthropic upstream; its paths. */
import { describe, expect, it } from 'vitest';
import { geminiPath, parseGeminiPath } from './gemini';
import { WIRE_APIS } from '.';

describe('gemini-cli (Gemini) against an Anthropic upstream', () => {
  const geminiCliRequest = {
    systemInstruction: { role: 'user', parts: [{ text: 'You are Gemini CLI.' }] },
    tools: [{ functionDeclarations: [{ name: 'run_shell_command', description: 'Runs a command', parametersJsonSchema: { type: 'object', properties: { command: { type: 'string' } } } }] }],
    contents: [
      { role: 'user', parts: [{ text: 'What is in /app?' }] },
      { role: 'model', parts: [{ text: 'Let me look.', thought: true, thoughtSignature: 'sig' }, { functionCall: { name: 'run_shell_command', args: { command: 'ls /app' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'run_shell_command-1700000000000-0', name: 'run_shell_command', response: { output: 'a.txt' } } }] },
    ],
    generationConfig: { temperature: 0, topP: 1, maxOutputTokens: 2048, thinkingConfig: { includeThoughts: true } },
  };

  it('turns the request into a Messages request: system, tool_use and its tool_result paired by one id, tools', () => {
    const internal = WIRE_APIS.gemini.decodeRequest(geminiCliRequest, { model: 'claude-sonnet-4-6', stream: true });
    expect(WIRE_APIS['anthropic-messages'].encodeRequest(internal)).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 2048,
      system: 'You are Gemini CLI.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in /app?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1_1', name: 'run_shell_command', input: { command: 'ls /app' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1_1', content: 'a.txt' }] },
      ],
      tools: [{ name: 'run_shell_command', description: 'Runs a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
      temperature: 0,
      top_p: 1,
      stream: true,
    });
  });

  it('turns an Anthropic error into Gemini’s error shape and status', () => {
    const error = WIRE_APIS['anthropic-messages'].decodeError(429, JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } }));
    expect(WIRE_APIS.gemini.encodeError(error)).toEqual({ status: 429, body: { error: { code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED' } } });
  });

  it('reads and writes the model and streaming in the path', () => {
    expect(parseGeminiPath('/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent')).toEqual({ model: 'gemini-3.1-pro-preview', stream: true });
    expect(parseGeminiPath('/v1beta/models/gemini-2.5-flash:generateContent')).toEqual({ model: 'gemini-2.5-flash', stream: false });
    expect(parseGeminiPath('/v1beta/models/gemini-2.5-flash:countTokens')).toBeNull();
    expect(geminiPath('gemini-2.5-flash', true)).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });
});
