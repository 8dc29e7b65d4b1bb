import type { TrajectoryEvent } from '../../shared/trajectory';

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** One human-readable progress line for a run event, e.g. `[00:12] bash  $ ls /app`. */
export function formatEvent(event: TrajectoryEvent, startedAt: number): string {
  const elapsed = Math.max(0, Math.round((Date.parse(event.time) - startedAt) / 1000));
  const stamp = `[${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}]`;
  const p = event.payload;
  let body: string;
  switch (event.type) {
    case 'status':
      body = event.step
        ? `step      ${event.step} ${str(p.status)}`
        : `status    ${str(p.status)}${p.message ? ` — ${str(p.message)}` : ''}`;
      break;
    case 'artifact':
      body = `artifact  ${str(p.path)} (${str(p.size)} B, ${str(p.media_type)})`;
      break;
    case 'message':
      body = `agent     ${clip(oneLine(str(p.text ?? p.content)))}`;
      break;
    case 'tool_call':
      body = `tool      ${str(p.name)} ${clip(oneLine(str(p.arguments)), 160)}`;
      break;
    case 'tool_result':
      body = `result    ${str(p.name)} ${p.ok === false ? 'failed' : 'ok'}`;
      break;
    case 'command_output':
      body = `${p.stream === 'stderr' ? 'stderr' : 'stdout'}    ${clip(str(p.text ?? p.chunk).replace(/\n$/, ''), 400)}`;
      break;
    case 'model_call': {
      const usage = (p.usage ?? {}) as Record<string, unknown>;
      body = `model     ${str(p.model)} ${str(usage.total_tokens ?? '?')} tokens ${str(p.latency_ms ?? '?')} ms`;
      break;
    }
    case 'progress':
      body = `progress  ${clip(oneLine(str(p.message)))}`;
      break;
    case 'evaluation':
      body = `eval      passed=${str(p.overall_passed)} pass=${str(p.pass)} partial=${str(p.partial)} fail=${str(p.fail)}`;
      break;
    default:
      body = `${event.type.padEnd(10)}${clip(oneLine(str(p.message ?? p)))}`;
  }
  return `${stamp} ${body}`;
}
