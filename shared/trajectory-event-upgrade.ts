/**
 * Format-1 events (untyped payloads) as format-2 typed events. Used by import and by
 * every store read, so events already in a user's database display as they did; it is
 * the identity on format-2 events.
 */
import { TrajectoryEventSchema, type StoredEvent, type TrajectoryEvent } from './trajectory-events';

const MAX_RAW_CHARS = 500;

/** The step the runner gives what an agent reports (its own `model_call` events were usage reports). */
const AGENT_STEP = 'agent';

/** What format 1 wrote differently, rewritten to format 2 (other events pass unchanged). */
function reshaped(event: StoredEvent): StoredEvent {
  const p = event.payload;
  switch (event.type) {
    case 'model_call':
      if (p.source !== undefined) return event;
      if (event.step === AGENT_STEP) return { ...event, type: 'usage' };
      return { ...event, payload: { ...p, source: typeof p.call_id === 'string' ? 'workflow' : 'passthrough' } };
    case 'message':
      if (p.kind !== 'reasoning') return event;
      return { ...event, type: 'reasoning', payload: { text: p.text } };
    case 'status':
      if (p.status !== 'resumed') return event;
      return { ...event, type: 'resume', payload: { completed_steps: p.completed_steps ?? [], resumed_at: p.resumed_at ?? null } };
    case 'progress': {
      // A workflow step's retry: {step, status: 'retrying', attempt, error, delay_ms, message}.
      if (p.status !== 'retrying' || typeof p.attempt !== 'number' || typeof p.delay_ms !== 'number') return event;
      const payload = { what: `step ${event.step ?? String(p.step)}`, attempt: p.attempt, delay_ms: p.delay_ms, error: String(p.error ?? '') };
      return { ...event, type: 'retry', payload };
    }
    case 'log': {
      // The built-in agent's retries: "model request failed (try 1 of 3), retrying in 100 ms: why".
      const retry = typeof p.message === 'string' ? /^model request failed \(try (\d+) of (\d+)\), retrying in \d+ ms: ([\s\S]*)$/.exec(p.message) : null;
      if (!retry || typeof p.delay_ms !== 'number') return event;
      const payload = { what: 'model request', attempt: Number(retry[1]), max_attempts: Number(retry[2]), delay_ms: p.delay_ms, error: retry[3] };
      return { ...event, type: 'retry', payload };
    }
    default:
      return event;
  }
}

/**
 * The typed form of a stored or imported event of either format. An event that still
 * fits no schema (a type this version does not know, a broken payload) becomes a `log`
 * event that shows what it held, so it is displayed rather than lost.
 */
export function upgradeEvent(event: StoredEvent): TrajectoryEvent {
  const parsed = TrajectoryEventSchema.safeParse(reshaped(event));
  if (parsed.success) return parsed.data as TrajectoryEvent;
  const raw = JSON.stringify(event.payload);
  const shown = raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS - 1)}…` : raw;
  return { seq: event.seq, time: event.time, level: event.level, step: event.step, type: 'log', payload: { message: `${event.type} event this version cannot read: ${shown}` } };
}
