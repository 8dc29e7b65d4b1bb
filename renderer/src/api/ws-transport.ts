import { ApiError, type Transport } from '../../../shared/rpc';
import type { ConnectionStatus } from './status';

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type ServerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number | null; ok: false; error: { code: string; message: string } }
  | { event: string; payload: unknown };

export interface WebSocketTransportOptions {
  /** e.g. `ws://127.0.0.1:4321/api/ws` */
  url: string;
  token: string;
  onStatus(status: ConnectionStatus): void;
  /** Asks the server over HTTP whether the token is accepted, after a refused connection. */
  tokenAccepted(): Promise<boolean>;
}

const MAX_BACKOFF_MS = 10_000;

/** Transport over the `jetty serve` WebSocket: reconnects with backoff, rejects calls in flight on close. */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const pending = new Map<number, Pending>();
  const outbox: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let stopped = false;

  function receive(message: ServerMessage) {
    if ('event' in message) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const call = message.id === null ? undefined : pending.get(message.id);
    if (!call || message.id === null) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new ApiError(message.error.code as ApiError['code'], message.error.message));
  }

  function rejectAll(reason: string) {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: ${reason}`));
    pending.clear();
    outbox.length = 0;
  }

  async function onClosed(wasOpen: boolean) {
    socket = null;
    rejectAll(wasOpen ? 'the connection to Jetty closed before it answered' : 'could not connect to Jetty');
    if (!wasOpen && !(await options.tokenAccepted().catch(() => true))) {
      stopped = true;
      options.onStatus({ state: 'unauthorized' });
      return;
    }
    const retryInMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++);
    options.onStatus({ state: 'reconnecting', retryInMs });
    setTimeout(connect, retryInMs);
  }

  function connect() {
    if (stopped) return;
    const ws = new WebSocket(`${options.url}?token=${encodeURIComponent(options.token)}`);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      options.onStatus({ state: 'open' });
      for (const message of outbox.splice(0)) ws.send(message);
    };
    ws.onmessage = (e) => {
      try {
        receive(JSON.parse(String(e.data)) as ServerMessage);
      } catch {
        // a malformed frame from the server is dropped; the call it answers times out with the connection
      }
    };
    ws.onclose = () => void onClosed(opened);
  }

  options.onStatus({ state: 'connecting' });
  connect();

  return {
    call(method, input) {
      if (stopped) return Promise.reject(new Error(`${method}: not connected to Jetty (the API token was refused)`));
      const id = nextId++;
      const message = JSON.stringify({ id, method, input });
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve, reject });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else outbox.push(message);
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
