/**
 * Reads what `gemini -p … -o stream-json` prints, one JSON object per line (JsonStreamEvent
 * in packages/core/src/output/types.ts of google-gemini/gemini-cli), into trajectory
 * events: the session start (`init`), the assistant's text (streamed `message` deltas,
 * joined into one message), `tool_use` and `tool_result` (with a `file_change` after each
 * successful file-writing call), `error`s, and the final `result` with the session's token usage.
 * A call of an MCP tool (`mcp_<server>_<tool>`) names the server and the tool, and is named
 * `mcp__<server>__<tool>` as the other agents name it.
 */
import type { Usage } from '../../../../shared/trajectory';
import { EVENT_OUTPUT_LIMIT, truncateMiddle } from '../event-output';
import { isObject, parseJsonLine, type Json } from '../json-lines';
import type { EventLevel, EventPayload, EventType } from '../../../../shared/trajectory-events';
import { agentEvent } from '../agent-event';
import { fileChangeTracker } from '../file-change';
import type { AgentEvent } from '../types';
import { GEMINI_FILE_TOOLS } from './file-tools';
import { mcpToolOf, qualifiedToolName } from '../../mcp-client/tool-names';

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The `result` line: how the session ended. */
export interface GeminiResult {
  ok: boolean;
  /** The result's error message, when it failed. */
  error: string | null;
  usage: Usage;
}

export interface GeminiStreamReader {
  line(text: string): void;
  /** Ends a message still being streamed (call when the CLI has stopped printing). */
  end(): void;
  result(): GeminiResult | null;
  /** The last assistant message. */
  summary(): string | null;
  /** The last error event of severity `error`. */
  lastError(): string | null;
}

/** `mcpServers`: the names of the run's MCP servers (its tools' names start with `mcp_<server>_`). */
export function createGeminiStreamReader(model: string, emit: (event: AgentEvent) => void, mcpServers: readonly string[] = []): GeminiStreamReader {
  const event = <T extends EventType>(type: T, payload: EventPayload<T>, level?: EventLevel) => emit(agentEvent(type, payload, level));
  const toolNames = new Map<string, { name: string; server?: string; tool?: string }>();
  const fileChanges = fileChangeTracker(GEMINI_FILE_TOOLS);
  let streaming = '';
  let summary: string | null = null;
  let result: GeminiResult | null = null;
  let lastError: string | null = null;

  /** Emits the assistant text streamed so far as one message. */
  function flush() {
    if (!streaming.trim()) return;
    summary = streaming;
    streaming = '';
    event('message', { role: 'assistant', text: summary });
  }

  const handlers: Record<string, (line: Json) => void> = {
    init: (line) => event('log', { message: `gemini-cli session started (model ${text(line.model) || model})`, session_id: text(line.session_id) }),
    message: (line) => {
      if (line.role !== 'assistant') return;
      streaming += text(line.content);
      if (line.delta !== true) flush();
    },
    tool_use: (line) => {
      const id = text(line.tool_id);
      const mcp = mcpToolOf(text(line.tool_name), mcpServers, '_');
      const tool = mcp ? { name: qualifiedToolName(mcp.server, mcp.tool), ...mcp } : { name: text(line.tool_name) };
      toolNames.set(id, tool);
      fileChanges.call(id, text(line.tool_name), line.parameters);
      event('tool_call', { id, ...tool, arguments: line.parameters });
    },
    tool_result: (line) => {
      const id = text(line.tool_id);
      const ok = line.status === 'success';
      const output = text(line.output) || (isObject(line.error) ? text(line.error.message) : '');
      event('tool_result', { id, ...(toolNames.get(id) ?? { name: 'tool' }), ok, output: truncateMiddle(output, EVENT_OUTPUT_LIMIT) }, ok ? 'info' : 'warning');
      const change = fileChanges.result(id, ok, output);
      if (change) event('file_change', change);
    },
    error: (line) => {
      const severe = line.severity === 'error';
      if (severe) lastError = text(line.message);
      event('log', { message: text(line.message) }, severe ? 'error' : 'warning');
    },
    result: (line) => {
      const stats = isObject(line.stats) ? line.stats : {};
      const prompt = count(stats.input_tokens);
      const completion = count(stats.output_tokens);
      const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: count(stats.total_tokens) || prompt + completion };
      result = { ok: line.status === 'success', error: isObject(line.error) ? text(line.error.message) : null, usage };
      const latency = typeof stats.duration_ms === 'number' ? stats.duration_ms : null;
      event('usage', { model, usage, cached_input_tokens: count(stats.cached), latency_ms: latency, tool_calls: count(stats.tool_calls) });
    },
  };

  return {
    line(raw) {
      const parsed = parseJsonLine(raw, (line) => event('log', { message: line }, 'warning'));
      if (!parsed) return;
      if (parsed.type !== 'message') flush();
      handlers[text(parsed.type)]?.(parsed);
    },
    end: flush,
    result: () => result,
    summary: () => summary,
    lastError: () => lastError,
  };
}
