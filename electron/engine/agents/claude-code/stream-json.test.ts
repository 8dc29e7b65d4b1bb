import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../types';
import { createStreamJsonReader } from './stream-json';

// Lines as `claude -p --output-format stream-json --verbose` (2.1.x) prints them, trimmed.
const LINES = [
  { type: 'system', subtype: 'init', cwd: '/app', session_id: 's1', tools: ['Bash', 'Read', 'Write'], model: 'claude-sonnet-4-6' },
  { type: 'assistant', message: { id: 'msg_0', role: 'assistant', content: [{ type: 'text', text: 'Setting up.' }, { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'echo hi', description: 'say hi' } }], usage: { input_tokens: 100, output_tokens: 1 } } },
  { type: 'user', message: { role: 'user', content: [{ tool_use_id: 'toolu_1', type: 'tool_result', content: 'hi', is_error: false }] } },
  { type: 'assistant', message: { id: 'msg_1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'Read', input: { file_path: '/nope' } }] } },
  { type: 'user', message: { role: 'user', content: [{ tool_use_id: 'toolu_2', type: 'tool_result', content: [{ type: 'text', text: 'File does not exist.' }], is_error: true }] } },
  { type: 'assistant', message: { id: 'msg_2', role: 'assistant', content: [{ type: 'text', text: 'All done.' }] } },
  { type: 'result', subtype: 'success', is_error: false, duration_api_ms: 93, num_turns: 3, result: 'All done.', total_cost_usd: 0.00975, usage: { input_tokens: 200, cache_creation_input_tokens: 30, cache_read_input_tokens: 70, output_tokens: 25 } },
].map((line) => JSON.stringify(line));

function read(lines: string[]) {
  const events: AgentEvent[] = [];
  const reader = createStreamJsonReader('claude-sonnet-4-6', (e) => events.push(e));
  for (const line of lines) reader.line(line);
  return { events, result: reader.result() };
}

describe('claude-code stream-json', () => {
  it('turns a session into messages, tool calls, tool results and the usage and cost it reports', () => {
    const { events, result } = read(LINES);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['log', 'info'],
      ['message', 'info'],
      ['tool_call', 'info'],
      ['tool_result', 'info'],
      ['tool_call', 'info'],
      ['tool_result', 'warning'],
      ['message', 'info'],
      ['usage', 'info'],
    ]);
    expect(events[0].payload).toMatchObject({ message: 'claude-code session started (model claude-sonnet-4-6, 3 tools)' });
    expect(events[2].payload).toEqual({ id: 'toolu_1', name: 'Bash', arguments: { command: 'echo hi', description: 'say hi' } });
    expect(events[3].payload).toEqual({ id: 'toolu_1', name: 'Bash', ok: true, output: 'hi' });
    expect(events[5].payload).toEqual({ id: 'toolu_2', name: 'Read', ok: false, output: 'File does not exist.' });
    const usage = { prompt_tokens: 300, completion_tokens: 25, total_tokens: 325, cost_usd: 0.00975 };
    expect(events[7].payload).toEqual({ model: 'claude-sonnet-4-6', usage, latency_ms: 93, turns: 3, cost_usd: 0.00975 });
    expect(result).toEqual({ subtype: 'success', isError: false, text: 'All done.', turns: 3, usage });
  });

  it('keeps a line that is not JSON as a warning, skips blank lines, and has no result until the result line', () => {
    const { events, result } = read(['', 'Warning: something odd', LINES[0]]);
    expect(events.map((e) => [e.type, e.level, e.type === 'log' && e.payload.message])).toEqual([
      ['log', 'warning', 'Warning: something odd'],
      ['log', 'info', 'claude-code session started (model claude-sonnet-4-6, 3 tools)'],
    ]);
    expect(result).toBeNull();
  });

  it('reports a session that hit the turn limit', () => {
    const { result } = read([JSON.stringify({ type: 'result', subtype: 'error_max_turns', is_error: true, num_turns: 5, usage: {} })]);
    expect(result).toMatchObject({ subtype: 'error_max_turns', isError: true, text: null, turns: 5, usage: { total_tokens: 0, cost_usd: null } });
  });
});
