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

  it('follows each successful Write, Edit, MultiEdit and NotebookEdit with the file it changed, after its result', () => {
    const use = (id: string, name: string, input: object) => JSON.stringify({ type: 'assistant', message: { role: 'assistant', content: [{ type: 'tool_use', id, name, input }] } });
    const result = (id: string, content: string, isError = false) =>
      JSON.stringify({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, is_error: isError }] } });
    const { events } = read([
      use('w1', 'Write', { file_path: '/app/results/summary.md', content: '# Summary\n\nok\n' }),
      result('w1', 'File created successfully at: /app/results/summary.md'),
      use('w2', 'Write', { file_path: '/app/notes.txt', content: 'new\n' }),
      result('w2', 'The file /app/notes.txt has been updated successfully.'),
      use('e1', 'Edit', { file_path: '/app/a.py', old_string: 'x = 1', new_string: 'x = 2' }),
      result('e1', "The file /app/a.py has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n     1\tx = 2"),
      use('e2', 'Edit', { file_path: '/app/b.py', old_string: 'missing', new_string: 'y' }),
      result('e2', '<tool_use_error>String to replace not found in file.</tool_use_error>', true),
      use('m1', 'MultiEdit', { file_path: '/app/c.py', edits: [{ old_string: 'a\nb', new_string: 'a\nB' }, { old_string: 'z', new_string: '' }] }),
      result('m1', 'Applied 2 edits to /app/c.py'),
      use('n1', 'NotebookEdit', { notebook_path: '/app/n.ipynb', cell_id: 'c1', new_source: 'print(1)' }),
      result('n1', 'Updated cell c1 with print(1)'),
      use('r1', 'Read', { file_path: '/app/a.py' }),
      result('r1', '     1\tx = 2'),
    ]);
    expect(events.map((e) => (e.type === 'tool_call' || e.type === 'tool_result' ? `${e.type}:${e.payload.id}` : e.type))).toEqual([
      'tool_call:w1', 'tool_result:w1', 'file_change',
      'tool_call:w2', 'tool_result:w2', 'file_change',
      'tool_call:e1', 'tool_result:e1', 'file_change',
      'tool_call:e2', 'tool_result:e2',
      'tool_call:m1', 'tool_result:m1', 'file_change',
      'tool_call:n1', 'tool_result:n1', 'file_change',
      'tool_call:r1', 'tool_result:r1',
    ]);
    expect(events.filter((e) => e.type === 'file_change').map((e) => e.payload)).toEqual([
      { path: '/app/results/summary.md', kind: 'add', tool_call_id: 'w1', diff: '--- /app/results/summary.md\n+++ /app/results/summary.md\n@@ -0,0 +1,3 @@\n+# Summary\n+\n+ok' },
      { path: '/app/notes.txt', kind: 'update', tool_call_id: 'w2' },
      { path: '/app/a.py', kind: 'update', tool_call_id: 'e1', diff: '--- /app/a.py\n+++ /app/a.py\n@@ -1,1 +1,1 @@\n-x = 1\n+x = 2' },
      { path: '/app/c.py', kind: 'update', tool_call_id: 'm1', diff: '--- /app/c.py\n+++ /app/c.py\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -1,1 +0,0 @@\n-z' },
      { path: '/app/n.ipynb', kind: 'update', tool_call_id: 'n1' },
    ]);
  });

  it("names an MCP tool's server and own name, and warns of a run's server the session did not connect to", () => {
    const events: AgentEvent[] = [];
    const reader = createStreamJsonReader('claude-sonnet-4-6', (e) => events.push(e), ['docs', 'docs-v2', 'gh']);
    for (const line of [
      { type: 'system', subtype: 'init', session_id: 's1', tools: ['mcp__docs__search'], mcp_servers: [{ name: 'docs', status: 'connected' }, { name: 'docs-v2', status: 'failed' }] },
      { type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'mcp__docs-v2__search', input: { q: 'x' } }] } },
      { type: 'user', message: { content: [{ tool_use_id: 't1', type: 'tool_result', content: [{ type: 'text', text: '3 hits' }] }] } },
    ]) reader.line(JSON.stringify(line));
    expect(events.map((e) => [e.type, e.level, e.payload])).toEqual([
      ['log', 'info', { message: 'claude-code session started (model claude-sonnet-4-6, 1 tools)', session_id: 's1' }],
      ['log', 'warning', { message: "claude-code did not connect to the MCP server 'docs-v2' (failed): its tools are missing from this session" }],
      ['log', 'warning', { message: "claude-code did not connect to the MCP server 'gh' (not listed): its tools are missing from this session" }],
      ['tool_call', 'info', { id: 't1', name: 'mcp__docs-v2__search', server: 'docs-v2', tool: 'search', arguments: { q: 'x' } }],
      ['tool_result', 'info', { id: 't1', name: 'mcp__docs-v2__search', server: 'docs-v2', tool: 'search', ok: true, output: '3 hits' }],
    ]);
  });
});
