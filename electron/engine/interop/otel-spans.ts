/**
 * A trajectory as OpenTelemetry GenAI spans (semantic conventions, Development status):
 * a run is an `invoke_agent {agent}` span (a workflow `invoke_workflow {task}`) whose
 * children are its model calls (`chat {model}`, CLIENT, timed back from their latency)
 * and its tool calls (`execute_tool {name}`, from the call to its result). A passthrough
 * call is one inference span. Message content (prompts, completions, system instructions,
 * tool definitions, tool arguments and results) is added only when asked for, as the store
 * holds it: redacted. Ids are derived from the trajectory's, so a trace sent twice is the
 * same trace.
 */
import { createHash } from 'node:crypto';
import type { ConversationEntry } from '../../../shared/conversation';
import type { Trajectory, TrajectoryEvent } from '../../../shared/trajectory';
import type { EventPayload } from '../../../shared/trajectory-events';
import type { Store } from '../store';
import { modelCallConversation } from '../trajectories/model-call-conversation';

/** One OTLP/JSON attribute value. */
export type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 INTERNAL, 3 CLIENT. */
  kind: 1 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status: { code: 0 | 1 | 2; message?: string };
}

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

function attributes(values: Record<string, string | number | boolean | null | undefined>): OtlpSpan['attributes'] {
  return Object.entries(values).flatMap(([key, v]): OtlpSpan['attributes'] => {
    if (v === null || v === undefined) return [];
    if (typeof v === 'string') return [{ key, value: { stringValue: v } }];
    if (typeof v === 'boolean') return [{ key, value: { boolValue: v } }];
    return [{ key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }];
  });
}

/** The convention's provider name for a Jetty provider prefix. */
const PROVIDERS: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'gcp.gemini', openrouter: 'openrouter', replicate: 'replicate' };
const providerName = (provider: string | undefined) => (provider ? (PROVIDERS[provider] ?? provider) : 'openai');

/** A prompt's entries as the convention's messages (`{role, parts}`). */
type GenAiMessage = { role: string; parts: Record<string, unknown>[] };
function messages(entries: ConversationEntry[]): GenAiMessage[] {
  return entries.flatMap((e): GenAiMessage[] => {
    switch (e.role) {
      case 'tools':
      case 'system':
        return [];
      case 'user':
        return [{ role: 'user', parts: e.content.map((p) => (p.type === 'text' ? { type: 'text', content: p.text } : { type: 'uri', modality: 'image', uri: p.source.kind === 'url' ? p.source.url : '(inline image)' })) }];
      case 'assistant':
        return [{ role: 'assistant', parts: [...(e.reasoning ? [{ type: 'reasoning', content: e.reasoning }] : []), ...(e.text ? [{ type: 'text', content: e.text }] : []), ...e.toolCalls.map((c) => ({ type: 'tool_call', id: c.id, name: c.name, arguments: c.arguments }))] }];
      case 'tool':
        return [{ role: 'tool', parts: [{ type: 'tool_call_response', id: e.toolCallId, response: e.content }] }];
    }
  });
}

/** The opt-in content attributes of a model call: its messages, instructions and tools. */
function contentOf(store: Store, t: Trajectory, payload: EventPayload<'model_call'>) {
  const call = modelCallConversation(store.conversations(), t.id, payload);
  if (!call.recorded) return {};
  const system = call.messages.flatMap((m) => (m.role === 'system' ? [{ type: 'text', content: m.text }] : []));
  return {
    'gen_ai.input.messages': JSON.stringify(messages(call.messages)),
    'gen_ai.output.messages': call.completion ? JSON.stringify(messages([call.completion]).map((m) => ({ ...m, finish_reason: 'stop' }))) : undefined,
    'gen_ai.system_instructions': system.length ? JSON.stringify(system) : undefined,
    'gen_ai.tool.definitions': call.tools.length ? JSON.stringify(call.tools.map((d) => ({ type: 'function', name: d.name, description: d.description, parameters: d.parameters }))) : undefined,
  };
}

/** The spans of a trajectory that has ended (its events read from the store, a page at a time). */
export function trajectorySpans(store: Store, id: string, options: { captureContent: boolean; maxEvents?: number }): OtlpSpan[] {
  const t = store.getTrajectory(id);
  if (!t) return [];
  const events: TrajectoryEvent[] = [];
  const limit = options.maxEvents ?? 20_000;
  for (let page = store.listEvents(id, { limit: 1000 }); page.length > 0 && events.length < limit; page = store.listEvents(id, { afterSeq: page.at(-1)!.seq, limit: 1000 })) events.push(...page);
  const traceId = hex(`jetty-trace:${t.id}`, 32);
  const spanId = (what: string) => hex(`jetty-span:${t.id}:${what}`, 16);
  const failed = t.status === 'failed' || t.status === 'cancelled';
  const calls = events.filter((e): e is Extract<TrajectoryEvent, { type: 'model_call' }> => e.type === 'model_call');
  const provider = providerName(calls[0]?.payload.provider);
  const inference = (e: Extract<TrajectoryEvent, { type: 'model_call' }>, parent: string | undefined): OtlpSpan => {
    const p = e.payload;
    const end = Date.parse(e.time);
    const error = p.error ?? (p.http_status && p.http_status >= 400 ? String(p.http_status) : null);
    return {
      traceId,
      spanId: parent ? spanId(`call:${e.seq}`) : spanId('root'),
      ...(parent ? { parentSpanId: parent } : {}),
      name: `chat ${p.model ?? 'unknown'}`,
      kind: 3,
      startTimeUnixNano: nanos(end - (p.latency_ms ?? 0)),
      endTimeUnixNano: nanos(end),
      attributes: attributes({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': providerName(p.provider),
        'gen_ai.request.model': p.model,
        'gen_ai.response.model': p.model,
        'gen_ai.request.stream': p.stream,
        'gen_ai.conversation.id': t.id,
        'gen_ai.usage.input_tokens': p.usage?.prompt_tokens,
        'gen_ai.usage.output_tokens': p.usage?.completion_tokens,
        'gen_ai.usage.cache_read.input_tokens': p.cached_input_tokens,
        'gen_ai.response.time_to_first_chunk': p.first_token_ms != null ? p.first_token_ms / 1000 : undefined,
        'jetty.cost_usd': p.cost_usd ?? undefined,
        'error.type': error ? (p.http_status ? String(p.http_status) : '_OTHER') : undefined,
        ...(options.captureContent ? contentOf(store, t, p) : {}),
      }),
      status: error ? { code: 2, message: error } : { code: 0 },
    };
  };
  if (t.kind === 'passthrough') return calls.slice(0, 1).map((e) => inference(e, undefined));

  const root = spanId('root');
  const start = Date.parse(t.started_at ?? t.created_at);
  const end = Date.parse(t.ended_at ?? events.at(-1)?.time ?? t.created_at);
  const name = t.kind === 'workflow' ? `invoke_workflow ${t.task}` : `invoke_agent ${t.agent ?? 'jetty'}`;
  const spans: OtlpSpan[] = [
    {
      traceId,
      spanId: root,
      name,
      kind: 1,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(Math.max(start, end)),
      attributes: attributes({
        'gen_ai.operation.name': t.kind === 'workflow' ? 'invoke_workflow' : 'invoke_agent',
        'gen_ai.provider.name': provider,
        ...(t.kind === 'workflow' ? { 'gen_ai.workflow.name': t.task } : { 'gen_ai.agent.name': t.agent ?? 'jetty', 'gen_ai.agent.id': t.id }),
        'gen_ai.request.model': t.model,
        'gen_ai.conversation.id': t.id,
        'gen_ai.usage.input_tokens': t.usage?.prompt_tokens,
        'gen_ai.usage.output_tokens': t.usage?.completion_tokens,
        'jetty.trajectory.id': t.id,
        'jetty.collection': t.collection,
        'jetty.task': t.task,
        'jetty.status': t.status,
        'error.type': failed ? (t.status === 'cancelled' ? 'cancelled' : '_OTHER') : undefined,
      }),
      status: failed ? { code: 2, message: t.error ?? t.status } : { code: 1 },
    },
  ];
  for (const e of calls) spans.push(inference(e, root));
  const results = new Map(events.flatMap((e) => (e.type === 'tool_result' ? [[e.payload.id, e] as const] : [])));
  for (const e of events) {
    if (e.type !== 'tool_call') continue;
    const result = results.get(e.payload.id);
    const at = Date.parse(e.time);
    spans.push({
      traceId,
      spanId: spanId(`tool:${e.seq}`),
      parentSpanId: root,
      name: `execute_tool ${e.payload.name}`,
      kind: 1,
      startTimeUnixNano: nanos(at),
      endTimeUnixNano: nanos(result ? Math.max(at, Date.parse(result.time)) : at),
      attributes: attributes({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': e.payload.name,
        'gen_ai.tool.call.id': e.payload.id,
        'gen_ai.tool.type': 'function',
        'error.type': result && !result.payload.ok ? 'tool_error' : undefined,
        ...(options.captureContent
          ? { 'gen_ai.tool.call.arguments': JSON.stringify(e.payload.arguments ?? null), 'gen_ai.tool.call.result': result?.payload.output }
          : {}),
      }),
      status: result && !result.payload.ok ? { code: 2, message: 'the tool reported an error' } : { code: 0 },
    });
  }
  return spans;
}
