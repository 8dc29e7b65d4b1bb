/**
 * The run gateway's MCP door: `/mcp/<name>` relays Streamable HTTP (POST, GET for the
 * server's stream, DELETE to end a session) to the HTTP MCP server the run declared under
 * that name, adding the headers the run declared for it (its credentials, which never
 * enter the sandbox). The caller has checked the run's token; a name the run did not
 * declare is refused. What crosses is bounded: the request body, the wait for the server's
 * answer, the silence between its bytes, and its whole answer; an SSE answer is streamed
 * as it comes. Only MCP's own headers go through either way: never the run's token (nor
 * any of the client's credentials) upstream, never the server's cookies or auth challenges
 * back; redirects are not followed (they could carry the headers elsewhere).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { readBody } from '../http/read-body';
import { sendError } from '../http/respond';

export const MCP_PATH_PREFIX = '/mcp/';

/** What the gateway holds for one of a run's HTTP servers: where it is, and the headers it adds. */
export interface McpUpstream {
  url: string;
  headers: Readonly<Record<string, string>>;
}

export interface McpRelayLimits {
  requestBytes: number;
  responseBytes: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
}

export const MCP_RELAY_LIMITS: McpRelayLimits = {
  /** A client's message (a tool call's arguments). */
  requestBytes: 20 * 1024 * 1024,
  /** The server's whole answer (a JSON body, or everything one SSE stream carries). */
  responseBytes: 64 * 1024 * 1024,
  /** From the request to the server's status line. */
  headersTimeoutMs: 60_000,
  /** Silence between two bytes of the server's answer (an SSE stream's keep-alives count). */
  idleTimeoutMs: 300_000,
};

const FORWARDED_REQUEST = ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
const FORWARDED_RESPONSE = ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'cache-control'];
const METHODS = new Set(['POST', 'GET', 'DELETE']);

/** The server name of an MCP path (`/mcp/<name>`), or null when the path is no MCP path. */
export function mcpServerOfPath(pathname: string): string | null {
  if (!pathname.startsWith(MCP_PATH_PREFIX)) return null;
  const name = pathname.slice(MCP_PATH_PREFIX.length);
  return name === '' || name.includes('/') ? '' : decodeURIComponent(name);
}

const header = (value: string | string[] | number | undefined) => (Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value));

/** A stream that passes at most `max` bytes, then fails (the relay then cuts the answer). */
function capped(max: number, name: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) return done(new Error(`the MCP server '${name}' answered more than ${max / 1024 / 1024} MiB`));
      done(null, chunk);
    },
  });
}

/** Relays one request of the sandbox to the run's server `name` (declared: `upstream`). */
export async function relayMcp(req: IncomingMessage, res: ServerResponse, name: string, upstream: McpUpstream, limits: McpRelayLimits = MCP_RELAY_LIMITS): Promise<void> {
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) {
    req.resume();
    res.setHeader('Allow', 'POST, GET, DELETE');
    return sendError(res, 405, 'method_not_allowed', `the MCP relay takes POST, GET and DELETE (not ${method})`);
  }
  const body = method === 'POST' ? await readBody(req, limits.requestBytes) : undefined;
  if (method !== 'POST') req.resume();
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  for (const h of FORWARDED_REQUEST) {
    const value = header(req.headers[h]);
    if (value !== undefined) headers[h] = value;
  }
  Object.assign(headers, upstream.headers);

  const abort = new AbortController();
  const onGone = () => abort.abort();
  res.on('close', onGone);
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(upstream.url, { method: method as 'POST', headers, body, signal: abort.signal, headersTimeout: limits.headersTimeoutMs, bodyTimeout: limits.idleTimeoutMs });
  } catch (error) {
    res.off('close', onGone);
    if (abort.signal.aborted) return;
    const why = (error as { code?: string }).code ?? (error as Error).message;
    return sendError(res, 502, 'mcp_unreachable', `the MCP server '${name}' cannot be reached (${why})`);
  }
  if (answer.statusCode === 401 || answer.statusCode === 403) {
    await answer.body.dump().catch(() => undefined);
    res.off('close', onGone);
    // Its challenge is for the credentials the run declared, which the sandbox cannot change: no OAuth dance from inside.
    return sendError(res, 502, 'mcp_refused', `the MCP server '${name}' refused the credentials this run declared for it (HTTP ${answer.statusCode}): check its headers in mcp_servers`);
  }
  const out: Record<string, string> = {};
  for (const h of FORWARDED_RESPONSE) {
    const value = header(answer.headers[h]);
    if (value !== undefined) out[h] = value;
  }
  res.writeHead(answer.statusCode, out);
  res.flushHeaders();
  try {
    await pipeline(answer.body, capped(limits.responseBytes, name), res);
  } catch {
    // Cut short (too long, silent too long, a party gone): the connection ends, the client sees a broken answer.
    answer.body.destroy();
    res.destroy();
  } finally {
    res.off('close', onGone);
  }
}
