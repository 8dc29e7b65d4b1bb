/**
 * The built-in agent's loop: ask the model (with bounded retries), run the tool calls it
 * makes in the sandbox, feed the results back, until it calls `finish`, answers without
 * tool calls, runs out of turns, fails, or is cancelled.
 *
 * Events: one `message` per assistant turn with its full text (streamed deltas are not
 * emitted one by one: a retried request then never leaves half a message behind), a
 * `tool_call` and a `tool_result` per call (a `file_change` after each file it wrote, with the
 * diff), `command_output` chunks while bash runs, one
 * `usage` report per completed request (the gateway records the call itself as a
 * `model_call`), and a `retry` per retried request.
 */
import { addUsage } from '../../../../shared/usage';
import OpenAI, { APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Usage } from '../../../../shared/trajectory';
import type { EventLevel, EventPayload, EventType } from '../../../../shared/trajectory-events';
import { agentEvent } from '../agent-event';
import type { AgentResult, AgentRunInput } from '../types';
import { trimContext } from './context-trim';
import { requestTurn } from './model-turn';
import { describeError, RetriesExhaustedError, withRetry, type RetryNotice, type RetryPolicy } from './retry';
import type { AssistantTurn } from './stream-assembler';
import { systemPrompt } from './system-prompt';
import { EVENT_OUTPUT_LIMIT, truncateMiddle } from '../event-output';
import { executeToolCall, parseArguments, TOOL_DEFINITIONS } from './tools';
import { callMcpTool, mcpToolSet, type McpToolSet } from './mcp-tools';

export interface LoopSettings {
  stream: boolean;
  maxTurns: number;
  retry: RetryPolicy;
  idleTimeoutMs: number;
  contextBudgetChars: number;
  commandTimeoutMs: number;
  toolOutputLimitChars: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createClient(input: Pick<AgentRunInput, 'apiKey' | 'baseURL'>): OpenAI {
  if (!input.apiKey && !input.baseURL) {
    throw new Error(
      'The built-in agent has no model endpoint: set an OpenAI API key (settings or OPENAI_API_KEY) or the base URL of an OpenAI-compatible server (settings or OPENAI_BASE_URL).',
    );
  }
  // A local OpenAI-compatible server may need no key; the SDK insists on one, so send a placeholder.
  return new OpenAI({ baseURL: input.baseURL ?? DEFAULT_BASE_URL, apiKey: input.apiKey ?? 'no-key', maxRetries: 0 });
}

function assistantMessage(turn: AssistantTurn): ChatCompletionMessageParam {
  return {
    role: 'assistant',
    content: turn.content,
    ...(turn.toolCalls.length > 0 && {
      tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
    }),
  };
}

type Emit = <T extends EventType>(type: T, payload: EventPayload<T>, level?: EventLevel) => void;

/** One completion with bounded retries: a `retry` event per retry, a `usage` report for the success. */
async function askModel(client: OpenAI, messages: ChatCompletionMessageParam[], input: AgentRunInput, settings: LoopSettings, emit: Emit, mcp: McpToolSet): Promise<AssistantTurn> {
  const request = { model: input.model, messages: trimContext(messages, settings.contextBudgetChars), tools: [...TOOL_DEFINITIONS, ...mcp.definitions] };
  const options = { stream: settings.stream, signal: input.signal, idleTimeoutMs: settings.idleTimeoutMs };
  let started = 0;
  const tryOnce = () => {
    started = Date.now();
    return requestTurn(client, request, options);
  };
  const onRetry = ({ attempt, delayMs, error }: RetryNotice) =>
    emit('retry', { what: 'model request', attempt, max_attempts: settings.retry.maxAttempts, delay_ms: delayMs, error: describeError(error) }, 'warning');
  const { value, attempt } = await withRetry(tryOnce, settings.retry, input.signal, onRetry);
  emit('usage', { model: input.model, usage: value.usage, latency_ms: Date.now() - started, attempt, finish_reason: value.finishReason });
  return value;
}

export async function runAgentLoop(input: AgentRunInput, settings: LoopSettings): Promise<AgentResult> {
  if (!input.model) throw new Error('The built-in agent needs a model name.');
  const client = createClient(input);
  const emit: Emit = (type, payload, level) => input.emit(agentEvent(type, payload, level));
  // The run's MCP servers' tools, beside the agent's own.
  const mcp = mcpToolSet(input.mcp?.sessions ?? []);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt(input.runbook) },
    { role: 'user', content: input.task },
  ];
  let usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let turns = 0;
  const result = (status: AgentResult['status'], extra: Partial<AgentResult> = {}): AgentResult => ({ status, summary: null, usage, turns, ...extra });

  while (turns < settings.maxTurns) {
    if (input.signal.aborted) return result('cancelled');
    let turn: AssistantTurn;
    try {
      turn = await askModel(client, messages, input, settings, emit, mcp);
    } catch (err) {
      if (input.signal.aborted || err instanceof APIUserAbortError) return result('cancelled');
      const message = err instanceof RetriesExhaustedError ? err.message : `model request failed: ${describeError(err)}`;
      emit('log', { message }, 'error');
      return result('error', { error: message });
    }
    turns++;
    if (turn.usage) usage = addUsage(usage, turn.usage);
    messages.push(assistantMessage(turn));
    if (turn.content) emit('message', { role: 'assistant', text: turn.content });
    if (turn.toolCalls.length === 0) return result('finished', { summary: turn.content });

    let summary: string | undefined;
    for (const call of turn.toolCalls) {
      if (input.signal.aborted) return result('cancelled');
      const parsed = parseArguments(call.arguments);
      const viaMcp = mcp.find(call.name);
      // A call through MCP names its server and the tool's own name there.
      const where = viaMcp ? { server: viaMcp.server, tool: viaMcp.tool } : {};
      emit('tool_call', { id: call.id, name: call.name, arguments: parsed.ok ? parsed.value : call.arguments, ...where });
      const outcome = viaMcp
        ? await callMcpTool(viaMcp, call.arguments, { signal: input.signal, outputLimitChars: settings.toolOutputLimitChars })
        : await executeToolCall(call, {
            host: input.host,
            env: input.env,
            signal: input.signal,
            commandTimeoutMs: settings.commandTimeoutMs,
            outputLimitChars: settings.toolOutputLimitChars,
            onOutput: (stream, text) => emit('command_output', { tool_call_id: call.id, stream, text }),
          });
      emit('tool_result', { id: call.id, name: call.name, ok: outcome.ok, output: truncateMiddle(outcome.output, EVENT_OUTPUT_LIMIT), ...where }, outcome.ok ? 'info' : 'warning');
      if ('fileChange' in outcome && outcome.fileChange) emit('file_change', { ...outcome.fileChange, tool_call_id: call.id });
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.output });
      summary ??= outcome.finishSummary;
    }
    if (input.signal.aborted) return result('cancelled');
    if (summary !== undefined) return result('finished', { summary });
  }
  return result('max_turns');
}
