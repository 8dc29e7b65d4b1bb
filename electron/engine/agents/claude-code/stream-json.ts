/**
 * Reads what `claude -p --output-format stream-json --verbose` prints, one JSON object per
 * line, into trajectory events: the session start (`system`/`init`), the assistant's text
 * and tool calls (`assistant`), tool results (`user` messages carrying `tool_result`
 * blocks) with a `file_change` after each successful file-writing one, and the final
 * `result` with the run's token usage and cost. A call of an MCP tool (`mcp__<server>__<tool>`)
 * names the server and the tool; a run's MCP server the session could not connect to is a
 * warning.
 */
import type { Usage } from '../../../../shared/trajectory';
import { usageFromAnthropic } from '../../wire/anthropic-usage';
import { EVENT_OUTPUT_LIMIT, truncateMiddle } from '../event-output';
import { isObject, parseJsonLine, type Json } from '../json-lines';
import type { EventLevel, EventPayload, EventType } from '../../../../shared/trajectory-events';
import { agentEvent } from '../agent-event';
import { fileChangeTracker } from '../file-change';
import type { AgentEvent } from '../types';
import { CLAUDE_CODE_FILE_TOOLS } from './file-tools';
import { mcpToolOf } from '../../mcp-client/tool-names';

const blocksOf = (message: unknown): Json[] =>
  isObject(message) && Array.isArray(message.content) ? message.content.filter(isObject) : [];

/** The `result` line: how the session ended. */
export interface ClaudeCodeResult {
  /** `success`, `error_max_turns`, `error_during_execution`… */
  subtype: string;
  isError: boolean;
  /** The final answer text. */
  text: string | null;
  turns: number;
  usage: Usage;
}

/** The text of a tool result's content (a string or text blocks). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((block) => (block.type === 'text' ? String(block.text) : `[${String(block.type)}]`))
    .join('\n');
}

/** The session's usage in the trajectory's shape, with its cost. */
const usageOf = (value: unknown, cost: unknown): Usage => ({
  ...usageFromAnthropic(isObject(value) ? value : {}),
  cost_usd: typeof cost === 'number' ? cost : null,
});

export interface StreamJsonReader {
  /** Reads one line of output. */
  line(text: string): void;
  /** The `result` line, once read. */
  result(): ClaudeCodeResult | null;
}

/** `mcpServers`: the names of the run's MCP servers (its tools' names start with `mcp__<server>__`). */
export function createStreamJsonReader(model: string, emit: (event: AgentEvent) => void, mcpServers: readonly string[] = []): StreamJsonReader {
  const event = <T extends EventType>(type: T, payload: EventPayload<T>, level?: EventLevel) => emit(agentEvent(type, payload, level));
  /** Tool names (and an MCP tool's server and own name) by call id, for the results that only name the id. */
  const toolNames = new Map<string, { name: string; server?: string; tool?: string }>();
  const fileChanges = fileChangeTracker(CLAUDE_CODE_FILE_TOOLS);
  let result: ClaudeCodeResult | null = null;

  const handlers: Record<string, (line: Json) => void> = {
    system(line) {
      if (line.subtype !== 'init') return;
      const tools = Array.isArray(line.tools) ? line.tools.length : 0;
      event('log', { message: `claude-code session started (model ${String(line.model ?? model)}, ${tools} tools)`, session_id: String(line.session_id) });
      const status = new Map((Array.isArray(line.mcp_servers) ? line.mcp_servers.filter(isObject) : []).map((s) => [String(s.name), String(s.status)]));
      for (const name of mcpServers) {
        if (status.get(name) !== 'connected') event('log', { message: `claude-code did not connect to the MCP server '${name}' (${status.get(name) ?? 'not listed'}): its tools are missing from this session` }, 'warning');
      }
    },
    assistant(line) {
      for (const block of blocksOf(line.message)) {
        if (block.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
          event('message', { role: 'assistant', text: block.text });
        } else if (block.type === 'tool_use') {
          const tool = { name: String(block.name), ...mcpToolOf(String(block.name), mcpServers, '__') };
          toolNames.set(String(block.id), tool);
          fileChanges.call(String(block.id), tool.name, block.input);
          event('tool_call', { id: String(block.id), ...tool, arguments: block.input });
        }
      }
    },
    user(line) {
      for (const block of blocksOf(line.message)) {
        if (block.type !== 'tool_result') continue;
        const id = String(block.tool_use_id);
        const ok = block.is_error !== true;
        const full = resultText(block.content);
        event('tool_result', { id, ...(toolNames.get(id) ?? { name: 'tool' }), ok, output: truncateMiddle(full, EVENT_OUTPUT_LIMIT) }, ok ? 'info' : 'warning');
        const change = fileChanges.result(id, ok, full);
        if (change) event('file_change', change);
      }
    },
    result(line) {
      const usage = usageOf(line.usage, line.total_cost_usd);
      result = {
        subtype: String(line.subtype),
        isError: line.is_error === true,
        text: typeof line.result === 'string' ? line.result : null,
        turns: typeof line.num_turns === 'number' ? line.num_turns : 0,
        usage,
      };
      const latency = typeof line.duration_api_ms === 'number' ? line.duration_api_ms : null;
      event('usage', { model, usage, latency_ms: latency, turns: result.turns, cost_usd: usage.cost_usd });
    },
  };

  return {
    line(text) {
      const parsed = parseJsonLine(text, (raw) => event('log', { message: raw }, 'warning'));
      if (parsed) handlers[String(parsed.type)]?.(parsed);
    },
    result: () => result,
  };
}
