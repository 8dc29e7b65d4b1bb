import type { EventLevel, EventPayload, EventType } from '../../../shared/trajectory-events';
import type { AgentEvent } from './types';

/** An agent's event of `type` (the runner files it under the agent's step). */
export function agentEvent<T extends EventType>(type: T, payload: EventPayload<T>, level: EventLevel = 'info'): AgentEvent {
  // `type` and `payload` agree by the signature; TypeScript cannot carry that through the union.
  return { type, payload, level, step: null } as AgentEvent;
}
