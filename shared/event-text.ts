/** The text of an event, one function per use, shared by the CLI, chat mode and the renderer. */
import { evaluationLine } from './evaluation';
import type { EventPayload, TypedEvent } from './trajectory-events';

const SUMMARY_CHARS = 240;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
/** `s` on one line, clipped to `max` characters. */
const oneLine = (s: string, max = SUMMARY_CHARS): string => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** A tool's name in a log line: an MCP tool as `mcp <server>/<tool>`, else the agent's name for it. */
export const toolLabel = (p: Pick<EventPayload<'tool_call'>, 'name' | 'server' | 'tool'>): string => (p.server ? `mcp ${p.server}/${p.tool ?? p.name}` : p.name);

/** What a tool call did, briefly: a bash command, a file path, or the arguments. */
function toolCallSummary(payload: EventPayload<'tool_call'>): string {
  const { arguments: args } = payload;
  const name = toolLabel(payload);
  if (args && typeof args === 'object') {
    const a = args as Record<string, unknown>;
    const main = a.command ?? a.path ?? a.file_path ?? a.summary ?? a.url;
    if (main !== undefined) return `${name} ${oneLine(str(main))}`;
  }
  return `${name} ${oneLine(str(args))}`;
}

const tokens = (usage: EventPayload<'usage'>['usage']) => `${usage?.total_tokens ?? 0} tokens`;
const money = (usd: number | null | undefined) => (typeof usd === 'number' ? ` · $${usd.toFixed(4)}` : '');
const ms = (value: number | null | undefined) => (typeof value === 'number' ? ` · ${value} ms` : '');

/** Which try a retry was: "2 of 5", or "2" when the number of tries is unknown. */
export const retryTry = (p: EventPayload<'retry'>): string => (p.max_attempts === undefined ? String(p.attempt) : `${p.attempt} of ${p.max_attempts}`);

function modelCallSummary(p: EventPayload<'model_call'>): string {
  const cached = p.cached_input_tokens ? ` (${p.cached_input_tokens} cached)` : '';
  return `${p.model ?? 'unknown model'} · ${tokens(p.usage)}${cached}${ms(p.latency_ms)}${money(p.cost_usd)}${p.error ? ` — ${p.error}` : ''}`;
}

function evaluationSummary(p: EventPayload<'evaluation'>): string {
  // A note alone ("no validation_report.json") carries no verdict.
  if ([p.overall_passed, p.pass, p.partial, p.fail, p.missing_outputs].every((v) => v === undefined)) return p.message ?? '';
  return evaluationLine({ overall_passed: p.overall_passed ?? null, pass: p.pass ?? 0, partial: p.partial ?? 0, fail: p.fail ?? 0, missing_outputs: p.missing_outputs });
}

/**
 * The one line an event shows in a log, a timeline or a progress stream. Command output is
 * the exception: it keeps its lines and ANSI codes (only a final newline goes).
 */
export function eventSummary(event: TypedEvent & { step: string | null }): string {
  switch (event.type) {
    case 'command_output':
      return event.payload.text.replace(/\n$/, '');
    case 'message':
      return `${event.payload.kind === 'plan' ? 'plan: ' : ''}${oneLine(event.payload.text)}`;
    case 'reasoning':
      return oneLine(event.payload.text);
    case 'tool_call':
      return toolCallSummary(event.payload);
    case 'tool_result': {
      const p = event.payload;
      const exit = p.exit_code !== undefined && p.exit_code !== null ? ` (exit ${p.exit_code})` : '';
      return `${toolLabel(p)} ${p.ok ? 'ok' : 'failed'}${exit}: ${oneLine(p.output)}`;
    }
    case 'file_change':
      return `${event.payload.kind} ${event.payload.path}`;
    case 'model_call':
      return modelCallSummary(event.payload);
    case 'usage':
      return `${event.payload.model} · ${tokens(event.payload.usage)} (the agent's count)${ms(event.payload.latency_ms)}${money(event.payload.cost_usd ?? event.payload.usage?.cost_usd)}`;
    case 'status': {
      const p = event.payload;
      const why = p.message ?? p.error;
      return `${event.step ? `${event.step}: ` : 'run: '}${p.status}${why ? ` — ${why}` : ''}`;
    }
    case 'log':
    case 'progress':
      return oneLine(event.payload.message);
    case 'retry': {
      const p = event.payload;
      return oneLine(`${p.what} failed (try ${retryTry(p)}), retrying in ${p.delay_ms} ms: ${p.error}`);
    }
    case 'resume': {
      const p = event.payload;
      return `resumed at ${p.resumed_at ?? 'the end'} (${p.completed_steps.length} step(s) already done)`;
    }
    case 'artifact':
      return `${event.payload.path} (${event.payload.media_type}, ${event.payload.size} bytes)`;
    case 'evaluation':
      return evaluationSummary(event.payload);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The full content of an event, for an expanded row or a chat stream: its text, or its payload as JSON. */
export function eventDetail(event: TypedEvent): string {
  switch (event.type) {
    case 'command_output':
    case 'message':
    case 'reasoning':
      return event.payload.text;
    case 'tool_result':
      return event.payload.output;
    default:
      return JSON.stringify(event.payload, null, 2);
  }
}

/** Which tool call an event belongs to (its outputs and result point back at it). */
export function toolCallIdOf(event: TypedEvent): string | null {
  switch (event.type) {
    case 'tool_call':
    case 'tool_result':
      return event.payload.id;
    case 'command_output':
    case 'file_change':
      return event.payload.tool_call_id ?? null;
    default:
      return null;
  }
}
