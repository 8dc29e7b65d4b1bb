/**
 * The gateway's listener for sandboxes: an HTTP server apart from the local Jetty API,
 * bound where containers reach the host (see `gatewayBindHost`), that answers only the
 * model endpoints and the run's own HTTP MCP servers (`/mcp/<name>`, mcp-relay.ts), and
 * only to per-run tokens. A run token opens nothing else: the Jetty
 * API, the UI and the WebSocket RPC are not served here, and the API's own token is no
 * run token.
 */
import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Passthrough } from '../proxy/passthrough';
import { httpSink } from '../proxy/response-sink';
import { answerError, sendError, sendJson } from '../http/respond';
import { readBody } from '../http/read-body';
import { parseGatewayCall } from '../proxy/call-request';
import { CHAT_COMPLETIONS_PATH, GATEWAY_ENDPOINTS, MODELS_PATH } from '../proxy/endpoints';
import { MCP_RELAY_LIMITS, mcpServerOfPath, relayMcp, type McpRelayLimits } from './mcp-relay';
import type { RunTokens } from './run-tokens';
import { gatewayError } from '../wire/translation';
import type { WireApiName } from '../wire';

export interface RunListener {
  host: string;
  port: number;
  /** The socket the same gateway answers on (for sandboxes with no network but the gateway), when asked for. */
  socketPath: string | null;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** The wire API a POST path speaks, or null when it is no model endpoint. */
function apiOfPath(pathname: string): WireApiName | null {
  if (pathname === CHAT_COMPLETIONS_PATH) return 'chat-completions';
  if (pathname.startsWith('/v1beta/models/')) return 'gemini';
  return GATEWAY_ENDPOINTS.find((e) => e.path === pathname)?.api ?? null;
}

/** The token a client sends in its API's own way: a bearer token, Anthropic's x-api-key, Gemini's x-goog-api-key or ?key=. */
function tokenOf(req: IncomingMessage, url: URL): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null);
  return bearer?.[1] ?? header('x-api-key') ?? header('x-goog-api-key') ?? url.searchParams.get('key');
}

/** Listens on `address` (a port on a host, or a socket path); resolves once it does. */
function listen(server: Server, address: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in address) server.listen(address.path, listening);
    else server.listen(address.port, address.host, listening);
  });
}

const closeServer = (server: Server): Promise<void> => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
};

export async function startRunListener(options: { host: string; port?: number; socketPath?: string; tokens: RunTokens; passthrough: Passthrough; mcpLimits?: McpRelayLimits }): Promise<RunListener> {
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (req.headers.origin !== undefined) return sendError(res, 403, 'forbidden', 'the run gateway does not answer browsers');
    const mcpServer = mcpServerOfPath(url.pathname);
    if (mcpServer !== null) return onMcpRequest(req, res, mcpServer);
    const isModels = req.method === 'GET' && url.pathname === MODELS_PATH;
    const api = req.method === 'POST' ? apiOfPath(url.pathname) : null;
    if (!isModels && !api) return sendError(res, 404, 'not_found', `the run gateway answers model calls only (no ${req.method} ${url.pathname})`);
    const run = options.tokens.resolve(tokenOf(req, url));
    if (!run) {
      const refusal = gatewayError(api ?? 'chat-completions', { kind: 'authentication', status: 401, message: 'not a valid run token: it belongs to no running run (tokens end with their run)' });
      req.resume();
      return sendJson(res, refusal.status, refusal.body);
    }
    if (isModels) return sendJson(res, 200, await options.passthrough.models(run));
    const parsed = parseGatewayCall(api!, await readBody(req, MAX_BODY_BYTES), url, req.headers);
    if (parsed.error) return sendJson(res, parsed.error.status, parsed.error.body);
    const handled = options.passthrough.handleCall(httpSink(res), { ...parsed.call, run });
    // Once the call is on its way: the run reads its prompt while the provider answers.
    run.prepare?.(parsed.call);
    await handled;
  }

  /** `/mcp/<name>`: the run's token (as a bearer token only), then the run's own server of that name. */
  async function onMcpRequest(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const run = options.tokens.resolve(bearer);
    if (!run) {
      req.resume();
      return sendError(res, 401, 'unauthorized', 'not a valid run token (send it as Authorization: Bearer): it belongs to no running run (tokens end with their run)');
    }
    const upstream = run.mcp?.get(name);
    if (!upstream) {
      req.resume();
      return sendError(res, 404, 'not_found', `this run declares no HTTP MCP server named '${name}'`);
    }
    await relayMcp(req, res, name, upstream, options.mcpLimits ?? MCP_RELAY_LIMITS);
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res).catch((error: unknown) => answerError(res, error));
  const server = createServer(handle);
  await listen(server, { port: options.port ?? 0, host: options.host });
  const { port } = server.address() as AddressInfo;
  let socketServer: Server | null = null;
  if (options.socketPath) {
    socketServer = createServer(handle);
    try {
      await listen(socketServer, { path: options.socketPath });
      // Any user in a sandbox may connect; a run token is still needed for anything.
      chmodSync(options.socketPath, 0o666);
    } catch (error) {
      await closeServer(server);
      throw error;
    }
  }
  return {
    host: options.host,
    port,
    socketPath: options.socketPath ?? null,
    async close() {
      await Promise.all([closeServer(server), socketServer && closeServer(socketServer)]);
    },
  };
}
