import type { EventPayload, EventType, TypedEvent } from '../../shared/trajectory-events';

/** The payloads of the events of `type`, typed. */
export function payloadsOf<T extends EventType>(events: readonly TypedEvent[], type: T): EventPayload<T>[] {
  return events.flatMap((e) => (e.type === type ? [e.payload as EventPayload<T>] : []));
}

/** An event's message, for the types that have one (log, progress, status), else ''. */
export const messageOf = (e: TypedEvent): string => ('message' in e.payload ? (e.payload.message ?? '') : '');

/** The tool a tool call or result names, else ''. */
export const toolNameOf = (e: TypedEvent): string => (e.type === 'tool_call' || e.type === 'tool_result' ? e.payload.name : '');
