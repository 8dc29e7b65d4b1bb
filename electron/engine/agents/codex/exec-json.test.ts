import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../types';
import { createExecJsonReader } from './exec-json';

// Lines as `codex exec --json` (0.171) prints them, trimmed; item types from exec_events.rs.
const LINES = [
  { type: 'thread.started', thread_id: 't-1' },
  { type: 'item.completed', item: { id: 'item_0', type: 'error', message: 'Model metadata for `gpt-5.4` not found.' } },
  { type: 'turn.started' },
  { type: 'item.completed', item: { id: 'item_1', type: 'reasoning', text: 'Look at the folder first.' } },
  { type: 'item.started', item: { id: 'item_2', type: 'command_execution', command: "/bin/bash -lc 'ls'", aggregated_output: '', exit_code: null, status: 'in_progress' } },
  { type: 'item.completed', item: { id: 'item_2', type: 'command_execution', command: "/bin/bash -lc 'ls'", aggregated_output: 'assets\nresults\n', exit_code: 0, status: 'completed' } },
  { type: 'item.started', item: { id: 'item_3', type: 'command_execution', command: 'false', aggregated_output: '', exit_code: null, status: 'in_progress' } },
  { type: 'item.completed', item: { id: 'item_3', type: 'command_execution', command: 'false', aggregated_output: '', exit_code: 1, status: 'failed' } },
  { type: 'item.completed', item: { id: 'item_4', type: 'file_change', changes: [{ path: '/app/results/summary.md', kind: 'add' }, { path: '/app/a.txt', kind: 'update' }], status: 'completed' } },
  { type: 'item.started', item: { id: 'item_5', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { q: 'x' }, result: null, error: null, status: 'in_progress' } },
  { type: 'item.completed', item: { id: 'item_5', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { q: 'x' }, result: { content: [{ type: 'text', text: 'found' }], structured_content: null }, error: null, status: 'completed' } },
  { type: 'item.updated', item: { id: 'item_6', type: 'todo_list', items: [{ text: 'write', completed: false }] } },
  { type: 'item.completed', item: { id: 'item_6', type: 'todo_list', items: [{ text: 'write', completed: true }, { text: 'check', completed: false }] } },
  { type: 'item.completed', item: { id: 'item_7', type: 'agent_message', text: 'All done.' } },
  { type: 'turn.completed', usage: { input_tokens: 5000, cached_input_tokens: 4000, output_tokens: 120, reasoning_output_tokens: 30 } },
].map((line) => JSON.stringify(line));

function read(lines: string[]) {
  const events: AgentEvent[] = [];
  const reader = createExecJsonReader('gpt-5.4', (e) => events.push(e));
  for (const line of lines) reader.line(line);
  return { events, outcome: reader.outcome() };
}

describe('codex exec --json', () => {
  it('turns a session into messages, reasoning, commands with output and exit code, file changes, tool calls and usage', () => {
    const { events, outcome } = read(LINES);
    const named = (e: AgentEvent) => (e.type === 'tool_call' || e.type === 'tool_result' ? e.payload.name : e.type === 'file_change' ? e.payload.path : null);
    expect(events.map((e) => [e.type, e.level, named(e)])).toEqual([
      ['log', 'info', null],
      ['log', 'warning', null],
      ['reasoning', 'info', null],
      ['tool_call', 'info', 'command'],
      ['tool_result', 'info', 'command'],
      ['tool_call', 'info', 'command'],
      ['tool_result', 'warning', 'command'],
      ['tool_call', 'info', 'file_change'],
      ['tool_result', 'info', 'file_change'],
      ['file_change', 'info', '/app/results/summary.md'],
      ['file_change', 'info', '/app/a.txt'],
      ['tool_call', 'info', 'mcp__docs__search'],
      ['tool_result', 'info', 'mcp__docs__search'],
      ['log', 'info', null],
      ['message', 'info', null],
      ['usage', 'info', null],
    ]);
    expect(events[0].payload).toEqual({ message: 'codex session started (model gpt-5.4)', session_id: 't-1' });
    expect(events[3].payload).toEqual({ id: 'item_2', name: 'command', arguments: { command: "/bin/bash -lc 'ls'" } });
    expect(events[4].payload).toEqual({ id: 'item_2', name: 'command', ok: true, exit_code: 0, output: 'assets\nresults\n' });
    expect(events[6].payload).toMatchObject({ ok: false, exit_code: 1 });
    expect(events[8].payload).toEqual({ id: 'item_4', name: 'file_change', ok: true, output: 'add /app/results/summary.md\nupdate /app/a.txt' });
    expect(events[9].payload).toEqual({ path: '/app/results/summary.md', kind: 'add', tool_call_id: 'item_4' });
    // An MCP call names its server and tool, as every agent's does.
    expect(events[11].payload).toEqual({ id: 'item_5', name: 'mcp__docs__search', server: 'docs', tool: 'search', arguments: { q: 'x' } });
    expect(events[12].payload).toEqual({ id: 'item_5', name: 'mcp__docs__search', server: 'docs', tool: 'search', ok: true, output: 'found' });
    expect(events[13].payload).toMatchObject({ message: 'to-do list:\n[x] write\n[ ] check' });
    expect(events[15].payload).toEqual({
      model: 'gpt-5.4',
      usage: { prompt_tokens: 5000, completion_tokens: 120, total_tokens: 5120 },
      cached_input_tokens: 4000,
      reasoning_output_tokens: 30,
    });
    expect(outcome).toEqual({ summary: 'All done.', usage: { prompt_tokens: 5000, completion_tokens: 120, total_tokens: 5120 }, turns: 1, failure: null });
  });

  it("keeps a failed turn's message as the failure, and a line that is not JSON as a warning", () => {
    const { events, outcome } = read([
      'WARNING: something odd',
      JSON.stringify({ type: 'error', message: 'Reconnecting... 1/5' }),
      JSON.stringify({ type: 'turn.failed', error: { message: 'unexpected status 401 Unauthorized: Incorrect API key provided.' } }),
    ]);
    expect(events.map((e) => [e.type, e.level, e.type === 'log' && e.payload.message])).toEqual([
      ['log', 'warning', 'WARNING: something odd'],
      ['log', 'error', 'Reconnecting... 1/5'],
      ['log', 'error', 'unexpected status 401 Unauthorized: Incorrect API key provided.'],
    ]);
    expect(outcome).toMatchObject({ failure: 'unexpected status 401 Unauthorized: Incorrect API key provided.', turns: 0, summary: null });
  });
});
