import type { TrajectoryEvent } from '../../../shared/trajectory';
import type { AgentEvent } from '../agents/types';
import type { EventWriter, Redactor } from '../store';

type CommandOutput = Extract<AgentEvent, { type: 'command_output' }>;

/** Most bytes of one stream's partial line held back before it is written anyway. */
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * Stamps, redacts and records a run's events, and hands each stored event to `publish`
 * (the live view). Command output is recorded whole lines at a time, so a secret split
 * across two chunks of output is still seen whole by the redactor.
 */
export function createRunRecorder(
  writer: EventWriter,
  redactor: Redactor,
  publish: (event: TrajectoryEvent) => void,
) {
  const pending = new Map<string, { event: CommandOutput; text: string }>();

  function write(event: AgentEvent) {
    const redacted = redactor.redactValue(event);
    const time = new Date().toISOString();
    const seq = writer.append({ ...redacted, time });
    publish({ ...redacted, time, seq });
  }

  function flushStream(key: string, all: boolean) {
    const held = pending.get(key);
    if (!held) return;
    const cut = all ? held.text.length : held.text.lastIndexOf('\n') + 1;
    if (cut <= 0) return;
    write({ ...held.event, payload: { ...held.event.payload, text: held.text.slice(0, cut) } });
    held.text = held.text.slice(cut);
    if (held.text === '') pending.delete(key);
  }

  function flushAll() {
    for (const key of [...pending.keys()]) flushStream(key, true);
  }

  return {
    record(event: AgentEvent) {
      if (event.type === 'command_output') {
        const key = `${event.payload.tool_call_id ?? ''}:${event.payload.stream}`;
        const held = pending.get(key) ?? { event, text: '' };
        held.text += event.payload.text;
        pending.set(key, held);
        flushStream(key, held.text.length > MAX_PENDING_CHARS);
        return;
      }
      flushAll();
      write(event);
    },
    /** Writes held partial lines and commits everything buffered. */
    flush() {
      flushAll();
      writer.flush();
    },
  };
}
