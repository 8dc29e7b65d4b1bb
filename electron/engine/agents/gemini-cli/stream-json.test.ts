import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../types';
import { createGeminiStreamReader } from './stream-json';

// Lines as `gemini -p … -o stream-json` (0.61) prints them, trimmed.
const T = '2026-01-01T00:00:00.000Z';
const LINES = [
  { type: 'init', timestamp: T, session_id: 's-1', model: 'gemini-3.1-pro-preview' },
  { type: 'message', timestamp: T, role: 'user', content: 'Execute the runbook' },
  { type: 'message', timestamp: T, role: 'assistant', content: 'Setting ', delta: true },
  { type: 'message', timestamp: T, role: 'assistant', content: 'up.', delta: true },
  { type: 'tool_use', timestamp: T, tool_name: 'run_shell_command', tool_id: 'run_shell_command__1', parameters: { command: 'ls /app' } },
  { type: 'tool_result', timestamp: T, tool_id: 'run_shell_command__1', status: 'success', output: 'assets\nresults' },
  { type: 'tool_use', timestamp: T, tool_name: 'read_file', tool_id: 'read_file__2', parameters: { file_path: '/nope' } },
  { type: 'tool_result', timestamp: T, tool_id: 'read_file__2', status: 'error', error: { type: 'file_not_found', message: 'File not found: /nope' } },
  { type: 'error', timestamp: T, severity: 'warning', message: 'Loop detected, stopping' },
  { type: 'message', timestamp: T, role: 'assistant', content: 'All ', delta: true },
  { type: 'message', timestamp: T, role: 'assistant', content: 'done.', delta: true },
  { type: 'result', timestamp: T, status: 'success', stats: { total_tokens: 3200, input_tokens: 3000, output_tokens: 200, cached: 1000, input: 2000, duration_ms: 877, tool_calls: 2 } },
].map((line) => JSON.stringify(line));

function read(lines: string[]) {
  const events: AgentEvent[] = [];
  const reader = createGeminiStreamReader('gemini-3.1-pro-preview', (e) => events.push(e));
  for (const line of lines) reader.line(line);
  reader.end();
  return { events, reader };
}

describe('gemini-cli stream-json', () => {
  it('joins streamed text into messages and records tool calls, results, warnings and the usage', () => {
    const { events, reader } = read(LINES);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['log', 'info'],
      ['message', 'info'],
      ['tool_call', 'info'],
      ['tool_result', 'info'],
      ['tool_call', 'info'],
      ['tool_result', 'warning'],
      ['log', 'warning'],
      ['message', 'info'],
      ['usage', 'info'],
    ]);
    expect(events[0].payload).toEqual({ message: 'gemini-cli session started (model gemini-3.1-pro-preview)', session_id: 's-1' });
    expect(events[1].payload).toEqual({ role: 'assistant', text: 'Setting up.' });
    expect(events[2].payload).toEqual({ id: 'run_shell_command__1', name: 'run_shell_command', arguments: { command: 'ls /app' } });
    expect(events[3].payload).toEqual({ id: 'run_shell_command__1', name: 'run_shell_command', ok: true, output: 'assets\nresults' });
    expect(events[5].payload).toEqual({ id: 'read_file__2', name: 'read_file', ok: false, output: 'File not found: /nope' });
    expect(events[7].payload).toMatchObject({ text: 'All done.' });
    const usage = { prompt_tokens: 3000, completion_tokens: 200, total_tokens: 3200 };
    expect(events[8].payload).toEqual({ model: 'gemini-3.1-pro-preview', usage, cached_input_tokens: 1000, latency_ms: 877, tool_calls: 2 });
    expect(reader.result()).toEqual({ ok: true, error: null, usage });
    expect(reader.summary()).toBe('All done.');
    expect(reader.lastError()).toBeNull();
  });

  it('reports a failed session with its error, and keeps text still streaming when the output stops', () => {
    const { events, reader } = read([
      'Warning: 256-color support not detected.',
      JSON.stringify({ type: 'message', timestamp: T, role: 'assistant', content: 'Half a', delta: true }),
      JSON.stringify({ type: 'error', timestamp: T, severity: 'error', message: '[API Error: API key not valid.]' }),
      JSON.stringify({ type: 'result', timestamp: T, status: 'error', error: { type: 'FatalAuthenticationError', message: 'API key not valid.' }, stats: {} }),
      JSON.stringify({ type: 'message', timestamp: T, role: 'assistant', content: ' thought', delta: true }),
    ]);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['log', 'warning'],
      ['message', 'info'],
      ['log', 'error'],
      ['usage', 'info'],
      ['message', 'info'],
    ]);
    expect(reader.result()).toMatchObject({ ok: false, error: 'API key not valid.', usage: { total_tokens: 0 } });
    expect(reader.lastError()).toBe('[API Error: API key not valid.]');
    expect(reader.summary()).toBe(' thought');
  });

  it('follows each successful write_file and replace with the file it changed, after its result', () => {
    const use = (id: string, tool_name: string, parameters: object) => JSON.stringify({ type: 'tool_use', timestamp: T, tool_name, tool_id: id, parameters });
    const result = (id: string, status = 'success') =>
      JSON.stringify({ type: 'tool_result', timestamp: T, tool_id: id, status, ...(status === 'error' && { error: { type: 'edit_no_occurrence_found', message: 'Failed to edit' } }) });
    const { events } = read([
      use('write_file__1', 'write_file', { file_path: '/app/results/summary.md', content: '# Summary\n' }),
      result('write_file__1'),
      use('replace__2', 'replace', { file_path: '/app/a.py', old_string: 'x = 1\ny = 2\n', new_string: 'x = 1\ny = 3\n', instruction: 'bump y' }),
      result('replace__2'),
      use('replace__3', 'replace', { file_path: '/app/new.py', old_string: '', new_string: 'print(1)' }),
      result('replace__3'),
      use('replace__4', 'replace', { file_path: '/app/a.py', old_string: 'nope', new_string: 'y' }),
      result('replace__4', 'error'),
      use('read_file__5', 'read_file', { file_path: '/app/a.py' }),
      result('read_file__5'),
    ]);
    expect(events.map((e) => (e.type === 'tool_call' || e.type === 'tool_result' ? `${e.type}:${e.payload.id}` : e.type))).toEqual([
      'tool_call:write_file__1', 'tool_result:write_file__1', 'file_change',
      'tool_call:replace__2', 'tool_result:replace__2', 'file_change',
      'tool_call:replace__3', 'tool_result:replace__3', 'file_change',
      'tool_call:replace__4', 'tool_result:replace__4',
      'tool_call:read_file__5', 'tool_result:read_file__5',
    ]);
    expect(events.filter((e) => e.type === 'file_change').map((e) => e.payload)).toEqual([
      { path: '/app/results/summary.md', kind: 'write', tool_call_id: 'write_file__1' },
      { path: '/app/a.py', kind: 'update', tool_call_id: 'replace__2', diff: '--- /app/a.py\n+++ /app/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3' },
      { path: '/app/new.py', kind: 'add', tool_call_id: 'replace__3', diff: '--- /app/new.py\n+++ /app/new.py\n@@ -0,0 +1,1 @@\n+print(1)' },
    ]);
  });

  it("names an MCP tool (mcp_<server>_<tool>) as the other agents do, with its server and own name", () => {
    const events: AgentEvent[] = [];
    const reader = createGeminiStreamReader('gemini-3.1-pro-preview', (e) => events.push(e), ['probe']);
    for (const line of [
      { type: 'tool_use', timestamp: T, tool_name: 'mcp_probe_echo_text', tool_id: 'mcp_probe_echo_text__1', parameters: { text: 'hi' } },
      { type: 'tool_result', timestamp: T, tool_id: 'mcp_probe_echo_text__1', status: 'success', output: 'echo: hi' },
    ]) reader.line(JSON.stringify(line));
    expect(events.map((e) => e.payload)).toEqual([
      { id: 'mcp_probe_echo_text__1', name: 'mcp__probe__echo_text', server: 'probe', tool: 'echo_text', arguments: { text: 'hi' } },
      { id: 'mcp_probe_echo_text__1', name: 'mcp__probe__echo_text', server: 'probe', tool: 'echo_text', ok: true, output: 'echo: hi' },
    ]);
  });
});
