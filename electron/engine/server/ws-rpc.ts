import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { events, type Api, type EventName } from '../../../shared/contract';
import { dispatch, toWire } from '../../../shared/rpc';
import type { EventBus } from '../base/events';

/** Open RPC sockets allowed at once: many windows and tabs, not an unbounded number. */
export const MAX_RPC_CONNECTIONS = 64;

/**
 * Contract RPC over WebSocket: `{id, method, input}` → `{id, ok, value}` or `{id, ok:false, error}`; events as `{event, payload}`.
 * At most `maxConnections` sockets are open at once; one more is refused with 503.
 */
export function createRpcSocketServer(options: { api: Api; bus: EventBus; maxMessageBytes: number; maxConnections?: number }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const maxConnections = options.maxConnections ?? MAX_RPC_CONNECTIONS;

  wss.on('connection', (socket: WebSocket) => {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = (Object.keys(events) as EventName[]).map((event) =>
      options.bus.subscribe(event, (payload) => send({ event, payload })),
    );
    socket.on('close', () => unsubscribe.forEach((off) => off()));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data: RawData, isBinary: boolean) => void answer(data, isBinary).then(send));
  });

  async function answer(data: RawData, isBinary: boolean): Promise<unknown> {
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(data.toString());
    } catch {
      return { id: null, ok: false, error: { code: 'invalid_input', message: 'each message must be a JSON text object {id, method, input}' } };
    }
    const { id, method, input } = (message ?? {}) as { id?: unknown; method?: unknown; input?: unknown };
    if (typeof id !== 'string' && typeof id !== 'number') {
      return { id: null, ok: false, error: { code: 'invalid_input', message: 'message needs an "id" (string or number)' } };
    }
    try {
      return { id, ok: true, value: await dispatch(options.api, method, input) };
    } catch (err) {
      return { id, ok: false, error: toWire(err) };
    }
  }

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      // The upgrade completes synchronously (no verifyClient), so `clients` counts every socket.
      if (wss.clients.size >= maxConnections) {
        socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nat most ${maxConnections} connections at once\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
