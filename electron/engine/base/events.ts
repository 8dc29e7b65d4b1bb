import type { EventName, EventPayload } from '../../../shared/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Fans contract events out to subscribers (IPC bridge, WebSocket clients, CLI). */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe<E extends EventName>(event: E, listener: Listener<E>): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Map<EventName, Set<Listener<EventName>>>();
  return {
    emit(event, payload) {
      for (const fn of listeners.get(event) ?? []) {
        try {
          fn(payload as never);
        } catch {
          // one failing subscriber must not stop the others
        }
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener<EventName>);
      return () => set.delete(listener as Listener<EventName>);
    },
  };
}
