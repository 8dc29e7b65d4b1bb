import { eventSummary } from '../../shared/event-text';
import type { TrajectoryEvent } from '../../shared/trajectory';

/** Most characters of command output one progress line shows. */
const OUTPUT_CHARS = 400;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One human-readable progress line for a run event, e.g. `[00:12] tool_call bash ls /app`. */
export function formatEvent(event: TrajectoryEvent, startedAt: number): string {
  const elapsed = Math.max(0, Math.round((Date.parse(event.time) - startedAt) / 1000));
  const stamp = `[${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}]`;
  const label = event.type === 'command_output' ? event.payload.stream : event.type;
  const summary = eventSummary(event);
  return `${stamp} ${label.padEnd(14)} ${event.type === 'command_output' ? clip(summary, OUTPUT_CHARS) : summary}`;
}
