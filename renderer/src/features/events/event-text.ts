import type { TrajectoryEvent } from '../../../../shared/trajectory';

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const oneLine = (s: string, max = 240) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** What a tool call did, briefly: a bash command, a file path, or the arguments. */
function toolCallSummary(payload: Record<string, unknown>): string {
  const args = payload.arguments;
  if (args && typeof args === 'object') {
    const a = args as Record<string, unknown>;
    const main = a.command ?? a.path ?? a.file_path ?? a.summary ?? a.url;
    if (main !== undefined) return `${str(payload.name)} ${oneLine(str(main))}`;
  }
  return `${str(payload.name)} ${oneLine(str(args))}`;
}

/** The one line an event shows in a log or a timeline (terminal output keeps its ANSI codes). */
export function eventSummary(event: TrajectoryEvent): string {
  const p = event.payload;
  switch (event.type) {
    case 'command_output':
      return str(p.text).replace(/\n$/, '');
    case 'message':
      return oneLine(str(p.text ?? p.content));
    case 'tool_call':
      return toolCallSummary(p);
    case 'tool_result':
      return `${str(p.name)} ${p.ok === false ? 'failed' : 'ok'}: ${oneLine(str(p.output))}`;
    case 'status':
      return `${event.step ? `${event.step}: ` : 'run: '}${str(p.status)}${p.message ? ` — ${str(p.message)}` : ''}`;
    case 'model_call': {
      const usage = p.usage as { total_tokens?: number } | undefined;
      return `${str(p.model)} · ${usage?.total_tokens ?? 0} tokens · ${str(p.latency_ms)} ms`;
    }
    case 'artifact':
      return `${str(p.path)} (${str(p.media_type)}, ${str(p.size)} bytes)`;
    case 'evaluation':
      return p.message ? str(p.message) : `pass ${str(p.pass)} · partial ${str(p.partial)} · fail ${str(p.fail)}${p.overall_passed === false ? ' — not passed' : ''}`;
    case 'progress':
      return oneLine(str(p.message ?? p));
    default:
      return oneLine(str(p.message ?? p));
  }
}

/** The full content of an event, for an expanded row: its text, or its payload as JSON. */
export function eventDetail(event: TrajectoryEvent): string {
  const p = event.payload;
  if (event.type === 'command_output' || event.type === 'message') return str(p.text ?? p.content);
  if (event.type === 'tool_result') return str(p.output);
  return JSON.stringify(p, null, 2);
}

/** Which tool call an event belongs to (its outputs and result point back at it). */
export function toolCallIdOf(event: TrajectoryEvent): string | null {
  const p = event.payload;
  if (event.type === 'tool_call' || event.type === 'tool_result') return typeof p.id === 'string' ? p.id : null;
  if (event.type === 'command_output') return typeof p.tool_call_id === 'string' ? p.tool_call_id : null;
  return null;
}
