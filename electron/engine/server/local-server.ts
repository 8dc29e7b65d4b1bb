import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Api } from '../../../shared/contract';
import type { EventBus } from '../base/events';
import { VERSION } from '../base/version';
import { CONTENT_SECURITY_POLICY } from './csp';
import { createRouter, type Route } from './router';
import { openApiRoutes } from './openapi';
import { sendError, sendJson } from '../http/respond';
import { errorApiOfPath } from '../proxy/endpoints';
import { gatewayError } from '../wire/translation';
import { createRequestGuard } from './security';
import { createStaticHandler } from './static-files';
import { createRpcSocketServer } from './ws-rpc';

export interface LocalServerOptions {
  /** The engine's WebSocket door (`webApi`: no host paths, remote changes confirmed by a code shown elsewhere) and its events. */
  engine: { webApi: Api; bus: EventBus };
  token: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer; null serves the API only. */
  staticDir: string | null;
  /** Extra routes under `/api`, `/v1`, `/v1beta` (REST, the gateway's model routes) or `/mcp`; all require the token. */
  routes?: Route[];
  maxBodyBytes?: number;
  maxMessageBytes?: number;
}

export interface LocalServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /**
   * Stops accepting connections and closes the WebSocket RPC; with `drainMs`, requests in
   * flight get that long to finish before their connections are cut (without, at once).
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export const WS_PATH = '/api/ws';
/** Room for the contract's largest input (16 MiB of runbook text) plus JSON framing. */
export const DEFAULT_MAX_MESSAGE_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

/** The Jetty API, the gateway's OpenAI and Anthropic routes (`/v1`), its Gemini ones (`/v1beta`) and MCP (`/mcp`). */
const isApiPath = (pathname: string) => /^\/(api|v1|v1beta|mcp)(\/|$)/.test(pathname) || pathname === '/openapi.json' || pathname === '/docs';

const SECURITY_HEADERS = Object.entries({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/** The `jetty serve` server on 127.0.0.1: the renderer, the WebSocket RPC and HTTP routes. */
export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  let port = 0;
  const guard = createRequestGuard({ token: options.token, port: () => port });
  const rpc = createRpcSocketServer({
    api: options.engine.webApi,
    bus: options.engine.bus,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });
  const health: Route = {
    method: 'GET',
    path: '/api/health',
    doc: { summary: 'Whether the server is up, its version and the passthrough recording’s status' },
    handle: async (ctx) => ctx.json(200, { ok: true, version: VERSION, recording: await options.engine.webApi['recording.status']({}) }),
  };
  // The OpenAPI document describes this very table (its own two routes included).
  const table: Route[] = [health, ...(options.routes ?? [])];
  table.push(...openApiRoutes(() => table));
  const route = createRouter(table, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const serveStatic = options.staticDir ? createStaticHandler(options.staticDir) : null;

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = isApiPath(url.pathname);
    const refusal = guard.check(req, { needsToken: api && !route.isPublic(req.method, url.pathname) });
    if (refusal?.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    // A model endpoint's caller is an SDK: it reads the refusal in its own API's error shape.
    const modelApi = refusal ? errorApiOfPath(url.pathname) : null;
    if (refusal && modelApi) {
      const encoded = gatewayError(modelApi, { kind: refusal.status === 401 ? 'authentication' : 'permission', status: refusal.status, message: refusal.message });
      return sendJson(res, refusal.status, encoded.body);
    }
    if (refusal) return sendError(res, refusal.status, refusal.status === 401 ? 'unauthorized' : 'forbidden', refusal.message);
    if (api) return route(req, res, url);
    if (serveStatic) return serveStatic(req, res);
    sendError(res, 404, 'not_found', 'this server was started without the renderer');
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refusal =
      url.pathname === WS_PATH
        ? guard.check(req, { needsToken: true, allowQueryToken: true })
        : { status: 404, message: 'no WebSocket endpoint here' };
    if (!refusal) return rpc.handleUpgrade(req, socket, head);
    socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 404 ? 'Not Found' : 'Refused'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.message}\n`);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      const status = (err as { status?: number }).status ?? 500;
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) sendError(res, status, status === 413 ? 'too_large' : 'failed', message);
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);
  // What Node's HTTP layer refuses before any route runs is answered in the same JSON shape.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    sendError(res, 417, 'expectation_failed', `unsupported Expect header '${req.headers.expect}'; send "Expect: 100-continue" or none`),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ error: { code: status === 431 ? 'headers_too_large' : 'bad_request', message: `malformed HTTP request: ${error.message}` } });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  const inFlight = new Set<ServerResponse>();
  let onIdle: (() => void) | null = null;
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) onIdle?.();
    });
  });
  /** Resolves once no request is in flight, or after `ms`. */
  const drained = (ms: number) =>
    new Promise<void>((resolve) => {
      if (inFlight.size === 0) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        onIdle = null;
        resolve();
      }
      onIdle = done;
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close({ drainMs = 0 } = {}) {
      rpc.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await drained(drainMs);
      server.closeAllConnections();
      await closed;
    },
  };
}
