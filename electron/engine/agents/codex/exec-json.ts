/**
 * Reads what `codex exec --json` prints, one JSON object per line (ThreadEvent in
 * codex-rs/exec/src/exec_events.rs), into trajectory events: the thread start, the
 * agent's messages and reasoning, each command execution, file change, MCP tool call, web
 * search and collab call as a `tool_call` (when it starts) and a `tool_result` (when it
 * completes, with output and exit code) and each changed file as a `file_change`, reasoning
 * as `reasoning`, to-do lists and non-fatal errors as logs, one `usage` report per
 * completed turn, and a failed turn or stream error.
 */
import type { Usage } from '../../../../shared/trajectory';
import { EVENT_OUTPUT_LIMIT, truncateMiddle } from '../event-output';
import { isObject, parseJsonLine, type Json } from '../json-lines';
import type { EventLevel, EventPayload, EventType } from '../../../../shared/trajectory-events';
import { agentEvent } from '../agent-event';
import type { AgentEvent } from '../types';
import { qualifiedToolName } from '../../mcp-client/tool-names';

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** How the session went, once the CLI has stopped printing. */
export interface CodexOutcome {
  /** The last agent message. */
  summary: string | null;
  usage: Usage;
  /** Completed turns. */
  turns: number;
  /** A failed turn's or the stream's error message, if any. */
  failure: string | null;
}

/** A tool-like item: its name, its arguments, and what its completion reports. */
interface ToolView {
  name: string;
  /** An MCP tool's server and own name. */
  mcp?: { server: string; tool: string };
  args: Json;
  result(item: Json): { ok: boolean; output: string; exit_code?: number | null };
  /** The files a completed item changed. */
  files?(item: Json): { path: string; kind: string }[];
}

const completedOk = (item: Json) => item.status === 'completed';
const changesOf = (item: Json) => (Array.isArray(item.changes) ? item.changes.filter(isObject) : []).map((c) => ({ path: text(c.path), kind: text(c.kind) }));

/** Item types that are a tool call and its result. */
const TOOL_ITEMS: Record<string, (item: Json) => ToolView> = {
  command_execution: (item) => ({
    name: 'command',
    args: { command: item.command },
    result: (done) => ({
      ok: completedOk(done) && done.exit_code === 0,
      output: text(done.aggregated_output),
      exit_code: typeof done.exit_code === 'number' ? done.exit_code : null,
    }),
  }),
  file_change: (item) => ({
    name: 'file_change',
    args: { changes: item.changes },
    result: (done) => ({ ok: completedOk(done), output: changesOf(done).map((c) => `${c.kind} ${c.path}`).join('\n') }),
    files: changesOf,
  }),
  mcp_tool_call: (item) => ({
    // Named as the other agents name an MCP tool, so runs of different agents compare.
    name: qualifiedToolName(text(item.server), text(item.tool)),
    mcp: { server: text(item.server), tool: text(item.tool) },
    args: isObject(item.arguments) ? item.arguments : { arguments: item.arguments },
    result: (done) => {
      const error = isObject(done.error) ? text(done.error.message) : '';
      const content = isObject(done.result) && Array.isArray(done.result.content) ? done.result.content : [];
      const output = error || content.map((c) => (isObject(c) && c.type === 'text' ? text(c.text) : JSON.stringify(c))).join('\n');
      return { ok: completedOk(done) && !error, output };
    },
  }),
  web_search: (item) => ({ name: 'web_search', args: { query: item.query }, result: (done) => ({ ok: true, output: text(done.query) }) }),
  collab_tool_call: (item) => ({
    name: text(item.tool) || 'collab_tool',
    args: { prompt: item.prompt, receivers: item.receiver_thread_ids },
    result: (done) => ({ ok: completedOk(done), output: JSON.stringify(done.agents_states ?? {}) }),
  }),
};

export interface ExecJsonReader {
  line(text: string): void;
  outcome(): CodexOutcome;
}

export function createExecJsonReader(model: string, emit: (event: AgentEvent) => void): ExecJsonReader {
  const event = <T extends EventType>(type: T, payload: EventPayload<T>, level?: EventLevel) => emit(agentEvent(type, payload, level));
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  /** Tool items whose `tool_call` was emitted, by item id. */
  const started = new Set<string>();
  let summary: string | null = null;
  let turns = 0;
  let failure: string | null = null;

  function toolItem(item: Json, view: ToolView, completed: boolean) {
    const id = text(item.id);
    if (!started.has(id)) {
      started.add(id);
      event('tool_call', { id, name: view.name, arguments: view.args, ...view.mcp });
    }
    if (!completed) return;
    const { output, ...rest } = view.result(item);
    event('tool_result', { id, name: view.name, ...view.mcp, ...rest, output: truncateMiddle(output, EVENT_OUTPUT_LIMIT) }, rest.ok ? 'info' : 'warning');
    if (rest.ok) for (const file of view.files?.(item) ?? []) event('file_change', { ...file, tool_call_id: id });
  }

  function completedItem(item: Json) {
    switch (item.type) {
      case 'agent_message':
        summary = text(item.text);
        return event('message', { role: 'assistant', text: summary });
      case 'reasoning':
        return event('reasoning', { text: text(item.text) });
      case 'plan':
        return event('message', { role: 'assistant', kind: 'plan', text: text(item.text) });
      case 'todo_list': {
        const items = Array.isArray(item.items) ? item.items.filter(isObject) : [];
        return event('log', { message: `to-do list:\n${items.map((t) => `[${t.completed === true ? 'x' : ' '}] ${text(t.text)}`).join('\n')}` });
      }
      case 'error':
        return event('log', { message: text(item.message) }, 'warning');
    }
  }

  function onItem(item: Json, completed: boolean) {
    const tool = TOOL_ITEMS[text(item.type)];
    if (tool) toolItem(item, tool(item), completed);
    else if (completed) completedItem(item);
  }

  const handlers: Record<string, (line: Json) => void> = {
    'thread.started': (line) => event('log', { message: `codex session started (model ${model})`, session_id: text(line.thread_id) }),
    'turn.completed': (line) => {
      turns++;
      const u = isObject(line.usage) ? line.usage : {};
      const turn = { prompt_tokens: count(u.input_tokens), completion_tokens: count(u.output_tokens) };
      usage.prompt_tokens += turn.prompt_tokens;
      usage.completion_tokens += turn.completion_tokens;
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      event('usage', {
        model,
        usage: { ...turn, total_tokens: turn.prompt_tokens + turn.completion_tokens },
        cached_input_tokens: count(u.cached_input_tokens),
        reasoning_output_tokens: count(u.reasoning_output_tokens),
      });
    },
    'turn.failed': (line) => {
      failure = isObject(line.error) ? text(line.error.message) : 'the turn failed';
      event('log', { message: failure }, 'error');
    },
    error: (line) => {
      failure = text(line.message);
      event('log', { message: failure }, 'error');
    },
    'item.started': (line) => isObject(line.item) && onItem(line.item, false),
    'item.updated': (line) => isObject(line.item) && onItem(line.item, false),
    'item.completed': (line) => isObject(line.item) && onItem(line.item, true),
  };

  return {
    line(raw) {
      const parsed = parseJsonLine(raw, (line) => event('log', { message: line }, 'warning'));
      if (parsed) handlers[text(parsed.type)]?.(parsed);
    },
    outcome: () => ({ summary, usage: { ...usage }, turns, failure }),
  };
}
